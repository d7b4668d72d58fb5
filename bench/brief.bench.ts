/**
 * Brief time and memory for 1,000 and 10,000 synthetic articles (planted stories and
 * copies, from bench/synthetic.ts): list → cluster → summarize → verify, extractive.
 * Compared with one plain tokenization pass over the same text (the floor), and clustering
 * quality (B-cubed F1) against the planted stories.
 */
import { silentLogger } from '../src/core/log.ts';
import type { Article, Topic } from '../src/core/types.ts';
import { buildBrief } from '../src/brief/index.ts';
import { clusterArticles } from '../src/brief/cluster/index.ts';
import { ExtractiveSummarizer } from '../src/brief/summarize/extractive.ts';
import { tokenize } from '../src/text/tokenize.ts';
import { bcubed, measure, median } from './measure.ts';
import { generateCorpus } from './synthetic.ts';

const topic: Topic = {
  id: 'bench',
  title: 'bench',
  sources: [],
  include: [],
  exclude: [],
  window: 'all',
  channels: [],
  summarizer: { kind: 'extractive', maxStories: 8 },
};

function toArticles(n: number): { articles: Article[]; gold: Map<string, string> } {
  const corpus = generateCorpus(n, 42);
  const now = new Date('2026-11-23T09:00:00Z').toISOString();
  // The store collapses copies before a brief; the bench starts from what the store lists.
  const articles = corpus.articles
    .filter((a) => !corpus.duplicateOf.has(a.id))
    .map((a): Article => ({
      id: a.id,
      url: a.url,
      canonicalUrl: a.url,
      title: a.title,
      text: a.text,
      publisher: a.publisher,
      publishedAt: a.publishedAt,
      sourceId: a.publisher,
      contentHash: a.id,
      firstSeenAt: now,
    }));
  const gold = new Map(
    articles.flatMap((a) => {
      const story = corpus.goldStory.get(a.id);
      return story === undefined ? [] : [[a.id, story] as [string, string]];
    }),
  );
  return { articles, gold };
}

const rows: string[] = [];
const times = new Map<number, number>();
for (const n of [1_000, 10_000]) {
  const { articles, gold } = toArticles(n);
  const briefRuns: number[] = [];
  let peak = 0;
  let stories = 0;
  for (let i = 0; i < 3; i += 1) {
    const m = await measure(() =>
      buildBrief({
        topic,
        articles,
        window: { since: new Date(0), until: new Date() },
        summarizer: new ExtractiveSummarizer(),
        logger: silentLogger,
        now: new Date(),
      }),
    );
    briefRuns.push(m.ms);
    peak = Math.max(peak, m.peakRssMb);
    stories = m.result.brief.stories.length;
  }
  const tokenRuns: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const m = await measure(() => {
      let count = 0;
      for (const a of articles) count += tokenize(`${a.title}\n${a.text}`).length;
      return count;
    });
    tokenRuns.push(m.ms);
  }
  const clusters = clusterArticles(
    articles.map((a) => ({ id: a.id, title: a.title, text: a.text, publishedAt: a.publishedAt!, publisher: a.publisher! })),
  );
  const predicted = new Map(clusters.flatMap((c, i) => c.articleIds.map((id) => [id, `c${i}`] as [string, string])));
  const quality = bcubed(predicted, gold);
  const t = median(briefRuns);
  times.set(n, t);
  const floor = median(tokenRuns);
  rows.push(
    `| ${n.toLocaleString('en')} | ${articles.length.toLocaleString('en')} | ${t.toFixed(0)} ms | ${peak.toFixed(0)} MB | ${floor.toFixed(0)} ms | ${(t / floor).toFixed(1)}× | ${quality.f1.toFixed(3)} (P ${quality.p.toFixed(3)}, R ${quality.r.toFixed(3)}) | ${stories} |`,
  );
}

console.log('## Brief (extractive): time, memory, clustering quality\n');
console.log(
  '| articles generated | distinct (after copies) | brief time (median of 3) | peak RSS | tokenization floor | brief / floor | B-cubed F1 vs planted | stories summarized |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
const growth = times.get(10_000)! / times.get(1_000)!;
console.log(`\nGrowth 1k → 10k: ${growth.toFixed(1)}× for 10× the articles (${(growth / 10).toFixed(2)}× linear; target ≤ 1.2×).`);
