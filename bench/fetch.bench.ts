/**
 * The guarded HTTP client against a local server: request throughput next to a bare undici
 * request (the cost of the guard, limits and body handling), gzip decoding throughput, and
 * what a 1 GB gzip bomb costs in time and memory with a 10 MB cap, and how fast a response that
 * declares too large a body, or a private address, is refused.
 * Run: node --import tsx --expose-gc bench/fetch.bench.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { Agent } from 'undici';
import { HttpClient } from '../src/collect/http/client.ts';
import { measure, median } from './measure.ts';

const RUNS = 3;
const REQUESTS = 2_000;
const CONCURRENCY = 8;

const page = Buffer.from(
  `<html><body><article>${'<p>The harbour authority said the new berth would open in spring, doubling capacity for container ships.</p>'.repeat(200)}</article></body></html>`,
);
const bigText = Buffer.from('Ferry timetables, tide tables and berth assignments for the week. '.repeat(16_000)); // ≈1 MB
const bigGzip = zlib.gzipSync(bigText);
const bombMember = zlib.gzipSync(Buffer.alloc(10_000_000));
const bomb = Buffer.concat(Array.from({ length: 100 }, () => bombMember)); // 1 GB decoded

const server = createServer((req, res) => {
  if (req.url === '/page') res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  else if (req.url === '/big.gz') res.writeHead(200, { 'content-encoding': 'gzip' }).end(bigGzip);
  else if (req.url === '/bomb') res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb);
  else if (req.url === '/big-declared')
    res.writeHead(200, { 'content-length': String(50_000_000) }).write('x'.repeat(100)); // then stalls
  else res.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

function newClient(maxBytes = 10_000_000): HttpClient {
  return new HttpClient({
    timeoutMs: 30_000,
    maxBytes,
    maxRedirects: 3,
    perHostConcurrency: CONCURRENCY,
    retries: 0,
    allowHosts: ['127.0.0.1'],
  });
}

/** Runs `count` tasks with at most `width` in flight. */
async function pool(count: number, width: number, task: () => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next++ < count) await task();
    }),
  );
}

async function guardedThroughput(): Promise<number> {
  const http = newClient();
  try {
    // The client's own per-host limit queues the rest; fire everything at once, as collect does.
    const m = await measure(() => Promise.all(Array.from({ length: REQUESTS }, () => http.get(`${base}/page`))));
    return (REQUESTS / m.ms) * 1000;
  } finally {
    await http.close();
  }
}

async function bareThroughput(): Promise<number> {
  const agent = new Agent({ connections: CONCURRENCY });
  try {
    const m = await measure(() =>
      pool(REQUESTS, CONCURRENCY, async () => {
        const r = await agent.request({ origin: base, path: '/page', method: 'GET' });
        await r.body.arrayBuffer();
      }),
    );
    return (REQUESTS / m.ms) * 1000;
  } finally {
    await agent.close();
  }
}

async function gzipThroughput(): Promise<number> {
  const http = newClient();
  try {
    const n = 100;
    const m = await measure(() => pool(n, 4, () => http.get(`${base}/big.gz`)));
    return (n * bigText.length) / 2 ** 20 / (m.ms / 1000);
  } finally {
    await http.close();
  }
}

async function bombCost(): Promise<{ ms: number; rssMb: number; reason: string }> {
  const http = newClient(10_000_000);
  try {
    const baseRss = process.memoryUsage().rss / 2 ** 20;
    const m = await measure(() =>
      http.get(`${base}/bomb`).then(
        () => 'accepted?!',
        (e: { reason?: string }) => e.reason ?? 'error',
      ),
    );
    return { ms: m.ms, rssMb: m.peakRssMb - baseRss, reason: m.result };
  } finally {
    await http.close();
  }
}

/** Median ms to refuse a response declaring 50 MB (then stalling), and to judge 10 private addresses, without connecting. */
async function refusalCost(): Promise<{ declaredMs: number; blockedMs: number }> {
  const http = newClient(10_000_000);
  const guard = new HttpClient({
    timeoutMs: 30_000,
    maxBytes: 10_000_000,
    maxRedirects: 3,
    perHostConcurrency: 2,
    retries: 0,
    allowHosts: [],
  });
  const refuse = (p: Promise<unknown>): Promise<unknown> =>
    p.then(
      () => undefined,
      () => undefined,
    );
  try {
    const declared = await measure(() => refuse(http.get(`${base}/big-declared`)));
    const privateUrls = [
      'http://10.1.2.3/',
      'http://192.168.1.1/',
      'http://[::1]/',
      'http://169.254.169.254/',
      'http://127.1/',
      'http://0x7f000001/',
      'http://[fd00::1]/',
      'http://100.64.0.1/',
      'http://172.16.0.1/',
      'http://0.0.0.0/',
    ];
    const blocked = await measure(async () => {
      for (const url of privateUrls) await refuse(guard.get(url));
    });
    return { declaredMs: declared.ms, blockedMs: blocked.ms };
  } finally {
    await http.close();
    await guard.close();
  }
}

const guarded: number[] = [];
const bare: number[] = [];
const refusals: { declaredMs: number; blockedMs: number }[] = [];
const gzip: number[] = [];
const bombs: { ms: number; rssMb: number; reason: string }[] = [];
// One discarded round first, so JIT warm-up does not count against whichever runs first.
await bareThroughput();
await guardedThroughput();
for (let i = 0; i < RUNS; i++) {
  bare.push(await bareThroughput());
  guarded.push(await guardedThroughput());
  gzip.push(await gzipThroughput());
  bombs.push(await bombCost());
  refusals.push(await refusalCost());
}
server.close();

const g = median(guarded);
const b = median(bare);
console.log(`## Fetch client (bench/fetch.bench.ts)

Local server on 127.0.0.1, same process; medians of ${RUNS} runs after a warm-up round.

| Measure | Value |
|---|---|
| Guarded client, ${REQUESTS} GETs of a ${(page.length / 1024).toFixed(0)} KB page, ${CONCURRENCY} per host | ${g.toFixed(0)} req/s |
| Bare undici request, same load | ${b.toFixed(0)} req/s |
| Guarded / bare | ${(g / b).toFixed(2)}× |
| gzip decoding (1 MB pages, 4 at a time) | ${median(gzip).toFixed(0)} MB/s decoded |
| 1 GB gzip bomb (${(bomb.length / 2 ** 20).toFixed(1)} MB on the wire), 10 MB cap: time to refuse | ${median(bombs.map((x) => x.ms)).toFixed(0)} ms (${bombs[0]?.reason}) |
| … peak RSS growth while refusing it | ${median(bombs.map((x) => x.rssMb)).toFixed(0)} MB |
| Response declaring 50 MB (cap 10 MB), body stalled: time to refuse on the header | ${median(refusals.map((x) => x.declaredMs)).toFixed(1)} ms |
| 10 private or loopback addresses judged (no connection made) | ${median(refusals.map((x) => x.blockedMs)).toFixed(1)} ms |
`);
