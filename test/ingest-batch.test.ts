/**
 * Batched ingest: one transaction per batch, dedupe inside the batch as well as against the
 * store, known URLs only linked to topics. Real SQLite, articles written for these tests.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestBatch, type IngestItem } from '../src/collect/ingest.ts';
import type { ArticleDraft } from '../src/core/types.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';

const NOW = new Date('2026-11-23T09:00:00Z');

const BODY = [
  'The harbour authority approved a dredging plan worth 85 million euros on Thursday, saying the deeper channel would let larger container ships call at the port from next spring.',
  'Port director Ines Holm said the work would take eleven months and that shipping would continue during the dredging, with one lane closed at a time.',
  'Fishermen from the northern villages said they feared the sediment would drive fish from the bay, and asked for an independent study before work begins.',
  'The authority said an environmental review had found no lasting harm, and that it would publish monitoring data every month.',
].join('\n\n');

const OTHER = [
  'A new ferry line between the islands will start in May, the regional council said, with four crossings a day and a fare of 12 euros for adults.',
  'Council member Petra Lind said the line was a response to complaints about the single weekly boat that islanders have relied on for a decade.',
  'The operator, Nordsund Ferries, won the tender against two rivals and will run two refitted vessels built in 2009.',
].join('\n\n');

function draft(url: string, text: string, title = 'A headline'): ArticleDraft {
  return { url, title, text, sourceId: 'src' };
}

const items = (drafts: ArticleDraft[], topicIds = ['port']): IngestItem[] => drafts.map((d) => ({ draft: d, topicIds }));

test('a batch dedupes within itself: same URL, exact copy, near copy', async () => {
  const store = openSqliteStore(':memory:');
  const copy = [
    'Subscribe to our newsletter.',
    'PORT (Wire) — A dredging plan was approved by the harbour authority, officials said.',
    ...BODY.split('\n\n').slice(1),
    'Comments (3)',
  ].join('\n\n');
  const results = await ingestBatch(
    items([
      draft('https://a.example/dredging', BODY),
      draft('https://a.example/dredging?utm_source=feed', BODY), // same canonical URL
      draft('https://b.example/port-plan', BODY), // exact copy under another URL
      draft('https://c.example/wire/port', copy), // syndicated copy
      draft('https://d.example/ferry', OTHER),
    ]),
    store,
    NOW,
  );
  assert.deepEqual(
    results.map((r) => r.outcome),
    ['new', 'known', 'duplicate', 'duplicate', 'new'],
  );
  assert.equal(results[1]!.articleId, results[0]!.articleId);
  const copies = await store.articles.duplicatesOf(results[0]!.articleId);
  assert.deepEqual(copies.map((a) => a.url).sort(), ['https://b.example/port-plan', 'https://c.example/wire/port']);
  assert.deepEqual((await store.articles.list({ topicId: 'port' })).map((a) => a.url).sort(), [
    'https://a.example/dredging',
    'https://d.example/ferry',
  ]);
  await store.close();
});

test('a later batch finds copies of stored articles and links known URLs to new topics', async () => {
  const store = openSqliteStore(':memory:');
  await ingestBatch(items([draft('https://a.example/dredging', BODY)]), store, NOW);
  const excerpt = BODY.split('\n\n').slice(0, 3).join('\n\n');
  const results = await ingestBatch(
    [
      { draft: draft('https://a.example/dredging', BODY), topicIds: ['shipping'] },
      { draft: draft('https://e.example/excerpt', excerpt), topicIds: ['port'] },
    ],
    store,
    NOW,
  );
  assert.deepEqual(
    results.map((r) => r.outcome),
    ['known', 'duplicate'],
  );
  assert.deepEqual(
    (await store.articles.list({ topicId: 'shipping' })).map((a) => a.url),
    ['https://a.example/dredging'],
  );
  await store.close();
});

test('two reports of one event stay two articles', async () => {
  const store = openSqliteStore(':memory:');
  const results = await ingestBatch(items([draft('https://a.example/1', BODY), draft('https://b.example/2', OTHER)]), store, NOW);
  assert.deepEqual(
    results.map((r) => r.outcome),
    ['new', 'new'],
  );
  await store.close();
});

/**
 * Items that share most of their words (a topic's look-alike bulletins): each pair shares LSH
 * bands without being copies. `changed` of every 100 words of one base text are swapped.
 */
function lookAlikes(count: number, changed: number, seed: number): string[] {
  let state = seed;
  const next = (n: number): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state % n;
  };
  const vocabulary = ['harbour', 'dredging', 'channel', 'council', 'ferry', 'port', 'vessel', 'crane', 'berth', 'tide', 'quay', 'cargo'];
  const word = (): string => `${vocabulary[next(vocabulary.length)]}${next(400)}`;
  const base = Array.from({ length: 1200 }, word);
  return Array.from({ length: count }, () => {
    const words = [...base];
    for (let k = 0; k < (words.length * changed) / 100; k += 1) words[next(words.length)] = word();
    return `${words.join(' ')}.`;
  });
}

test('a copy is found among many look-alike items, in the batch and in the store', async () => {
  const crowd = lookAlikes(61, 5, 11);
  const original = crowd.pop()!;
  // The copy: the same text with one word in a hundred changed (a wire copy's house edits).
  const copy = original
    .split(' ')
    .map((w, k) => (k % 100 === 0 ? 'edited' : w))
    .join(' ');
  const crowdDrafts = crowd.map((text, i) => draft(`https://w.example/bulletin-${i}`, text));
  const pair = [draft('https://a.example/original', original), draft('https://b.example/copy', copy)];

  const oneBatch = openSqliteStore(':memory:');
  const together = await ingestBatch(items([...crowdDrafts, ...pair]), oneBatch, NOW);
  assert.equal(together.filter((r) => r.outcome === 'duplicate').length, 1, 'look-alikes are not copies of each other');
  assert.equal(together.at(-1)!.outcome, 'duplicate');
  assert.deepEqual(
    (await oneBatch.articles.duplicatesOf(together.at(-2)!.articleId)).map((a) => a.url),
    ['https://b.example/copy'],
  );
  await oneBatch.close();

  const stored = openSqliteStore(':memory:');
  await ingestBatch(items([...crowdDrafts, pair[0]!]), stored, NOW);
  const later = await ingestBatch(items([pair[1]!]), stored, NOW);
  assert.equal(later[0]!.outcome, 'duplicate');
  await stored.close();
});
