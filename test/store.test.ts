import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import type { Article } from '../src/core/types.ts';

function article(id: string, fields: Partial<Article> = {}): Article {
  return {
    id,
    canonicalUrl: `https://example.com/${id}`,
    url: `https://example.com/${id}`,
    title: `Title ${id}`,
    text: `Text of ${id}`,
    sourceId: 'src1',
    contentHash: `hash-${id}`,
    firstSeenAt: '2026-11-20T10:00:00.000Z',
    ...fields,
  };
}

test('articles are stored once, linked to topics, and listed by window', async () => {
  const store = openSqliteStore(':memory:');
  assert.equal(await store.articles.insert({ article: article('a'), bands: ['b1', 'b2'], topicIds: ['t'] }), true);
  assert.equal(await store.articles.insert({ article: article('a'), bands: ['b1'], topicIds: ['u'] }), false);
  await store.articles.insert({
    article: article('b', { publishedAt: '2026-11-01T00:00:00.000Z' }),
    bands: ['b2'],
    topicIds: ['t'],
  });
  await store.articles.insert({ article: article('c', { duplicateOf: 'a' }), bands: [], topicIds: ['t'] });
  assert.deepEqual((await store.articles.list({ topicId: 't' })).map((a) => a.id), ['b', 'a']);
  assert.deepEqual((await store.articles.list({ topicId: 'u' })).map((a) => a.id), ['a']);
  assert.deepEqual(
    (await store.articles.list({ topicId: 't', since: '2026-11-10T00:00:00.000Z' })).map((a) => a.id),
    ['a'],
  );
  assert.deepEqual((await store.articles.candidatesByBands(['b2'])).sort(), ['a', 'b']);
  assert.deepEqual((await store.articles.duplicatesOf('a')).map((a) => a.id), ['c']);
  assert.equal((await store.articles.byContentHash('hash-b'))?.id, 'b');
  await store.close();
});

test('source health tracks failure streaks and resets on success', async () => {
  const store = openSqliteStore(':memory:');
  await store.sources.recordFailure('s', 'https://x/feed', '2026-11-20T00:00:00.000Z', 'HTTP 403');
  await store.sources.recordFailure('s', 'https://x/feed', '2026-11-21T00:00:00.000Z', 'HTTP 403');
  let state = await store.sources.get('s');
  assert.equal(state?.failureStreak, 2);
  assert.equal(state?.failingSince, '2026-11-20T00:00:00.000Z');
  await store.sources.recordSuccess('s', 'https://x/feed', '2026-11-22T00:00:00.000Z', { etag: '"e1"' });
  state = await store.sources.get('s');
  assert.equal(state?.failureStreak, 0);
  assert.equal(state?.failingSince, undefined);
  assert.equal(state?.etag, '"e1"');
  await store.close();
});
