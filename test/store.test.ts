/** The store contract (articles, sources), on SQLite and on PostgreSQL alike. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Article } from '../src/core/types.ts';
import { EMPTY_CONTENT_HASH } from '../src/collect/dedupe.ts';
import type { InsertResult, NewArticle, Store } from '../src/store/port.ts';
import { bandKey, bandLabel } from '../src/store/band-key.ts';
import { sortedBandRows } from '../src/store/sqlite/articles.ts';
import { backends } from './helpers/backends.ts';

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

/** One insert through the batch write (what ingest does with a batch of one). */
async function insert(store: Store, entry: NewArticle): Promise<InsertResult> {
  return (await store.articles.saveBatch({ inserts: [entry], links: [] }))[0]!;
}

/** Links a stored article to topics (and a source) through the batch write. */
async function addTopics(store: Store, articleId: string, topicIds: string[], sourceId?: string): Promise<void> {
  await store.articles.saveBatch({ inserts: [], links: [{ articleId, topicIds, ...(sourceId !== undefined && { sourceId }) }] });
}

/** Ids of the stored articles under any of the bands. */
async function candidates(store: Store, bands: number[]): Promise<string[]> {
  return [...new Set([...(await store.articles.bandMembers(bands)).values()].flat())];
}

for (const backend of backends) {
  describe(`store contract on ${backend.name}`, { skip: backend.skip }, () => {
    test('articles are stored once, linked to topics, and listed by window', async () => {
      const store = await backend.open();
      try {
        assert.deepEqual(await insert(store, { article: article('a'), bands: [1, 2], topicIds: ['t'] }), { inserted: true });
        assert.deepEqual(await insert(store, { article: article('a'), bands: [1], topicIds: ['u'] }), { inserted: false });
        await insert(store, {
          article: article('b', { publishedAt: '2026-11-01T00:00:00.000Z' }),
          bands: [2],
          topicIds: ['t'],
        });
        await insert(store, { article: article('c', { duplicateOf: 'a' }), bands: [], topicIds: ['t'] });
        assert.deepEqual(
          (await store.articles.list({ topicId: 't' })).map((a) => a.id),
          ['b', 'a'],
        );
        assert.deepEqual(
          (await store.articles.list({ topicId: 'u' })).map((a) => a.id),
          ['a'],
        );
        assert.deepEqual(
          (await store.articles.list({ topicId: 't', since: '2026-11-10T00:00:00.000Z' })).map((a) => a.id),
          ['a'],
        );
        assert.deepEqual(
          (await store.articles.list({ topicId: 't', includeDuplicates: true })).map((a) => a.id),
          ['b', 'a', 'c'],
        );
        assert.deepEqual(
          (await store.articles.list({ topicId: 't', until: '2026-11-10T00:00:00.000Z' })).map((a) => a.id),
          ['b'],
        );
        assert.deepEqual((await candidates(store, [2])).sort(), ['a', 'b']);
        assert.deepEqual(await candidates(store, []), []);
        assert.deepEqual(
          (await store.articles.duplicatesOf('a')).map((a) => a.id),
          ['c'],
        );
        assert.equal((await store.articles.originalsByContentHash(['hash-b', 'nope'])).get('hash-b')?.id, 'b');
        const byUrl = await store.articles.byCanonicalUrls(['https://example.com/c', 'https://example.com/zz']);
        assert.deepEqual([...byUrl.keys()], ['https://example.com/c']);
        assert.equal(byUrl.get('https://example.com/c')?.duplicateOf, 'a');
        assert.deepEqual(
          (await store.articles.byIds(['c', 'missing', 'a'])).map((a) => a.id),
          ['c', 'a'],
        );
        await addTopics(store, 'b', ['u', 'u']);
        assert.deepEqual(
          (await store.articles.list({ topicId: 'u' })).map((a) => a.id),
          ['b', 'a'],
        );
        assert.equal(await store.articles.count(), 3);
        // Every field survives the round trip exactly.
        const full = article('d', {
          publisher: 'Harbor Daily',
          author: 'A. Writer',
          publishedAt: '2026-11-19T08:30:00.000Z',
          lang: 'en',
          guid: 'g-1',
          instructions: 2,
        });
        await insert(store, { article: full, bands: [], topicIds: [] });
        assert.deepEqual(await store.articles.byId('d'), full);
      } finally {
        await store.close();
      }
    });

    test('an article keeps its planted-instruction count and the screen its text went through', async () => {
      const store = await backend.open();
      try {
        await insert(store, { article: article('s', { instructions: 2, screenRevision: 'rev-1' }), bands: [], topicIds: ['t'] });
        await insert(store, { article: article('u'), bands: [], topicIds: ['t'] });
        const [screened, unscreened] = await store.articles.byIds(['s', 'u']);
        assert.equal(screened?.instructions, 2);
        assert.equal(screened?.screenRevision, 'rev-1');
        assert.equal(unscreened?.screenRevision, undefined);
        assert.equal(unscreened?.instructions, undefined);
      } finally {
        await store.close();
      }
    });

    test('concurrent inserts of one URL store it once and link every topic', async () => {
      const store = await backend.open();
      try {
        // Several rounds: the race between two writers of one URL is rare in any one of them.
        const topics = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8'];
        for (let round = 0; round < 5; round += 1) {
          const id = `same${round}`;
          const results = await Promise.all(topics.map((t) => insert(store, { article: article(id), bands: [9], topicIds: [t] })));
          assert.equal(results.filter((r) => r.inserted).length, 1);
          assert.equal(await store.articles.count(), round + 1);
          for (const t of topics)
            assert.ok(
              (await store.articles.list({ topicId: t })).some((a) => a.id === id),
              `${id} linked to ${t}`,
            );
        }
      } finally {
        await store.close();
      }
    });

    test('a copy counts for the topic that holds it when the original belongs to another topic', async () => {
      const store = await backend.open();
      try {
        await insert(store, { article: article('a'), bands: [], topicIds: ['wire'] });
        await insert(store, { article: article('c', { duplicateOf: 'a', sourceId: 'src2' }), bands: [], topicIds: ['city'] });
        await insert(store, {
          article: article('d', { duplicateOf: 'a', sourceId: 'src2', firstSeenAt: '2026-11-20T11:00:00.000Z' }),
          bands: [],
          topicIds: ['city', 'wire'],
        });
        assert.deepEqual(
          (await store.articles.list({ topicId: 'wire' })).map((a) => a.id),
          ['a'],
        );
        assert.deepEqual(
          (await store.articles.list({ topicId: 'city' })).map((a) => a.id),
          ['c'],
        );
        assert.deepEqual(
          (await store.articles.list({ topicId: 'any', sourceIds: ['src2'] })).map((a) => a.id),
          ['c'],
        );
        assert.deepEqual(
          (await store.articles.list({ topicId: 'any', sourceIds: ['src1', 'src2'] })).map((a) => a.id),
          ['a'],
        );
        assert.deepEqual(
          (await store.articles.list({ topicId: 'any', sourceIds: [] })).map((a) => a.id),
          [],
        );
        assert.deepEqual(
          (await store.articles.list({ topicId: 'city', includeDuplicates: true })).map((a) => a.id),
          ['c', 'd'],
        );
        await addTopics(store, 'a', [], 'src3');
        assert.deepEqual(
          (await store.articles.list({ topicId: 'any', sourceIds: ['src3'] })).map((a) => a.id),
          ['a'],
        );
      } finally {
        await store.close();
      }
    });

    test('insert matches the content hash atomically: of concurrent texts, one original', async () => {
      const store = await backend.open();
      try {
        const same = (id: string) =>
          insert(store, { article: article(id, { contentHash: 'same' }), bands: [7], topicIds: ['t'], matchContentHash: true });
        const results = await Promise.all(['x1', 'x2', 'x3', 'x4'].map(same));
        assert.equal(results.filter((r) => r.duplicateOf === undefined).length, 1, 'one original');
        const original = results.find((r) => r.duplicateOf !== undefined)!.duplicateOf;
        for (const r of results) if (r.duplicateOf !== undefined) assert.equal(r.duplicateOf, original);
        assert.deepEqual(await candidates(store, [7]), [original], 'copies get no bands');
        // Articles without words share a hash but are never matched by it.
        const empty = (id: string) =>
          insert(store, { article: article(id, { contentHash: EMPTY_CONTENT_HASH }), bands: [], topicIds: ['t'], matchContentHash: false });
        assert.deepEqual([await empty('e1'), await empty('e2')], [{ inserted: true }, { inserted: true }]);
      } finally {
        await store.close();
      }
    });

    test('a batch is one transaction: a failing insert writes nothing of it', async () => {
      const store = await backend.open();
      try {
        // The second insert points at an article that does not exist: the foreign key fails it.
        await assert.rejects(
          store.articles.saveBatch({
            inserts: [
              { article: article('x'), bands: [8], topicIds: ['t'] },
              { article: article('y', { duplicateOf: 'missing' }), bands: [], topicIds: ['t'] },
            ],
            links: [],
          }),
        );
        assert.equal(await store.articles.count(), 0);
        assert.deepEqual(await candidates(store, [8]), []);
      } finally {
        await store.close();
      }
    });

    test('a batch with several texts: copies within it point to the original stored before them', async () => {
      const store = await backend.open();
      try {
        const results = await store.articles.saveBatch({
          inserts: [
            { article: article('o1', { contentHash: 'h1' }), bands: [bandKey('b1:00000001')], topicIds: ['t'], matchContentHash: true },
            { article: article('c1', { contentHash: 'h1' }), bands: [bandKey('b1:00000001')], topicIds: ['t'], matchContentHash: true },
            { article: article('o2', { contentHash: 'h2' }), bands: [], topicIds: ['t'], matchContentHash: true },
          ],
          links: [{ articleId: 'o1', topicIds: ['u'], sourceId: 'src9' }],
        });
        assert.deepEqual(results, [{ inserted: true }, { inserted: true, duplicateOf: 'o1' }, { inserted: true }]);
        assert.deepEqual(await candidates(store, [bandKey('b1:00000001')]), ['o1'], 'the copy got no bands');
        assert.deepEqual(
          (await store.articles.list({ topicId: 'u' })).map((a) => a.id),
          ['o1'],
        );
        assert.deepEqual(
          (await store.articles.list({ topicId: 'any', sourceIds: ['src9'] })).map((a) => a.id),
          ['o1'],
        );
      } finally {
        await store.close();
      }
    });

    test('local file validators are kept per scope', async () => {
      const store = await backend.open();
      try {
        const file = { path: '/data/a.txt', size: 10, mtimeMs: 1_700_000_000_000.5, hash: 'h1', checkedAtMs: 1_700_000_100_000 };
        await store.sources.recordLocalFiles('scope-a', [file]);
        assert.deepEqual(await store.sources.localFiles('scope-a', ['/data/a.txt', '/data/b.txt']), new Map([['/data/a.txt', file]]));
        assert.equal((await store.sources.localFiles('scope-b', ['/data/a.txt'])).size, 0);
        await store.sources.recordLocalFiles('scope-a', [{ ...file, size: 11, hash: 'h2' }]);
        assert.equal((await store.sources.localFiles('scope-a', ['/data/a.txt'])).get('/data/a.txt')?.hash, 'h2');
        assert.equal((await store.sources.localFiles('scope-a', [])).size, 0);
      } finally {
        await store.close();
      }
    });

    test('source health tracks failure streaks and resets on success', async () => {
      const store = await backend.open();
      try {
        await store.sources.recordFailure('s', 'https://x/feed', '2026-11-20T00:00:00.000Z', 'HTTP 403');
        await store.sources.recordFailure('s', 'https://x/feed', '2026-11-21T00:00:00.000Z', 'HTTP 403');
        let state = await store.sources.get('s');
        assert.equal(state?.failureStreak, 2);
        assert.equal(state?.failingSince, '2026-11-20T00:00:00.000Z');
        assert.deepEqual(
          (await store.sources.health(['nope', 's'])).map((h) => [h.sourceId, h.failureStreak, h.lastError]),
          [['s', 2, 'HTTP 403']],
        );
        await store.sources.recordSuccess('s', 'https://x/feed', '2026-11-22T00:00:00.000Z', { etag: '"e1"' });
        state = await store.sources.get('s');
        assert.equal(state?.failureStreak, 0);
        assert.equal(state?.failingSince, undefined);
        assert.equal(state?.etag, '"e1"');
        assert.equal(state?.lastSuccessAt, '2026-11-22T00:00:00.000Z');
      } finally {
        await store.close();
      }
    });

    test('briefs: by id, by content key, latest; cache with expiry; schema versions; ping', async () => {
      const store = await backend.open();
      try {
        const brief = (id: string, createdAt: string) => ({
          id,
          topicId: 't',
          contentKey: `k-${id}`,
          createdAt,
          articleMap: { a1: 'art_1' },
          brief: {
            topic: 't',
            generatedAt: createdAt,
            window: { since: createdAt, until: createdAt },
            summarizer: 'extractive',
            articles: [],
            stories: [],
            usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
          },
        });
        await store.briefs.save(brief('b1', '2026-11-20T09:00:00.000Z') as never);
        await store.briefs.save(brief('b2', '2026-11-21T09:00:00.000Z') as never);
        await store.briefs.save(brief('b3', '2026-11-21T09:00:00.000Z') as never);
        assert.equal((await store.briefs.latest('t'))?.id, 'b3', 'same time: the later save wins');
        assert.equal((await store.briefs.byContentKey('t', 'k-b1'))?.id, 'b1');
        assert.deepEqual((await store.briefs.byId('b2'))?.articleMap, { a1: 'art_1' });
        assert.equal(await store.briefs.byId('missing'), undefined);
        await store.cache.set('ns', 'k', 'v');
        await store.cache.set('ns', 'gone', 'v', -1);
        assert.equal(await store.cache.get('ns', 'k'), 'v');
        assert.equal(await store.cache.get('ns', 'gone'), undefined);
        await store.cache.set('ns', 'k', 'w');
        assert.equal(await store.cache.get('ns', 'k'), 'w');
        // Keys may hold NUL separators and backslashes (PostgreSQL text cannot hold NUL).
        await store.cache.set('ns', 'a\u0000b', 'nul');
        await store.cache.set('ns', 'a\\0b', 'backslash');
        assert.equal(await store.cache.get('ns', 'a\u0000b'), 'nul');
        assert.equal(await store.cache.get('ns', 'a\\0b'), 'backslash');
        assert.deepEqual(await store.schemaVersions(), [1, 2, 3, 4, 5, 6, 7, 8]);
        await store.ping();
      } finally {
        await store.close();
      }
    });
  });
}

test('SQLite migration 5 repairs two originals of one text left by concurrent collects', async () => {
  const { openDatabase } = await import('../src/store/sqlite/database.ts');
  const { migrations } = await import('../src/store/sqlite/migrations/index.ts');
  const { openSqliteStore } = await import('../src/store/sqlite/index.ts');
  const { tempDir } = await import('./helpers/cli.ts');
  const path = `${tempDir()}/old.db`;
  const old = openDatabase(
    path,
    migrations.filter((m) => m.version < 5),
  );
  const row = (id: string, seen: string, duplicateOf: string | null) =>
    old
      .prepare(
        `INSERT INTO articles (id, canonical_url, url, title, text, first_seen_at, effective_at, source_id, content_hash, duplicate_of)
      VALUES (?, ?, ?, 't', 'x', ?, ?, 'src', 'h', ?)`,
      )
      .run(id, `u:${id}`, `u:${id}`, seen, seen, duplicateOf);
  row('first', '2026-01-01', null);
  row('second', '2026-01-02', null);
  row('copy-of-second', '2026-01-03', 'second');
  // A real band key (migration 7 would keep it), dropped by migration 5 with its article turned copy.
  old.prepare("INSERT INTO article_bands (band, article_id) VALUES ('b1:000000bb', 'second')").run();
  old.close();
  const store = openSqliteStore(path);
  const byId = new Map((await store.articles.byIds(['first', 'second', 'copy-of-second'])).map((a) => [a.id, a.duplicateOf]));
  assert.deepEqual(
    [...byId],
    [
      ['first', undefined],
      ['second', 'first'],
      ['copy-of-second', 'first'],
    ],
  );
  assert.deepEqual(await candidates(store, [bandKey('b1:000000bb')]), []);
  await store.close();
});

test('SQLite migration 007 keeps the near-duplicate bands an older database stored', async () => {
  const { openDatabase } = await import('../src/store/sqlite/database.ts');
  const { migrations } = await import('../src/store/sqlite/migrations/index.ts');
  const { openSqliteStore } = await import('../src/store/sqlite/index.ts');
  const { tempDir } = await import('./helpers/cli.ts');
  const path = `${tempDir()}/bands.db`;
  const old = openDatabase(
    path,
    migrations.filter((m) => m.version < 7),
  );
  old
    .prepare(
      `INSERT INTO articles (id, canonical_url, url, title, text, first_seen_at, effective_at, source_id, content_hash)
    VALUES ('art_0123456789abcdef0123', 'https://x.example/1', 'https://x.example/1', 'T', 'text', '2026-11-20T00:00:00.000Z', '2026-11-20T00:00:00.000Z', 's', 'h')`,
    )
    .run();
  for (const band of ['b3:00ff00aa', 'b31:ffffffff', 'b0:00000000'])
    old.prepare('INSERT INTO article_bands (band, article_id) VALUES (?, ?)').run(band, 'art_0123456789abcdef0123');
  old.close();
  const store = openSqliteStore(path);
  try {
    const members = await store.articles.bandMembers(['b3:00ff00aa', 'b31:ffffffff', 'b0:00000000', 'b3:00ff00ab'].map(bandKey));
    assert.deepEqual([...members.keys()].map(bandLabel).sort(), ['b0:00000000', 'b31:ffffffff', 'b3:00ff00aa']);
    assert.deepEqual(members.get(bandKey('b31:ffffffff')), ['art_0123456789abcdef0123']);
    // New articles continue the sequence; their bands are found as well.
    const key = bandKey('b3:00ff00aa');
    await store.articles.saveBatch({ inserts: [{ article: article('n1'), bands: [key], topicIds: [] }], links: [] });
    assert.deepEqual((await store.articles.bandMembers([key])).get(key)?.sort(), ['art_0123456789abcdef0123', 'n1']);
  } finally {
    await store.close();
  }
});

test('band rows sort by key, then article, whether packed into doubles or compared', () => {
  // A small deterministic generator: the same rows on every run.
  let state = 7;
  const next = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  const rowsOf = (keys: number[], firstSeq: number): number[] => keys.flatMap((key, i) => [key, firstSeq + Math.floor(i / 32)]);
  const expected = (flat: number[]): number[] => {
    const pairs = Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!] as const);
    return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]).flat();
  };
  const bands = Array.from({ length: 32 * 500 }, (_, i) => bandKey(`b${i % 32}:${next().toString(16).padStart(8, '0')}`));
  // Copies of one text share band keys: equal keys, ordered by article.
  bands.splice(32, 32, ...bands.slice(0, 32));
  for (const firstSeq of [1, 4_000_000_000]) {
    const flat = rowsOf(bands, firstSeq);
    assert.deepEqual([...sortedBandRows(flat)], expected(flat), 'packed');
  }
  // A key outside the 32 bands (an odd stored band string) and a batch too long to pack.
  const odd = rowsOf([bandKey('legacy band'), ...bands.slice(0, 40)], 1);
  assert.deepEqual([...sortedBandRows(odd)], expected(odd), 'odd key');
  const long = [5, 1, 3, 70_000, 5, 0];
  assert.deepEqual([...sortedBandRows(long)], [3, 70_000, 5, 0, 5, 1], 'long span');
});
