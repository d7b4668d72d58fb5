/**
 * Collect over real HTTP on 127.0.0.1: a feed of teasers whose pages are fetched for full
 * text, tracking-parameter variants, a failing source that fails alone, conditional GET on
 * the next run, and the address guard when loopback is not allowed.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Brief } from '../src/core/types.ts';
import { runCli, tempDir } from './helpers/cli.ts';

let base = '';
const hits = new Map<string, number>();
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const path = (req.url ?? '/').split('?')[0]!;
  hits.set(path, (hits.get(path) ?? 0) + 1);
  if (path === '/feed.xml') {
    if (req.headers['if-none-match'] === '"v1"') {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"' });
    res.end(`<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbor Gazette</title><link>${base}/</link>
<item><title>Port strike ends after 9 days</title><link>${base}/news/strike?utm_source=rss</link>
<guid>strike-1</guid><pubDate>Sun, 22 Nov 2026 08:00:00 GMT</pubDate>
<description>Dock workers return after a deal…</description></item>
<item><title>Port strike ends after 9 days (again)</title><link>${base}/news/strike/#comments</link>
<guid>strike-1b</guid><description>Same story, other link.</description></item>
<item><title>Ferry fares rise 12%</title><link>${base}/news/ferry</link><guid>ferry-1</guid>
<description><![CDATA[<p>The ferry operator raised fares by 12% from December, citing fuel costs of €40 million a year. Commuters' groups said the rise would hit the islands hardest, and the regional council promised to review its subsidy of €8 million before the spring. The operator said the increase was the first in four years and that timetables would not change. Island mayors called for a freeze until the review is done, saying 3,000 daily commuters depend on the route. The council's transport committee will meet on 4 December to hear from the operator, the unions and the commuters' groups, and a decision on the subsidy is expected in January. Fuel makes up about a third of the operator's costs, a spokesperson said.</p>]]></description></item>
</channel></rss>`);
    return;
  }
  if (path === '/news/strike') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Port strike ends after 9 days | Harbor Gazette</title>
<meta property="og:site_name" content="Harbor Gazette"><meta property="article:published_time" content="2026-11-22T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Port strike ends after 9 days</h1>
<p>Dock workers at the city port returned to work on Sunday after a nine-day strike ended with a wage deal of 6% over two years, the union said.</p>
<p>The strike had left 140 ships waiting offshore, according to the port authority, which estimated losses at €25 million.</p>
<p>Union leader Mara Costa said members voted 71% in favour of the agreement, while the employers' association said the deal would raise costs for shippers.</p>
</article><div class="newsletter">Subscribe to our newsletter</div><footer>Comments (0)</footer></body></html>`);
    return;
  }
  if (path === '/gone.xml') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    return;
  }
  res.writeHead(404).end();
});

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
});

function setup(allow: boolean): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = tempDir();
  writeFileSync(
    join(cwd, 'briefbot.config.yaml'),
    `topics:\n  - id: harbor\n    sources:\n      - ${base}/feed.xml\n      - ${base}/gone.xml\n    window: all\n`,
  );
  return { cwd, env: { BRIEFBOT_DB: join(cwd, 'b.db'), ...(allow && { BRIEFBOT_ALLOW_HOSTS: '127.0.0.1' }) } };
}

test('collect: teasers get full text, variants collapse, a 404 fails alone, then 304', async () => {
  const { cwd, env } = setup(true);
  const first = await runCli(['collect', 'harbor'], { cwd, env });
  assert.equal(first.code, 1, 'a failed source makes the exit code say so');
  assert.match(first.stdout, /ok +http:\/\/127\.0\.0\.1:\d+\/feed\.xml: 2 new, 0 duplicate, 1 already stored/);
  assert.match(first.stdout, /FAILED +http:\/\/127\.0\.0\.1:\d+\/gone\.xml: .*404/);
  assert.equal(hits.get('/news/strike'), 1, 'the teaser page is fetched once');
  assert.equal(hits.get('/news/ferry'), undefined, 'a full-text item needs no page fetch');

  const second = await runCli(['collect', 'harbor'], { cwd, env });
  assert.match(second.stdout, /unchanged +http:\/\/127\.0\.0\.1:\d+\/feed\.xml/);
  assert.equal(hits.get('/news/strike'), 1, 'nothing fetched twice');

  const brief = await runCli(['brief', 'harbor', '--offline', '--format', 'json'], { cwd, env });
  assert.equal(brief.code, 0, brief.stderr);
  const parsed = JSON.parse(brief.stdout) as Brief;
  assert.equal(parsed.articles.length, 2);
  const strike = parsed.articles.find((a) => a.title.startsWith('Port strike'));
  assert.ok(strike && !strike.url.includes('utm_source'), 'stored under its clean URL');
  assert.ok(!brief.stdout.includes('Subscribe to our newsletter') && !brief.stdout.includes('Comments (0)'));
  assert.ok(
    parsed.stories.some((s) => s.figures.some((f) => f.value.includes('140'))),
    'full text reached the brief',
  );
  assert.equal(parsed.failingSources?.length, 1);
  assert.match(parsed.failingSources?.[0]?.lastError ?? '', /404/);
});

test('collect: loopback is refused unless allowed', async () => {
  const { cwd, env } = setup(false);
  const run = await runCli(['collect', 'harbor'], { cwd, env });
  assert.equal(run.code, 1);
  assert.match(run.stdout, /FAILED +http:\/\/127\.0\.0\.1:\d+\/feed\.xml: .*(blocked|private|loopback|not allowed)/i);
});
