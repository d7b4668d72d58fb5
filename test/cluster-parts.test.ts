/**
 * The parts of clustering that carry their own judgement: time anchors read from the text,
 * shared rare terms and the split check after average link.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anchorFactor, timeAnchors } from '../src/brief/cluster/anchors.ts';
import { CLUSTER_TEXT_CHARS, clusterArticles } from '../src/brief/cluster/index.ts';
import { eventNames } from '../src/brief/cluster/event-names.ts';
import { splitIncoherent } from '../src/brief/cluster/split.ts';
import { buildVectors, pairOverlap } from '../src/brief/cluster/vectors.ts';

test('time anchors: weekdays and months, not the verb "may" or the word "march"', () => {
  const a = timeAnchors('Dockers walked out on Wednesday. The union may march again; the vote is May 12, and Oct. 3 is next.');
  assert.deepEqual([...a.weekdays], ['wed']);
  assert.deepEqual([...a.months].sort(), ['may', 'oct']);
  assert.deepEqual(timeAnchors('They may strike in the spring.'), { weekdays: new Set(), months: new Set() });
});

test('anchor factor: a shared weekday lifts, disjoint days and months lower, silence is neutral', () => {
  const wed = timeAnchors('on Wednesday');
  const fri = timeAnchors('on Friday');
  const none = timeAnchors('no day named here');
  assert.ok(anchorFactor(wed, timeAnchors('late Wednesday')) > 1);
  assert.ok(anchorFactor(wed, fri) < 1);
  assert.equal(anchorFactor(wed, none), 1);
  assert.ok(anchorFactor(timeAnchors('in April'), timeAnchors('in July')) < 1);
  assert.ok(
    anchorFactor(timeAnchors('on Friday in July'), timeAnchors('on Monday in April')) < anchorFactor(wed, fri),
    'both conflicts count',
  );
});

/** A similarity from a matrix over document indices. */
const fromMatrix =
  (m: number[][]) =>
  (i: number, j: number): number =>
    m[i]![j]!;

test('split check: two tight blocks linked loosely split; an evenly similar group stays whole', () => {
  // Documents 0–2 and 3–5 are tight inside (0.6) and loose across (0.2): two stories chained.
  const chained = Array.from({ length: 6 }, (_, i) =>
    Array.from({ length: 6 }, (_, j) => (i === j ? 1 : Math.floor(i / 3) === Math.floor(j / 3) ? 0.6 : 0.2)),
  );
  assert.deepEqual(splitIncoherent([0, 1, 2, 3, 4, 5], fromMatrix(chained)), [
    [0, 1, 2],
    [3, 4, 5],
  ]);
  // One story of 40 whose pairs vary a little: no bisection stands out.
  const even = Array.from({ length: 40 }, (_, i) => Array.from({ length: 40 }, (_, j) => 0.5 + 0.05 * Math.sin(i * 7 + j * 7)));
  const all = Array.from({ length: 40 }, (_, i) => i);
  assert.deepEqual(splitIncoherent(all, fromMatrix(even)), [all]);
  // A lone loose member is not a block: groups of three never split into 2 + 1.
  assert.deepEqual(
    splitIncoherent(
      [0, 1, 2],
      fromMatrix([
        [1, 0.9, 0.1],
        [0.9, 1, 0.1],
        [0.1, 0.1, 1],
      ]),
    ),
    [[0, 1, 2]],
  );
});

test('event names: places, players and years, not sentence starts or quoted speakers the headline does not name', () => {
  const names = eventNames(
    'Saints place Pierre Thomas on injured reserve',
    'The New Orleans Saints put running back Pierre Thomas on injured reserve on January 5, 2011. ' +
      '"It is a blow," coach Sean Payton said. Thomas hurt his ankle in Atlanta, spokesperson Greg Bensel told reporters.',
  );
  for (const n of ['c:orleans', 'c:saints', 'c:pierre', 'c:thomas', 'c:atlanta', 'c:january', 'y:2011']) assert.ok(names.includes(n), n);
  // Quoted, and not in the headline: "Sean Payton said", "spokesperson Greg Bensel".
  for (const n of ['c:payton', 'c:sean', 'c:greg', 'c:bensel']) assert.ok(!names.includes(n), n);
  // First in a sentence: capitalised by position.
  assert.ok(!names.includes('c:the'));
});

test('split check with names: loose halves split when each names its own event, not when the names are shared', () => {
  // Two blocks of four, tight inside (0.5), loose across (0.3): 0.6 of the inside, between the
  // split on words alone and the named split.
  const m = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 1 : i < 4 === j < 4 ? 0.5 : 0.3)));
  const all = [0, 1, 2, 3, 4, 5, 6, 7];
  const own = (i: number): string[] => (i < 4 ? ['c:thomas', 'y:2011', 'c:saints'] : ['c:bush', 'y:2008', 'c:saints']);
  assert.deepEqual(splitIncoherent(all, fromMatrix(m), own), [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
  ]);
  // Both halves name the bank and the day; the follow-ups each quote someone new once.
  const shared = (i: number): string[] => ['c:calder', 'c:mutual', 'c:tuesday', ...(i >= 4 ? [`c:speaker${i}`] : [])];
  assert.deepEqual(splitIncoherent(all, fromMatrix(m), shared), [all]);
  // Without names the words alone decide: 0.6 is not loose enough.
  assert.deepEqual(splitIncoherent(all, fromMatrix(m)), [all]);
});

test('split check with names: names add a split where words alone would not, and never undo one the words make', () => {
  // Two blocks of four, tight inside (0.5): across at `across` of that inside.
  const blocks = (ratio: number): number[][] =>
    Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 1 : i < 4 === j < 4 ? 0.5 : 0.5 * ratio)));
  const all = [0, 1, 2, 3, 4, 5, 6, 7];
  const halves = [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
  ];
  const own = (i: number): string[] => (i < 4 ? ['c:thomas', 'y:2011', 'c:saints'] : ['c:bush', 'y:2008', 'c:saints']);
  const shared = (): string[] => ['c:calder', 'c:mutual', 'c:tuesday'];
  // Loose on words (0.5 of the inside): split, whatever the names say (one bank's two events).
  assert.deepEqual(splitIncoherent(all, fromMatrix(blocks(0.5)), shared), halves);
  // 0.68: words alone keep the group; different names split it, shared names do not.
  assert.deepEqual(splitIncoherent(all, fromMatrix(blocks(0.68)), own), halves);
  assert.deepEqual(splitIncoherent(all, fromMatrix(blocks(0.68)), shared), [all]);
  // 0.75: as tight across as a saga's follow-ups; names are not asked.
  assert.deepEqual(splitIncoherent(all, fromMatrix(blocks(0.75)), own), [all]);
});

test('split check: a syndicated copy is one report, not a block of its own', () => {
  // 0 and 1 are copies (0.95); 2 and 3 are two more reports of the event (0.3 to everything).
  const m = [
    [1, 0.95, 0.3, 0.3],
    [0.95, 1, 0.3, 0.3],
    [0.3, 0.3, 1, 0.3],
    [0.3, 0.3, 0.3, 1],
  ];
  assert.deepEqual(splitIncoherent([0, 1, 2, 3], fromMatrix(m)), [[0, 1, 2, 3]]);
});

test('shared rarity: a term only two articles use counts 1, a topic word little, common words nothing', () => {
  const topic = Array.from({ length: 40 }, (_, i) => ({
    title: `Harbour report ${i}`,
    text: `Dockers and cranes at the harbour, item ${i}.`,
  }));
  const docs = [
    ...topic,
    { title: 'Zhoulan strike', text: 'Dockers followed Zhoulan out of the harbour.' },
    { title: 'Zhoulan speaks', text: 'Zhoulan told the dockers to stay out.' },
  ];
  const { vectors, df } = buildVectors(docs);
  const [a, b] = [vectors[40]!, vectors[41]!];
  const rare = pairOverlap(a, b, df, 5, { cosine: 0, rarity: 0 }).rarity;
  assert.ok(rare >= 1 && rare < 1.2, `only "zhoulan" (df 2) should count: ${rare}`);
  assert.equal(pairOverlap(vectors[0]!, vectors[1]!, df, 5, { cosine: 0, rarity: 0 }).rarity, 0, 'terms in 42 of 42 articles are not rare');
});

test('clustering reads the first 12,000 characters of a text: a padded tail cannot move an article', () => {
  const dredging =
    'The harbour authority approved the Vesterhavn dredging plan on Thursday. Port director Ines Holm said the deeper channel would take eleven months to dig. ';
  const ferry =
    'Nordsund Ferries will start the Skerry island line in May with four crossings a day. Council member Petra Lind said islanders had waited a decade for it. ';
  const more =
    "Holm said the Vesterhavn channel dredging keeps one lane open; the harbour authority will publish sediment monitoring monthly, and Thursday's approval ends a two-year review. ";
  const repeat = (text: string, chars: number): string => text.repeat(Math.ceil(chars / text.length));
  const docs = [
    { id: 'dredging-1', title: 'Vesterhavn dredging plan approved', text: dredging },
    { id: 'dredging-2', title: 'Harbour authority backs Vesterhavn dredging', text: `${dredging} Fishermen asked for a study.` },
    { id: 'ferry-1', title: 'Skerry island ferry line to start in May', text: ferry },
    // A ferry report, then filler to the limit, then a page tail of the dredging story over and
    // over: read whole, it would join the dredging story (it did before the limit).
    {
      id: 'ferry-2',
      title: 'News from the islands',
      text: `${ferry}${repeat('Reporting continues. ', CLUSTER_TEXT_CHARS - ferry.length - 40)}${repeat(`${dredging}${more}`, 60_000)}`,
    },
  ];
  const stories = clusterArticles(docs).map((s) => [...s.articleIds].sort());
  assert.deepEqual(stories.sort(), [
    ['dredging-1', 'dredging-2'],
    ['ferry-1', 'ferry-2'],
  ]);
});
