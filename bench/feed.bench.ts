/**
 * Feed parsing speed and memory: synthetic RSS 2.0 and Atom feeds of 20, 200 and 2,000 items
 * (each item ~1.5 KB of HTML content), GBK-encoded RSS, and one pass over the feedparser
 * conformance suite when ../shared/eval/feeds/ is present. Medians of several runs.
 */
import { existsSync, readFileSync } from 'node:fs';

import iconv from 'iconv-lite';

import { parseFeed } from '../src/collect/feeds/index.ts';
import { measure, median } from './measure.ts';

const RUNS = 5;
const PARAGRAPH =
  'The company said the model was trained on a larger mix of code and maths, and that prices for developers would fall by about a third from next month. ';

function rss(items: number): string {
  const body = Array.from({ length: items }, (_, i) => {
    const content = `<p>${PARAGRAPH.repeat(3)}</p><p>${PARAGRAPH.repeat(3)}</p>`;
    return `<item><title>Story ${i}: model prices fall &amp; usage rises</title><link>https://news.example.org/s/${i}</link>
<guid isPermaLink="false">s-${i}</guid><pubDate>Sat, 21 Nov 2026 09:${String(i % 60).padStart(2, '0')}:00 +0800</pubDate>
<category>AI</category><description>${PARAGRAPH.slice(0, 120)}…</description><content:encoded><![CDATA[${content}]]></content:encoded></item>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title><link>https://news.example.org/</link>${body}</channel></rss>`;
}

function atom(items: number): string {
  const body = Array.from({ length: items }, (_, i) => {
    const content = `&lt;p&gt;${PARAGRAPH.repeat(6)}&lt;/p&gt;`;
    return `<entry><title type="html">Story ${i} &amp;amp; more</title><link rel="alternate" href="s/${i}"/><id>urn:s:${i}</id>
<published>2026-11-21T09:00:00+08:00</published><updated>2026-11-21T10:00:00Z</updated><author><name>Desk</name></author>
<content type="html">${content}</content></entry>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example.org/"><title>Bench</title>${body}</feed>`;
}

async function time(label: string, bytes: Uint8Array, items: number): Promise<string> {
  const now = new Date('2026-11-23T00:00:00Z');
  parseFeed(bytes, { now }); // warm-up
  const times: number[] = [];
  let peakRss = 0;
  let peakHeap = 0;
  for (let r = 0; r < RUNS; r++) {
    const { result, ms, peakRssMb, peakHeapMb } = await measure(() => parseFeed(bytes, { now }));
    if (result.items.length !== items) throw new Error(`${label}: expected ${items} items, got ${result.items.length}`);
    times.push(ms);
    peakRss = Math.max(peakRss, peakRssMb);
    peakHeap = Math.max(peakHeap, peakHeapMb);
  }
  const ms = median(times);
  const mb = bytes.byteLength / 2 ** 20;
  return `| ${label} | ${items} | ${mb.toFixed(2)} | ${ms.toFixed(1)} | ${((items / ms) * 1000).toFixed(0)} | ${(mb / (ms / 1000)).toFixed(1)} | ${peakRss.toFixed(0)} | ${peakHeap.toFixed(0)} |`;
}

async function conformance(): Promise<string> {
  const suite = new URL('../../shared/eval/feeds/', import.meta.url);
  const manifest = new URL('manifest.jsonl', suite);
  if (!existsSync(manifest)) return '_feedparser suite not found in ../shared/eval/feeds/; skipped._';
  const files = readFileSync(manifest, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => readFileSync(new URL((JSON.parse(l) as { file: string }).file, suite)));
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const started = performance.now();
    for (const bytes of files) {
      try {
        parseFeed(bytes);
      } catch {
        // PARSE errors are expected for some of the suite's documents.
      }
    }
    times.push(performance.now() - started);
  }
  const ms = median(times);
  return `feedparser suite: ${files.length} documents in ${ms.toFixed(0)} ms median (${(ms / files.length).toFixed(2)} ms per document).`;
}

const lines = [
  '## Feed parsing',
  '',
  `Median of ${RUNS} runs; peak RSS/heap are process-wide maxima sampled every 10 ms.`,
  '',
  '| feed | items | MB | median ms | items/s | MB/s | peak RSS MB | peak heap MB |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
const enc = new TextEncoder();
for (const n of [20, 200, 2000]) lines.push(await time('RSS 2.0 (UTF-8)', enc.encode(rss(n)), n));
for (const n of [20, 200, 2000]) lines.push(await time('Atom 1.0 (UTF-8)', enc.encode(atom(n)), n));
const chinese = rss(200)
  .replace(/Story (\d+)/g, '新闻 $1')
  .replace('encoding="UTF-8"', 'encoding="gbk"');
lines.push(await time('RSS 2.0 (GBK)', new Uint8Array(iconv.encode(chinese, 'gbk')), 200));
// Hostile XML: nested entities declared to expand a billion-fold ("billion laughs"); the
// parser expands them once, within a budget (test/feed.test.ts checks the bound).
const lol =
  '<!DOCTYPE rss [<!ENTITY a "' +
  'a'.repeat(100) +
  '"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
  `<rss><channel><title>T</title><item><title>${'&b;'.repeat(20_000)}</title></item></channel></rss>`;
lines.push(await time('RSS 2.0, billion laughs (20,000 nested references)', enc.encode(lol), 1));
lines.push('', await conformance());
console.log(lines.join('\n'));
