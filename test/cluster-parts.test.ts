/**
 * The parts of clustering that carry their own judgement: time anchors read from the text,
 * shared rare terms and the split check after average link.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anchorFactor, timeAnchors } from '../src/brief/cluster/anchors.ts';
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
