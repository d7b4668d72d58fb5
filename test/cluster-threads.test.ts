/**
 * Vectors built and candidate pairs scored with helper threads (brief/cluster/cluster-threads.ts)
 * are those of one thread, term numbers, weights and scores alike, so clustering gives the same
 * stories; a helper that fails loses nothing. Real worker threads; documents invented for the test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterArticles, clusterArticlesOnThreads, type ClusterDoc } from '../src/brief/cluster/index.ts';
import { buildVectorsOnThreads, rangesOf, slicesOf, vectorsAndScoresOnThreads } from '../src/brief/cluster/cluster-threads.ts';
import { mergePairScores, scorePairs } from '../src/brief/cluster/pair-scores.ts';
import { buildVectors } from '../src/brief/cluster/vectors.ts';

const PLACES = ['Vesterhavn', 'Kilbarra', 'Port Elsie', 'Marrow Bay', 'Tessaly'];
const EVENTS = ['ferry strike', 'harbour dredging', 'crane collapse', 'fuel spill', 'pilot shortage', 'storm closure'];
const SYLLABLES = ['Ka', 'Ro', 'Mi', 'Te', 'Lu', 'Sa', 'No', 'Ve', 'Di', 'Po'];
const WORDS = ['officials', 'said', 'workers', 'council', 'Monday', 'delays', 'repairs', 'union', 'ships', 'cargo', 'inquiry', 'budget'];

/** Reports of a few events in a few ports, with names, figures, titles and some Chinese. */
function reports(count: number): ClusterDoc[] {
  let state = 11;
  const next = (n: number): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % n;
  return Array.from({ length: count }, (_, i) => {
    const place = PLACES[i % PLACES.length]!;
    const event = EVENTS[(i * 7) % EVENTS.length]!;
    const filler = Array.from({ length: 40 + next(60) }, () => WORDS[next(WORDS.length)]).join(' ');
    const chinese = i % 13 === 0 ? ` ${place}港口罢工持续3个月。` : '';
    // A name and a figure of this report's own: every slice meets terms no earlier one had.
    const name =
      SYLLABLES[i % 10]! + SYLLABLES[Math.floor(i / 10) % 10]!.toLowerCase() + SYLLABLES[Math.floor(i / 100) % 10]!.toLowerCase();
    return {
      id: `r${i}`,
      title: `${event} at ${place} enters day ${1 + next(5)}`,
      text: `Harbour Master Ines Holm said the ${event} at ${place} cost $${1 + next(9)}.${next(10)} million. Inspector ${name} Vale counted ${i * 3 + 7} barrels. ${filler}.${chinese}`,
      publisher: `Outlet ${next(7)}`,
    };
  });
}

test('the documents are cut into consecutive slices, this thread taking a little more', () => {
  const ids = Array.from({ length: 1_500 }, (_, i) => i);
  assert.deepEqual(
    slicesOf(ids, 1).map((s) => [s[0], s.length]),
    [
      [0, 1_000],
      [1_000, 500],
    ],
  );
  assert.deepEqual(slicesOf(ids, 2).flat(), ids);
  assert.ok(slicesOf(ids, 2).every((s) => s.length > 300));
  assert.deepEqual(slicesOf(ids.slice(0, 200), 1), [ids.slice(0, 200), []], 'too few to share');
});

test('the search is cut into consecutive ranges covering every document, this thread taking a little more', () => {
  for (const [n, helpers] of [
    [10_000, 1],
    [10_000, 3],
    [7, 3],
    [0, 1],
  ] as const) {
    const ranges = rangesOf(n, helpers);
    assert.equal(ranges.length, helpers + 1);
    assert.equal(ranges[0]!.from, 0);
    assert.equal(ranges.at(-1)!.to, n);
    ranges.slice(1).forEach((r, k) => assert.equal(r.from, ranges[k]!.to));
  }
  assert.deepEqual(rangesOf(10_000, 1), [
    { from: 0, to: 5_400 },
    { from: 5_400, to: 10_000 },
  ]);
});

test('pairs scored by ranges and merged are the pairs scored in one pass', () => {
  const space = buildVectors(reports(600));
  const settings = { rarity: true, rareMaxDf: 30 };
  const whole = scorePairs(space, settings);
  assert.ok(whole.cosine.length > 600);
  for (const helpers of [1, 2, 5]) {
    const parts = rangesOf(600, helpers).map((range) => scorePairs(space, settings, range));
    assert.deepEqual(mergePairScores(parts), whole, `${helpers + 1} ranges`);
  }
});

test('vectors built with helpers are the vectors built on one thread', async () => {
  const docs = reports(1_500);
  const alone = buildVectors(docs);
  for (const helpers of [1, 2]) {
    assert.deepEqual(await buildVectorsOnThreads(docs, undefined, { helpers, minDocs: 0 }), alone, `${helpers} helpers`);
  }
  // Below the size worth a thread (3,000 documents), no helper is started; the same answer.
  assert.deepEqual(await buildVectorsOnThreads(docs, undefined, { helpers: 1 }), alone);
});

test('pairs scored with helpers are the pairs scored on one thread', async () => {
  const docs = reports(1_500);
  const space = buildVectors(docs);
  const settings = { rarity: true, rareMaxDf: 75 };
  for (const helpers of [1, 2]) {
    const threaded = await vectorsAndScoresOnThreads(docs, undefined, settings, { helpers, minDocs: 0 });
    assert.deepEqual(threaded, { space, scores: scorePairs(space, settings) }, `${helpers} helpers`);
  }
});

test('a helper that fails loses nothing: its share is counted and searched on this thread', async () => {
  const docs = reports(1_500);
  const failures: string[] = [];
  // A heap too small for the helper's own modules: it dies as it starts.
  const threads = { helpers: 1, minDocs: 0, helperHeapMb: 2, onHelperFailure: (reason: string) => failures.push(reason) };
  const space = await buildVectorsOnThreads(docs, undefined, threads);
  assert.deepEqual(space, buildVectors(docs));
  assert.equal(failures.length, 1);
  const settings = { rarity: true, rareMaxDf: 75 };
  const both = await vectorsAndScoresOnThreads(docs, undefined, settings, threads);
  assert.deepEqual(both, { space, scores: scorePairs(space, settings) });
  assert.equal(failures.length, 2, 'told once per build: a helper found dead is not asked again');
});

test('clustering with helpers finds the same stories', async () => {
  const docs = reports(1_500);
  const stories = clusterArticles(docs);
  assert.ok(stories.length > 1 && stories.some((s) => s.articleIds.length > 1));
  assert.deepEqual(await clusterArticlesOnThreads(docs, {}, { helpers: 1, minDocs: 0 }), stories);
});
