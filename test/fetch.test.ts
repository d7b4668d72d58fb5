/**
 * The guarded HTTP client over real HTTP on 127.0.0.1: conditional GET, compression, size
 * caps (incl. a gzip bomb), timeouts, redirects, retries with Retry-After, per-host
 * concurrency, and the address guard on the first URL and on every redirect hop.
 * Backoff waits go through an injected `sleep` that records them, so nothing sleeps for real.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Readable, Writable } from 'node:stream';
import zlib from 'node:zlib';
import { FetchError } from '../src/core/errors.ts';
import { createLogger } from '../src/core/log.ts';
import { DEFAULT_USER_AGENT, HttpClient, type HttpClientOptions } from '../src/collect/http/client.ts';
import { startHttpServer, type FakeHttpServer } from './fakes/http-server.ts';

let server: FakeHttpServer;
const clients: HttpClient[] = [];

/** A client allowed to reach the local server, recording backoff waits instead of sleeping. */
function client(overrides: Partial<HttpClientOptions> = {}): { http: HttpClient; waits: number[] } {
  const waits: number[] = [];
  const http = new HttpClient({
    timeoutMs: 2_000,
    maxBytes: 1_000_000,
    maxRedirects: 3,
    perHostConcurrency: 2,
    retries: 2,
    allowHosts: ['127.0.0.1'],
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
  clients.push(http);
  return { http, waits };
}

/** Awaits a rejection and returns it as a FetchError (failing the test otherwise). */
async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FetchError, `expected a FetchError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the fetch to fail');
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  server = await startHttpServer({
    '/feed.xml': (req, res) => {
      if (req.headers['if-none-match'] === '"v7"' || req.headers['if-modified-since'] === 'Sun, 22 Nov 2026 08:00:00 GMT') {
        res.writeHead(304, { etag: '"v7"' }).end();
        return;
      }
      res
        .writeHead(200, {
          'content-type': 'application/rss+xml; charset=utf-8',
          etag: '"v7"',
          'last-modified': 'Sun, 22 Nov 2026 08:00:00 GMT',
        })
        .end('<rss version="2.0"><channel><title>Tide Tables Weekly</title></channel></rss>');
    },
    '/gzip': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(zlib.gzipSync('the ferry runs at dawn'));
    },
    '/br': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'br' }).end(zlib.brotliCompressSync('brotli across the bay'));
    },
    '/deflate': (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'deflate' }).end(zlib.deflateSync('zlib-wrapped deflate'));
    },
    '/deflate-raw': (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'deflate' }).end(zlib.deflateRawSync('raw deflate, as some servers send it'));
    },
    '/big-declared': (_req, res) => {
      // Declares 50 MB, sends a little, then stalls: the client must refuse on the header alone.
      res.writeHead(200, { 'content-length': String(50_000_000) });
      res.write('x'.repeat(100));
    },
    '/big-chunked': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // 4 MB in 64 KB chunks with no Content-Length; pipe() keeps to the client's pace.
      Readable.from(Array.from({ length: 64 }, () => Buffer.alloc(64 * 1024, 'a'))).pipe(res);
    },
    '/bomb': (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) }).end(bomb);
    },
    '/slow-headers': async (_req, res) => {
      await delay(1_500);
      if (!res.destroyed) res.writeHead(200).end('late');
    },
    '/slow-body': async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('start…');
      await delay(1_500);
      if (!res.destroyed) res.end('…end');
    },
    '/r1': (_req, res) => res.writeHead(301, { location: '/r2' }).end(),
    '/r2': (_req, res) => res.writeHead(302, { location: `${server.url}/r3` }).end(),
    '/r3': (_req, res) => res.writeHead(307, { location: 'final?x=1#frag' }).end(),
    '/final': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('arrived'),
    '/loop-a': (_req, res) => res.writeHead(302, { location: '/loop-b' }).end(),
    '/loop-b': (_req, res) => res.writeHead(302, { location: '/loop-a' }).end(),
    '/to-ftp': (_req, res) => res.writeHead(302, { location: 'ftp://files.example/x' }).end(),
    '/to-loopback-2': (_req, res) => res.writeHead(302, { location: `http://127.0.0.2:${server.port}/final` }).end(),
    '/to-metadata': (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    '/404': (_req, res) => res.writeHead(404).end('no'),
    '/410': (_req, res) => res.writeHead(410).end('gone'),
    '/500': (_req, res) => res.writeHead(500).end('boom'),
    '/503-then-200': (_req, res, { count }) => {
      if (count === 1) res.writeHead(503).end('busy');
      else res.writeHead(200).end('recovered');
    },
    '/429-seconds': (_req, res, { count }) => {
      if (count === 1) res.writeHead(429, { 'retry-after': '3' }).end();
      else res.writeHead(200).end('after the pause');
    },
    '/429-date': (_req, res, { count }) => {
      if (count === 1) res.writeHead(429, { 'retry-after': new Date(Date.now() + 10_000).toUTCString() }).end();
      else res.writeHead(200).end('after the date');
    },
    '/429-long': (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end(),
    '/429-always': (_req, res) => res.writeHead(429).end(),
    '/echo': (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.headers)),
  });
});

after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

describe('conditional GET and bodies', () => {
  test('200 with validators, then 304 on the conditional GET', async () => {
    const { http } = client();
    const first = await http.get(`${server.url}/feed.xml`);
    assert.equal(first.status, 200);
    assert.equal(first.notModified, false);
    assert.equal(first.etag, '"v7"');
    assert.equal(first.lastModified, 'Sun, 22 Nov 2026 08:00:00 GMT');
    assert.equal(first.contentType, 'application/rss+xml; charset=utf-8');
    assert.match(first.body.toString(), /Tide Tables Weekly/);

    const second = await http.get(`${server.url}/feed.xml`, { etag: first.etag!, lastModified: first.lastModified! });
    assert.equal(second.status, 304);
    assert.equal(second.notModified, true);
    assert.equal(second.body.length, 0);
    const sent = server.requests.filter((r) => r.path === '/feed.xml').at(-1)!;
    assert.equal(sent.headers['if-none-match'], '"v7"');
    assert.equal(sent.headers['if-modified-since'], 'Sun, 22 Nov 2026 08:00:00 GMT');
  });

  test('gzip, br and both kinds of deflate are decoded', async () => {
    const { http } = client();
    assert.equal((await http.get(`${server.url}/gzip`)).body.toString(), 'the ferry runs at dawn');
    assert.equal((await http.get(`${server.url}/br`)).body.toString(), 'brotli across the bay');
    assert.equal((await http.get(`${server.url}/deflate`)).body.toString(), 'zlib-wrapped deflate');
    assert.equal((await http.get(`${server.url}/deflate-raw`)).body.toString(), 'raw deflate, as some servers send it');
  });

  test('a real User-Agent, Accept and Accept-Encoding are sent', async () => {
    assert.match(DEFAULT_USER_AGENT, /^Briefbot\/\d+\.\d+ \(\+https:\/\/\S+\)$/);
    const { http } = client();
    const sent = JSON.parse((await http.get(`${server.url}/echo`, { accept: 'application/rss+xml' })).body.toString()) as Record<
      string,
      string
    >;
    assert.equal(sent['user-agent'], DEFAULT_USER_AGENT);
    assert.equal(sent['accept'], 'application/rss+xml');
    assert.match(sent['accept-encoding'] ?? '', /gzip/);
    assert.match(sent['accept-encoding'] ?? '', /br/);
    const custom = client({ userAgent: 'HarborBot/2.0 (+https://harbor.example/bot)' }).http;
    const echoed = JSON.parse((await custom.get(`${server.url}/echo`)).body.toString()) as Record<string, string>;
    assert.equal(echoed['user-agent'], 'HarborBot/2.0 (+https://harbor.example/bot)');
  });
});

// 1 GB of zeros as 100 concatenated gzip members of 10 MB each (valid gzip, about 1 MB on the
// wire, cheap to build); decoded in full it would take 1 GB of memory.
const bombMember = zlib.gzipSync(Buffer.alloc(10_000_000));
const bomb = Buffer.concat(Array.from({ length: 100 }, () => bombMember));

describe('size caps and timeouts', () => {
  test('a Content-Length over the cap is refused without reading the body', async () => {
    const { http } = client({ timeoutMs: 5_000 });
    // The server stalls after 100 bytes: a client that read on would fail with 'timeout'.
    const error = await fetchError(http.get(`${server.url}/big-declared`));
    assert.equal(error.reason, 'too-large', 'refused on the header, not after the timeout');
    assert.equal(error.code, 'FETCH');
    assert.match(error.message, /^GET http:\/\/127\.0\.0\.1:\d+\/big-declared: .*cap/);
  });

  test('a streamed body without Content-Length is cut off once past the cap', async () => {
    const { http } = client();
    const error = await fetchError(http.get(`${server.url}/big-chunked`));
    assert.equal(error.reason, 'too-large');
  });

  test('a gzip bomb is stopped at the cap on DECOMPRESSED bytes', async () => {
    // About 1 MB on the wire, under the cap: only a cap on decoded bytes refuses it. The memory
    // it costs to be refused is measured by bench/fetch.bench.ts.
    const { http } = client({ maxBytes: 2_000_000 });
    const error = await fetchError(http.get(`${server.url}/bomb`));
    assert.equal(error.reason, 'too-large');
  });

  test('a server that never answers times out', async () => {
    const { http, waits } = client({ timeoutMs: 300 });
    const error = await fetchError(http.get(`${server.url}/slow-headers`));
    assert.equal(error.reason, 'timeout');
    assert.match(error.message, /timed out after 300 ms/);
    assert.deepEqual(waits, [], 'timeouts are not retried');
  });

  test('the timeout covers the body too', async () => {
    const { http } = client({ timeoutMs: 300 });
    const error = await fetchError(http.get(`${server.url}/slow-body`));
    assert.equal(error.reason, 'timeout');
  });

  test("the caller's signal aborts the fetch", async () => {
    const { http } = client({ timeoutMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await fetchError(http.get(`${server.url}/slow-headers`, { signal: controller.signal }));
    assert.equal(error.reason, 'aborted');
  });
});

describe('redirects', () => {
  test('a chain within the cap is followed to the final URL', async () => {
    const { http } = client({ maxRedirects: 3 });
    const response = await http.get(`${server.url}/r1`);
    assert.equal(response.body.toString(), 'arrived');
    assert.equal(response.url, `${server.url}/final?x=1`);
  });

  test('a chain over the cap fails', async () => {
    const { http } = client({ maxRedirects: 2 });
    const error = await fetchError(http.get(`${server.url}/r1`));
    assert.equal(error.reason, 'too-many-redirects');
    assert.match(error.message, /\/r1: more than 2 redirects/);
  });

  test('a loop is detected', async () => {
    const { http } = client({ maxRedirects: 10 });
    const before = server.hits('/loop-a');
    const error = await fetchError(http.get(`${server.url}/loop-a`));
    assert.equal(error.reason, 'redirect-loop');
    assert.equal(server.hits('/loop-a') - before, 1, 'stopped at the first repeat');
  });

  test('a redirect to another scheme is refused', async () => {
    const { http } = client();
    const error = await fetchError(http.get(`${server.url}/to-ftp`));
    assert.equal(error.reason, 'bad-url');
  });
});

describe('HTTP errors and retries', () => {
  test('404 and 410 fail at once, with the status in the message', async () => {
    const { http, waits } = client();
    const e404 = await fetchError(http.get(`${server.url}/404`));
    assert.equal(e404.reason, 'http-404');
    assert.equal(e404.status, 404);
    assert.equal(e404.message, `GET ${server.url}/404: HTTP 404 Not Found`);
    const e410 = await fetchError(http.get(`${server.url}/410`));
    assert.equal(e410.reason, 'http-410');
    assert.equal(server.hits('/404'), 1);
    assert.equal(server.hits('/410'), 1);
    assert.deepEqual(waits, []);
  });

  test('500 is retried with growing backoff, then fails', async () => {
    const { http, waits } = client({ retries: 2 });
    const error = await fetchError(http.get(`${server.url}/500`));
    assert.equal(error.reason, 'http-500');
    assert.equal(server.hits('/500'), 3, 'first try plus two retries');
    assert.equal(waits.length, 2);
    // Equal jitter around 500 ms · 2^n: [250, 500] then [500, 1000].
    assert.ok(waits[0]! >= 250 && waits[0]! <= 500, `first wait ${waits[0]}`);
    assert.ok(waits[1]! >= 500 && waits[1]! <= 1000, `second wait ${waits[1]}`);
  });

  test('503 then 200 succeeds', async () => {
    const { http, waits } = client();
    const response = await http.get(`${server.url}/503-then-200`);
    assert.equal(response.body.toString(), 'recovered');
    assert.equal(waits.length, 1);
  });

  test('429 honours Retry-After in seconds', async () => {
    const { http, waits } = client();
    const response = await http.get(`${server.url}/429-seconds`);
    assert.equal(response.body.toString(), 'after the pause');
    assert.deepEqual(waits, [3_000]);
  });

  test('429 honours Retry-After as an HTTP date', async () => {
    const { http, waits } = client();
    await http.get(`${server.url}/429-date`);
    assert.equal(waits.length, 1);
    assert.ok(waits[0]! > 8_000 && waits[0]! <= 10_000, `waited ${waits[0]}`);
  });

  test('a Retry-After beyond the cap fails as rate-limited instead of sleeping', async () => {
    const { http, waits } = client();
    const error = await fetchError(http.get(`${server.url}/429-long`));
    assert.equal(error.reason, 'rate-limited');
    assert.equal(error.retryAfterMs, 3_600_000);
    assert.deepEqual(waits, []);
  });

  test('429 that never lets up ends as rate-limited', async () => {
    const { http, waits } = client({ retries: 1 });
    const error = await fetchError(http.get(`${server.url}/429-always`));
    assert.equal(error.reason, 'rate-limited');
    assert.equal(error.status, 429);
    assert.equal(waits.length, 1);
  });

  test('a refused connection is a network error, retried', async () => {
    const closed = await startHttpServer();
    const url = `${closed.url}/`;
    await closed.close();
    const { http, waits } = client({ retries: 1 });
    const error = await fetchError(http.get(url));
    assert.equal(error.reason, 'network');
    assert.match(error.message, /ECONNREFUSED/);
    assert.equal(waits.length, 1);
  });

  test('retries are logged with url, status and attempt, secrets masked', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const { http } = client({ retries: 1, logger: createLogger({ level: 'debug', destination }) });
    await fetchError(http.get(`${server.url}/500?token=hunter2&page=1`));
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const retry = logged.find((l) => l['msg'] === 'fetch failed; retrying');
    assert.ok(retry, lines.join(''));
    assert.equal(retry['status'], 500);
    assert.equal(retry['attempt'], 1);
    assert.match(String(retry['url']), /\/500\?token=\*\*\*&page=1$/);
    assert.ok(!lines.join('').includes('hunter2'));
  });

  test("the caller's signal cuts a backoff wait short", async () => {
    const http = client({ sleep: () => new Promise<void>(() => undefined) }).http;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await fetchError(http.get(`${server.url}/429-always`, { signal: controller.signal }));
    assert.equal(error.reason, 'aborted');
  });

  test('secrets in a URL never reach the error message', async () => {
    const { http } = client();
    const error = await fetchError(http.get(`${server.url}/404?api_key=s3cr3t-value&q=port`));
    assert.ok(!error.message.includes('s3cr3t-value'), error.message);
    assert.ok(!error.url.includes('s3cr3t-value'));
    assert.match(error.message, /q=port/);
  });
});

describe('per-host concurrency', () => {
  test('the server never sees more simultaneous requests than the limit', async () => {
    const limited = await startHttpServer({
      '/slow-ok': async (_req, res) => {
        await delay(60);
        res.writeHead(200).end('ok');
      },
    });
    try {
      const { http } = client({ perHostConcurrency: 2 });
      const bodies = await Promise.all(Array.from({ length: 8 }, () => http.get(`${limited.url}/slow-ok`)));
      assert.equal(bodies.length, 8);
      assert.equal(limited.maxInFlight, 2);
    } finally {
      await limited.close();
    }
  });
});

describe('address guard', () => {
  const guarded = (): HttpClient => client({ allowHosts: [] }).http;

  test('127.0.0.1 without allowHosts is blocked before any request is sent', async () => {
    const before = server.requests.length;
    const error = await fetchError(guarded().get(`${server.url}/final`));
    assert.equal(error.code, 'BLOCKED_ADDRESS');
    assert.equal(error.reason, 'blocked-address');
    assert.match(error.message, /loopback/);
    assert.equal(server.requests.length, before, 'nothing reached the server');
  });

  test('a name resolving to loopback is blocked in the lookup', async () => {
    const error = await fetchError(guarded().get(`http://localhost:${server.port}/final`));
    assert.equal(error.code, 'BLOCKED_ADDRESS');
    assert.match(error.message, /localhost resolves to/);
  });

  test('a host allowed by name is reached; its redirect to 127.0.0.2 is blocked at the hop', async () => {
    const { http } = client({ allowHosts: ['localhost'] });
    const ok = await http.get(`http://localhost:${server.port}/final`);
    assert.equal(ok.body.toString(), 'arrived');
    const error = await fetchError(http.get(`http://localhost:${server.port}/to-loopback-2`));
    assert.equal(error.code, 'BLOCKED_ADDRESS');
    assert.match(error.message, /127\.0\.0\.2/);
    assert.ok(!server.requests.some((r) => r.headers.host === `127.0.0.2:${server.port}`));
  });

  test('an allowed host redirecting to the metadata address is blocked at the hop', async () => {
    const { http } = client();
    const error = await fetchError(http.get(`${server.url}/to-metadata`));
    assert.equal(error.code, 'BLOCKED_ADDRESS');
    assert.match(error.message, /169\.254\.169\.254/);
  });

  test('IP tricks are blocked without any network access', async () => {
    const http = guarded();
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/',
      'http://0x7f000001/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
      'http://[64:ff9b::7f00:1]/',
    ]) {
      // A connection attempt would end refused or timed out, never as BLOCKED_ADDRESS.
      const error = await fetchError(http.get(url));
      assert.equal(error.code, 'BLOCKED_ADDRESS', url);
    }
  });

  test('only http and https are fetched', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://files.example/x', 'gopher://x/', 'not a url']) {
      const error = await fetchError(guarded().get(url));
      assert.equal(error.reason, 'bad-url', url);
    }
  });
});

describe('HTTPS', () => {
  // A self-signed certificate for localhost/127.0.0.1/::1, made for these tests only.
  const tlsDir = new URL('./fakes/tls/', import.meta.url);
  const key = readFileSync(new URL('localhost-key.pem', tlsDir));
  const cert = readFileSync(new URL('localhost-cert.pem', tlsDir));

  test('the guarded lookup pins TLS connections too: allowed by name works, refused otherwise', async () => {
    const secure = await startHttpServer({ '/': (_req, res) => res.writeHead(200).end('over tls') }, { tls: { key, cert } });
    try {
      const ok = await client({ allowHosts: ['localhost'], ca: cert }).http.get(`https://localhost:${secure.port}/`);
      assert.equal(ok.body.toString(), 'over tls');
      const error = await fetchError(client({ allowHosts: [], ca: cert }).http.get(`https://localhost:${secure.port}/`));
      assert.equal(error.code, 'BLOCKED_ADDRESS');
      assert.equal(secure.requests.length, 1, 'the refused fetch never reached the server');
    } finally {
      await secure.close();
    }
  });

  test('an untrusted certificate is a network error, not retried', async () => {
    const secure = await startHttpServer({ '/': (_req, res) => res.writeHead(200).end('over tls') }, { tls: { key, cert } });
    try {
      const { http, waits } = client({ allowHosts: ['127.0.0.1'], retries: 1 });
      const error = await fetchError(http.get(`${secure.url}/`));
      assert.equal(error.reason, 'network');
      assert.match(error.message, /SELF_SIGNED|CERT/);
      assert.deepEqual(waits, []);
    } finally {
      await secure.close();
    }
  });
});
