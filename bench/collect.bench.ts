/**
 * Collect throughput and peak memory for 1,000 and 10,000 articles served on 127.0.0.1:
 * feeds of 50 items each; one item in five is a teaser whose page is fetched for full text.
 * The server runs in this process, so its CPU counts against the figures (a pessimistic
 * reading on a 2-core machine).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/core/log.ts';
import type { Topic } from '../src/core/types.ts';
import { collectTopics } from '../src/collect/index.ts';
import { HttpClient } from '../src/collect/http/client.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { measure } from './measure.ts';
import { generateCorpus } from './synthetic.ts';

const PER_FEED = 50;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function run(n: number): Promise<string> {
  const corpus = generateCorpus(n, 7);
  const articles = corpus.articles;
  const feeds = Math.ceil(articles.length / PER_FEED);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const feed = /^\/feed\/(\d+)\.xml$/.exec(url.pathname);
    if (feed) {
      const i = Number(feed[1]);
      const items = articles.slice(i * PER_FEED, (i + 1) * PER_FEED).map((a, j) => {
        const teaser = j % 5 === 0;
        const body = teaser ? `${a.text.slice(0, 200)}…` : a.text.split('\n\n').map((p) => `<p>${escapeXml(p)}</p>`).join('');
        return `<item><title>${escapeXml(a.title)}</title><link>http://127.0.0.1:${port}/a/${a.id}</link><guid>${a.id}</guid>
<pubDate>${new Date(a.publishedAt).toUTCString()}</pubDate><description>${escapeXml(body)}</description></item>`;
      });
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${i}</title>${items.join('')}</channel></rss>`);
      return;
    }
    const page = /^\/a\/(.+)$/.exec(url.pathname);
    const article = page ? articles.find((a) => a.id === page[1]) : undefined;
    if (article) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<html><head><title>${escapeXml(article.title)}</title></head><body><nav>Home · World</nav><article><h1>${escapeXml(article.title)}</h1>${article.text
        .split('\n\n')
        .map((p) => `<p>${escapeXml(p)}</p>`)
        .join('')}</article><footer>Comments (0)</footer></body></html>`);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-bench-'));
  const store = openSqliteStore(join(dir, 'bench.db'));
  const http = new HttpClient({
    timeoutMs: 30_000,
    maxBytes: 10_000_000,
    maxRedirects: 3,
    perHostConcurrency: 8,
    retries: 0,
    allowHosts: ['127.0.0.1'],
  });
  const topic: Topic = {
    id: 'bench',
    title: 'bench',
    sources: Array.from({ length: feeds }, (_, i) => {
      const u = `http://127.0.0.1:${port}/feed/${i}.xml`;
      return { id: u, url: u, kind: 'feed' as const };
    }),
    include: [],
    exclude: [],
    window: 'all',
    channels: [],
    summarizer: { kind: 'extractive', maxStories: 8 },
  };
  try {
    const m = await measure(() => collectTopics([topic], { store, http, logger: silentLogger, concurrency: 4 }));
    const stored = await store.articles.count();
    const dup = m.result.sources.reduce((s, r) => s + r.duplicate, 0);
    const failed = m.result.failed;
    return `| ${n.toLocaleString('en')} | ${feeds} | ${(m.ms / 1000).toFixed(1)} s | ${((articles.length / m.ms) * 1000).toFixed(0)} | ${m.peakRssMb.toFixed(0)} MB | ${stored} (${dup} as copies) | ${failed} |`;
  } finally {
    await http.close();
    await store.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log('## Collect: throughput and memory (feeds + teaser pages on 127.0.0.1)\n');
console.log('| articles | feeds | time | articles/s | peak RSS | stored | failed sources |');
console.log('|---|---|---|---|---|---|---|');
for (const n of [1_000, 10_000]) console.log(await run(n));
