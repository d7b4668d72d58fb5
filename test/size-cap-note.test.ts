/**
 * A source refused for its size is reported as such — "larger than the 1 MB cap" — in the
 * collect report, the brief's notes and its JSON, never as "HTTP 200" (which reads as
 * success). A real server on 127.0.0.1, with and without a Content-Length.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Brief } from '../src/core/types.ts';
import { startHttpServer, type FakeHttpServer } from './fakes/http-server.ts';
import { runCli, tempDir } from './helpers/cli.ts';

const BIG = `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>${'<item><title>x</title></item>'.repeat(80_000)}</channel></rss>`;

let server: FakeHttpServer;
before(async () => {
  server = await startHttpServer({
    '/declared.xml': (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(Buffer.byteLength(BIG)) }).end(BIG),
    '/chunked.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write(BIG.slice(0, 1000));
      res.end(BIG.slice(1000));
    },
  });
});
after(() => server.close());

for (const path of ['/declared.xml', '/chunked.xml']) {
  test(`a feed over fetch.maxBytes (${path.slice(1, -4)}): "larger than the 1 MB cap", not "HTTP 200"`, async () => {
    const cwd = tempDir('briefbot-cap-');
    writeFileSync(
      join(cwd, 'briefbot.config.yaml'),
      `fetch: { maxBytes: 1000000 }\ntopics:\n  - id: big\n    sources: ['${server.url}${path}']\n`,
    );
    const env = { BRIEFBOT_DB: join(cwd, 'b.db'), BRIEFBOT_ALLOW_HOSTS: '127.0.0.1' };
    const collect = await runCli(['collect', 'big'], { cwd, env });
    assert.equal(collect.code, 1);
    assert.match(collect.stdout, /FAILED .*larger than the 1 MB cap/);
    const text = await runCli(['brief', 'big', '--offline'], { cwd, env });
    assert.match(text.stdout.replace(/\s+/g, ' '), /failing: .*\(larger than the 1 MB cap/);
    assert.doesNotMatch(text.stdout + text.stderr, /HTTP 200/);
    const json = JSON.parse((await runCli(['brief', 'big', '--offline', '--format', 'json'], { cwd, env })).stdout) as Brief;
    assert.match(json.failingSources?.[0]?.lastError ?? '', /^larger than the 1 MB cap/);
  });
}
