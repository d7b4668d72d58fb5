/**
 * Extraction speed and memory: a web page (Readability over linkedom + metadata + furniture
 * removal), a feed item's HTML, a local text file and a Markdown file, per article; a large
 * page to show how it scales. The floor is linkedom's parse alone, the cost any DOM-based
 * extractor pays before it reads a word.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from '../src/collect/pages/dom.ts';
import { extractFromHtml, extractFromText, htmlToText } from '../src/collect/pages/index.ts';
import { measure, median } from './measure.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const pages = join(root, 'test', 'fixtures', 'pages');
const demo = join(root, 'demo', 'china-ai');

const newsPage = readFileSync(join(pages, 'news-full.html'), 'utf8');
const demoText = readdirSync(demo)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(join(demo, f), 'utf8'));
const demoMarkdown = readdirSync(demo)
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(join(demo, f), 'utf8'));
const feedItem =
  '<p>Kuaishou&rsquo;s Kling passed <b>45&nbsp;million</b> creators, the company said on Wednesday, as it released a new version of the model.</p>' +
  '<p>Prices start at 66 yuan a month.<br>Enterprise plans are sold through an API.</p><p><a href="https://x.example/a">Read more</a></p>';
// A long article: the news page's paragraphs repeated to about 200 KB.
const paragraph = /<p>Export restrictions[\s\S]*?<\/p>/.exec(newsPage)?.[0] ?? '<p>text</p>';
const bigPage = newsPage.replace(paragraph, paragraph.repeat(Math.ceil(200_000 / paragraph.length)));

interface Case {
  readonly name: string;
  readonly ops: number;
  readonly run: (i: number) => unknown;
}

const cases: Case[] = [
  { name: 'linkedom parse only (floor), news page', ops: 50, run: () => parseDocument(newsPage) },
  { name: 'extractFromHtml, news page (4 KB)', ops: 50, run: () => extractFromHtml(newsPage, 'https://lantern.example/a') },
  {
    name: `extractFromHtml, long page (${Math.round(bigPage.length / 1000)} KB)`,
    ops: 3,
    run: () => extractFromHtml(bigPage, 'https://lantern.example/b'),
  },
  { name: 'htmlToText, feed item', ops: 300, run: () => htmlToText(feedItem) },
  {
    name: 'extractFromText, demo .txt files',
    ops: 300,
    run: (i) => extractFromText(demoText[i % demoText.length] ?? '', { format: 'text' }),
  },
  {
    name: 'extractFromText, demo .md files',
    ops: 300,
    run: (i) => extractFromText(demoMarkdown[i % demoMarkdown.length] ?? '', { format: 'markdown' }),
  },
];

const RUNS = 5;
const rows: string[] = [];
const perOp = new Map<string, number>();
for (const c of cases) {
  for (let i = 0; i < Math.min(c.ops, 20); i++) c.run(i); // warm-up
  const times: number[] = [];
  let peakRss = 0;
  let peakHeap = 0;
  for (let r = 0; r < RUNS; r++) {
    const m = await measure(() => {
      for (let i = 0; i < c.ops; i++) c.run(i);
    });
    times.push(m.ms / c.ops);
    peakRss = Math.max(peakRss, m.peakRssMb);
    peakHeap = Math.max(peakHeap, m.peakHeapMb);
  }
  const ms = median(times);
  perOp.set(c.name, ms);
  rows.push(
    `| ${c.name} | ${ms.toFixed(3)} | ${Math.round(1000 / ms).toLocaleString('en')} | ${peakRss.toFixed(0)} | ${peakHeap.toFixed(0)} |`,
  );
}

const floor = perOp.get(cases[0]!.name) ?? 1;
const page = perOp.get(cases[1]!.name) ?? 1;
console.log(`## Extraction

Median of ${RUNS} runs per case, per article. Peak RSS/heap sampled every 10 ms during the runs.

| case | ms / article | articles / s | peak RSS MB | peak heap MB |
| --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}

A web page costs ${(page / floor).toFixed(1)}× linkedom's parse alone (Readability, metadata and furniture removal on top).
`);
