/**
 * Clustering benchmark: quality on the 1,479 real articles of ../shared/eval/stories/ (ours
 * and a naive TF-IDF single-link baseline, with and without dates), and time, memory and
 * quality on synthetic corpora of 1,000 and 10,000 articles against the tokenization floor.
 * Also near-duplicate detection rates. Run: node --import tsx --expose-gc bench/cluster.bench.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { clusterArticles, type ClusterDoc } from '../src/brief/cluster/index.ts';
import { isNearDuplicate } from '../src/collect/dedupe.ts';
import { tokenize } from '../src/text/tokenize.ts';
import { bcubed, measure, median } from './measure.ts';
import { generateCorpus } from './synthetic.ts';

/** Adjusted Rand index of predicted clusters against gold labels (over the gold ids). */
function ari(predicted: ReadonlyMap<string, string>, gold: ReadonlyMap<string, string>): number {
  const choose2 = (x: number): number => (x * (x - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  let n = 0;
  for (const [id, g] of gold) {
    const p = predicted.get(id);
    if (p === undefined) continue;
    n += 1;
    cells.set(`${g}\u0000${p}`, (cells.get(`${g}\u0000${p}`) ?? 0) + 1);
    rows.set(g, (rows.get(g) ?? 0) + 1);
    cols.set(p, (cols.get(p) ?? 0) + 1);
  }
  let index = 0;
  for (const c of cells.values()) index += choose2(c);
  let a = 0;
  for (const c of rows.values()) a += choose2(c);
  let b = 0;
  for (const c of cols.values()) b += choose2(c);
  const expected = (a * b) / choose2(n);
  const max = (a + b) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

function labels(groups: readonly (readonly string[])[]): Map<string, string> {
  return new Map(groups.flatMap((g, i) => g.map((id) => [id, `c${i}`] as [string, string])));
}

/**
 * The naive baseline: plain TF-IDF (no title weight, no entities) over title and text,
 * all pairs, single link at a cosine threshold; with dates, only pairs within two days link.
 * The threshold is swept and the best F1 reported, which flatters the baseline.
 */
function baseline(
  docs: readonly ClusterDoc[],
  useDates: boolean,
): { f1: number; p: number; r: number; ari: number; threshold: number } & { gold?: never } {
  const tf = docs.map((d) => {
    const m = new Map<string, number>();
    for (const t of tokenize(`${d.title}\n${d.text}`)) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  });
  const df = new Map<string, number>();
  for (const m of tf) for (const t of m.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const vecs = tf.map((m) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, c] of m) {
      const w = c * Math.log(docs.length / df.get(t)!);
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });
  const times = docs.map((d) => Date.parse(d.publishedAt ?? ''));
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < docs.length; i += 1) {
    for (let j = i + 1; j < docs.length; j += 1) {
      if (useDates && Math.abs(times[i]! - times[j]!) > 2 * 86_400_000) continue;
      const [small, large] = vecs[i]!.size < vecs[j]!.size ? [vecs[i]!, vecs[j]!] : [vecs[j]!, vecs[i]!];
      let dot = 0;
      for (const [t, w] of small) dot += w * (large.get(t) ?? 0);
      if (dot >= 0.1) pairs.push([i, j, dot]);
    }
  }
  let best = { f1: 0, p: 0, r: 0, ari: 0, threshold: 0 };
  for (let threshold = 0.1; threshold <= 0.61; threshold += 0.05) {
    const parent = docs.map((_, i) => i);
    const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
    for (const [i, j, s] of pairs) if (s >= threshold) parent[find(i)] = find(j);
    const predicted = new Map(docs.map((d, i) => [d.id, `c${find(i)}`] as [string, string]));
    const q = bcubed(predicted, goldOf);
    if (q.f1 > best.f1) best = { ...q, ari: ari(predicted, goldOf), threshold };
  }
  return best;
}

let goldOf = new Map<string, string>();
const out: string[] = ['## Clustering into stories\n'];

const EVAL = new URL('../../shared/eval/stories/allsides_neus_articles_flat.jsonl', import.meta.url);
if (existsSync(EVAL)) {
  const rows = readFileSync(EVAL, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, string>);
  goldOf = new Map(rows.map((r) => [r['article_id']!, r['gold_cluster_id']!]));
  // The crawl has no per-article dates: each article gets its story's date, as the README implies.
  const docs = rows.map((r): ClusterDoc => ({
    id: r['article_id']!,
    title: r['title']!,
    text: r['text']!,
    publisher: r['source']!,
    publishedAt: r['date']!,
  }));
  out.push(
    `### Real articles: ${docs.length.toLocaleString('en')} AllSides/NeuS articles, ${new Set(goldOf.values()).size} gold stories\n`,
  );
  out.push('| method | dates | B-cubed P | B-cubed R | B-cubed F1 | ARI | time |');
  out.push('|---|---|---|---|---|---|---|');
  for (const useDates of [false, true]) {
    const m = await measure(() => clusterArticles(docs, { useDates }));
    const predicted = labels(m.result.map((s) => s.articleIds));
    const q = bcubed(predicted, goldOf);
    out.push(
      `| Briefbot (TF-IDF + entities, time anchors without dates, average link with surroundings contrast, split check) | ${useDates ? 'yes' : 'no'} | ${q.p.toFixed(3)} | ${q.r.toFixed(3)} | **${q.f1.toFixed(3)}** | ${ari(predicted, goldOf).toFixed(3)} | ${m.ms.toFixed(0)} ms |`,
    );
    const started = performance.now();
    const b = baseline(docs, useDates);
    out.push(
      `| naive TF-IDF single link (best threshold ${b.threshold.toFixed(2)}, all pairs) | ${useDates ? 'yes' : 'no'} | ${b.p.toFixed(3)} | ${b.r.toFixed(3)} | ${b.f1.toFixed(3)} | ${b.ari.toFixed(3)} | ${(performance.now() - started).toFixed(0)} ms (sweep) |`,
    );
  }
  let pairs = 0;
  let flagged = 0;
  const byStory = new Map<string, Record<string, string>[]>();
  for (const r of rows) byStory.set(r['gold_cluster_id']!, [...(byStory.get(r['gold_cluster_id']!) ?? []), r]);
  for (const members of byStory.values()) {
    for (let i = 0; i < members.length; i += 1) {
      for (let j = i + 1; j < members.length; j += 1) {
        if (members[i]!['url'] === members[j]!['url']) continue;
        pairs += 1;
        if (isNearDuplicate(members[i]!['text']!, members[j]!['text']!)) flagged += 1;
      }
    }
  }
  out.push(`\nNear-duplicate false positives on real same-story, different-outlet pairs: ${flagged} of ${pairs}.\n`);
} else {
  out.push('_../shared/eval/stories/ not found: real-article quality skipped._\n');
}

out.push('### Synthetic corpora (planted stories, paraphrase, syndicated copies, noise; dates on)\n');
out.push(
  '| articles | clustering (median of 3) | CPU time (median) | peak RSS | peak heap | tokenization floor (median of 3, wall / CPU) | clustering / floor (wall / CPU) | B-cubed F1 | ARI | stories | copies detected as near-dups |',
);
out.push('|---|---|---|---|---|---|---|---|---|---|---|');
const times = new Map<number, number>();
const cpuTimes = new Map<number, number>();
/** CPU milliseconds (user + system) of this process since `since`: robust to a busy machine. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}
for (const n of [1_000, 10_000]) {
  const corpus = generateCorpus(n, 42);
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  const floorCpuRuns: number[] = [];
  let peakRss = 0;
  let peakHeap = 0;
  let stories: ReturnType<typeof clusterArticles> = [];
  for (let i = 0; i < 3; i += 1) {
    const cpu = process.cpuUsage();
    const m = await measure(() => clusterArticles(corpus.articles));
    cpuRuns.push(cpuMs(cpu));
    runs.push(m.ms);
    peakRss = Math.max(peakRss, m.peakRssMb);
    peakHeap = Math.max(peakHeap, m.peakHeapMb);
    stories = m.result;
  }
  const floorRuns: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const cpu = process.cpuUsage();
    const m = await measure(() => {
      let count = 0;
      for (const a of corpus.articles) count += tokenize(`${a.title}\n${a.text}`).length;
      return count;
    });
    floorRuns.push(m.ms);
    floorCpuRuns.push(cpuMs(cpu));
  }
  const byId = new Map(corpus.articles.map((a) => [a.id, a]));
  let detected = 0;
  for (const [copy, original] of corpus.duplicateOf) if (isNearDuplicate(byId.get(copy)!.text, byId.get(original)!.text)) detected += 1;
  const predicted = labels(stories.map((s) => s.articleIds));
  const q = bcubed(predicted, corpus.goldStory);
  const t = median(runs);
  const floor = median(floorRuns);
  const tCpu = median(cpuRuns);
  const floorCpu = median(floorCpuRuns);
  times.set(n, t);
  cpuTimes.set(n, tCpu);
  out.push(
    `| ${n.toLocaleString('en')} | ${t.toFixed(0)} ms | ${tCpu.toFixed(0)} ms | ${peakRss.toFixed(0)} MB | ${peakHeap.toFixed(0)} MB | ${floor.toFixed(0)} / ${floorCpu.toFixed(0)} ms | ${(t / floor).toFixed(1)}× / ${(tCpu / floorCpu).toFixed(1)}× | ${q.f1.toFixed(3)} (P ${q.p.toFixed(3)}, R ${q.r.toFixed(3)}) | ${ari(predicted, corpus.goldStory).toFixed(3)} | ${stories.length} | ${detected}/${corpus.duplicateOf.size} |`,
  );
}
// A flood: 500 identical copies of one article (a wire story every outlet reprints) beside the
// 1k corpus; test/cluster.test.ts checks they become one story.
{
  const corpus = generateCorpus(1_000, 7);
  const original = corpus.articles[0]!;
  const flood = Array.from({ length: 500 }, (_, i): ClusterDoc => ({ ...original, id: `copy${i}`, publisher: `Outlet ${i % 40}` }));
  const runs: number[] = [];
  for (let i = 0; i < 3; i += 1) runs.push((await measure(() => clusterArticles([...flood, ...corpus.articles]))).ms);
  out.push(`
A flood of 500 identical copies beside 1,000 articles: ${median(runs).toFixed(0)} ms (median of 3), against ${times.get(1_000)!.toFixed(0)} ms for the 1,000 alone.`);
}
const growth = times.get(10_000)! / times.get(1_000)!;
const cpuGrowth = cpuTimes.get(10_000)! / cpuTimes.get(1_000)!;
out.push(
  `\nTime growth 1k → 10k: ${growth.toFixed(1)}× wall, ${cpuGrowth.toFixed(1)}× CPU, for 10× the articles (target ≤ 12×, i.e. ≤ 1.2× linear). Peak memory is the RSS high-water mark of the process during the run. CPU time is shown because wall time on a shared machine includes waiting for the CPU (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores at the end of this run).`,
);
console.log(out.join('\n'));
