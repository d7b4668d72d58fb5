/**
 * Summarize + verify time for one story as it grows: 10 → 2,000 articles of varied text
 * (distinct sentences, numbers, attributions, polarity cues), plus a story of 1,000
 * near-identical copies. Prints a Markdown section: medians of several runs, peak memory,
 * and the growth ratio per 10× more sentences (1.0 = linear). The floor is one plain
 * tokenization pass over the same text.
 */
import type { StoryArticle } from '../src/core/types.ts';
import { verifyStory } from '../src/brief/verify.ts';
import { summarizeExtractive } from '../src/brief/summarize/extractive.ts';
import { contentTokens } from '../src/text/tokenize.ts';
import { measure, median } from './measure.ts';

/** Deterministic pseudo-random numbers (mulberry32), so every run sees the same corpus. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = [
  'port',
  'council',
  'bridge',
  'budget',
  'strike',
  'union',
  'minister',
  'harbour',
  'ferry',
  'tunnel',
  'school',
  'hospital',
  'court',
  'market',
  'factory',
  'river',
];
const VERBS = ['rose', 'fell', 'widened', 'narrowed', 'stalled', 'grew', 'closed', 'opened'];
const NAMES = ['Ana Ruiz', 'Tomas Reyes', 'Marta Okonjo', 'Liu Wei', 'Ines Barrow', 'Omar Diallo'];

function makeStory(nArticles: number, seed: number): StoryArticle[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: nArticles }, (_, i) => {
    const sentences = Array.from({ length: 12 }, (_, j) => {
      const n = Math.floor(r() * 900) + 10;
      const kind = j % 4;
      if (kind === 0) return `${pick(NAMES)} said the ${pick(NOUNS)} ${pick(VERBS)} by ${n}% after the ${pick(NOUNS)} vote.`;
      if (kind === 1) return `The ${pick(NOUNS)} cost €${(n / 10).toFixed(1)} million, according to the ${pick(NOUNS)} office.`;
      if (kind === 2)
        return `Officials expect the ${pick(NOUNS)} works to last ${(n % 24) + 1} months while the ${pick(NOUNS)} stays open.`;
      return `Residents near the ${pick(NOUNS)} said the ${pick(NOUNS)} was ${r() < 0.5 ? 'safe' : 'unsafe'} and the ${pick(NOUNS)} ${pick(VERBS)}.`;
    });
    return {
      id: `a${i + 1}`,
      title: `The ${pick(NOUNS)} ${pick(VERBS)} as ${pick(NOUNS)} talks go on`,
      text: sentences.join(' '),
      url: `https://bench.test/${i}`,
    };
  });
}

function copies(n: number): StoryArticle[] {
  const base = makeStory(1, 7)[0]!;
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    id: `a${i + 1}`,
    url: `https://copies.test/${i}`,
    text: `${base.text} Copy ${i % 3 === 0 ? 'three' : 'one'}.`,
  }));
}

async function timeIt(
  articles: StoryArticle[],
  runs: number,
): Promise<{ ms: number; floorMs: number; peakRssMb: number; peakHeapMb: number }> {
  const times: number[] = [];
  const floors: number[] = [];
  let peakRssMb = 0;
  let peakHeapMb = 0;
  for (let i = 0; i < runs; i++) {
    const m = await measure(() => verifyStory(summarizeExtractive({ id: 's1', articles }), articles));
    times.push(m.ms);
    peakRssMb = Math.max(peakRssMb, m.peakRssMb);
    peakHeapMb = Math.max(peakHeapMb, m.peakHeapMb);
    const t = performance.now();
    let count = 0;
    for (const a of articles) count += contentTokens(`${a.title}\n${a.text}`).length;
    floors.push(performance.now() - t);
    if (count < 0) throw new Error('unreachable');
  }
  return { ms: median(times), floorMs: median(floors), peakRssMb, peakHeapMb };
}

const rows: string[] = [];
let previous: { sentences: number; ms: number } | undefined;
for (const n of [10, 100, 1000, 2000]) {
  const articles = makeStory(n, n);
  const sentences = n * 12;
  const r = await timeIt(articles, n >= 1000 ? 3 : 5);
  const growth = previous ? Math.log(r.ms / previous.ms) / Math.log(sentences / previous.sentences) : NaN;
  rows.push(
    `| ${n} articles (${sentences} sentences) | ${r.ms.toFixed(1)} | ${r.floorMs.toFixed(1)} | ${(r.ms / Math.max(r.floorMs, 0.01)).toFixed(1)}× | ${Number.isNaN(growth) ? '–' : growth.toFixed(2)} | ${r.peakRssMb.toFixed(0)} / ${r.peakHeapMb.toFixed(0)} |`,
  );
  previous = { sentences, ms: r.ms };
}
const c = await timeIt(copies(1000), 3);
rows.push(
  `| 1,000 near-identical copies | ${c.ms.toFixed(1)} | ${c.floorMs.toFixed(1)} | ${(c.ms / Math.max(c.floorMs, 0.01)).toFixed(1)}× | – | ${c.peakRssMb.toFixed(0)} / ${c.peakHeapMb.toFixed(0)} |`,
);

console.log(`## Summarize one story (extractive + verify)

| story | median ms | tokenize floor ms | ratio to floor | growth exponent vs previous (1 = linear) | peak RSS / heap MB |
| --- | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`);
