/**
 * `briefbot migrate`: schema versions on SQLite and PostgreSQL, and moving a team's SQLite
 * history into PostgreSQL with `--from` — everything reads back the same through the store
 * port, a re-run adds nothing, a missing source file is a usage error. Plus the CLI's brief
 * command on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Article, StoredBrief } from '../src/core/types.ts';
import { bandKey } from '../src/store/band-key.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import { outboxKey } from '../src/store/rows.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { runCli, tempDir } from './helpers/cli.ts';
import { freshDatabase, postgresUnavailable } from './helpers/postgres.ts';
import { FIXTURES } from './helpers/slack-serve.ts';

const T = '2026-11-20T10:00:00.000Z';
/** Two near-duplicate band keys (their text labels are what crosses between stores). */
const B1 = bandKey('b1:0000aaaa');
const B2 = bandKey('b2:0000bbbb');

function article(id: string, fields: Partial<Article> = {}): Article {
  return {
    id,
    canonicalUrl: `https://example.com/${id}`,
    url: `https://example.com/${id}?ref=feed`,
    title: `Title ${id}`,
    text: `Text of ${id}, with a NUL\u0000 that PostgreSQL cannot keep`,
    sourceId: 'src1',
    contentHash: `hash-${id}`,
    firstSeenAt: T,
    ...fields,
  };
}

const storedBrief: StoredBrief = {
  id: 'brf_old',
  topicId: 'harbor',
  contentKey: 'k1',
  createdAt: T,
  articleMap: { a1: 'a' },
  brief: {
    topic: 'harbor',
    generatedAt: T,
    window: { since: T, until: T },
    summarizer: 'extractive',
    articles: [],
    stories: [],
    usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
  },
};

/** A SQLite file with a little of everything a team accumulates. */
async function seedSqlite(path: string): Promise<void> {
  const store = openSqliteStore(path);
  await store.articles.saveBatch({
    inserts: [
      {
        article: article('a', { publisher: 'Harbor Daily', publishedAt: '2026-11-19T08:00:00.000Z' }),
        bands: [B1, B2],
        topicIds: ['harbor', 'ports'],
      },
      { article: article('c', { duplicateOf: 'a' }), bands: [], topicIds: ['harbor'] },
      { article: article('b'), bands: [B2], topicIds: ['harbor'] },
    ],
    links: [],
  });
  await store.sources.recordFailure('src1', 'https://example.com/feed', T, 'HTTP 503');
  await store.briefs.save(storedBrief);
  await store.cache.set('latest-brief', 'harbor\u0000all', 'brf_old');
  await store.chat.follow('slack:C1', 'harbor', T);
  await store.chat.beginRun(
    { topicId: 'harbor', scheduledFor: T, channels: ['slack:C1', 'slack:C2'], lease: { owner: 'old', until: T } },
    T,
  );
  await store.chat.attachBrief('harbor', T, 'brf_old', T);
  const [claimed] = await store.chat.claimDue(T, { owner: 'old', until: T }, 1, ['slack']);
  await store.chat.markSent(claimed!.key, claimed!.attemptId!, { threadId: '171.1', messageIds: ['171.1', '171.2'] }, T);
  await store.chat.finishRun('harbor', T, T);
  await store.chat.savePostedBrief('slack:C1', '171.1', 'brf_old', T);
  await store.chat.markEventProcessed('slack:C1:171.5', T);
  await store.close();
}

describe('briefbot migrate', () => {
  test('on SQLite it reports the schema version; --from a missing file is a usage error', async () => {
    const dir = tempDir();
    const env = { BRIEFBOT_DB: join(dir, 'b.db') };
    const run = await runCli(['migrate'], { cwd: dir, env });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /SQLite .*b\.db: schema version 8/);
    const missing = await runCli(['migrate', '--from', 'nope.db'], { cwd: dir, env });
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /--from nope\.db: no such SQLite file/);
  });

  test(
    '--from copies a SQLite database into PostgreSQL without losing history; a re-run adds nothing',
    { skip: postgresUnavailable() ?? false },
    async () => {
      const dir = tempDir();
      const sqlitePath = join(dir, 'old.db');
      await seedSqlite(sqlitePath);
      const url = await freshDatabase('migrate');
      const env = { BRIEFBOT_DB: url };
      const first = await runCli(['migrate', '--from', 'old.db'], { cwd: dir, env });
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /PostgreSQL postgres:\/\/briefbot@127\.0\.0\.1:\d+\/migrate_\w+: schema version 8/);
      assert.match(first.stdout, /articles: 3 rows, 3 new/);
      assert.doesNotMatch(first.stdout + first.stderr, /password/i);

      const before = openSqliteStore(sqlitePath);
      const after = await openPostgresStore(url);
      try {
        for (const topicId of ['harbor', 'ports']) {
          const want = (await before.articles.list({ topicId, includeDuplicates: true })).map((a) => ({
            ...a,
            text: a.text.replace('\u0000', ''),
          }));
          assert.deepEqual(await after.articles.list({ topicId, includeDuplicates: true }), want);
        }
        assert.deepEqual((await after.articles.bandMembers([B2])).get(B2)?.sort(), ['a', 'b']);
        assert.deepEqual(
          (await after.articles.duplicatesOf('a')).map((a) => a.id),
          ['c'],
        );
        assert.deepEqual(await after.sources.get('src1'), await before.sources.get('src1'));
        assert.deepEqual(await after.briefs.latest('harbor'), storedBrief);
        assert.equal(await after.cache.get('latest-brief', 'harbor\u0000all'), 'brf_old');
        assert.deepEqual(await after.chat.followers('harbor'), ['slack:C1']);
        for (const channel of ['slack:C1', 'slack:C2']) {
          assert.deepEqual(
            await after.chat.outboxEntry(outboxKey('harbor', T, channel)),
            await before.chat.outboxEntry(outboxKey('harbor', T, channel)),
          );
        }
        assert.deepEqual(await after.chat.lastRun('harbor'), await before.chat.lastRun('harbor'));
        assert.equal(await after.chat.briefForThread('slack:C1', '171.1'), 'brf_old');
        assert.equal(await after.chat.markEventProcessed('slack:C1:171.5', T), false, 'handled events stay handled');
        // The pending delivery is still due after the move.
        assert.deepEqual(
          (await after.chat.due('2026-11-21T00:00:00.000Z')).map((e) => e.channel),
          ['slack:C2'],
        );
      } finally {
        await before.close();
        await after.close();
      }

      const again = await runCli(['migrate', '--from', sqlitePath], { cwd: dir, env });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /articles: 3 rows, 0 new, 3 already there/);
      assert.match(again.stdout, /chat_outbox: 2 rows, 0 new/);
    },
  );

  test('--from copies SQLite into SQLite: near-duplicate bands (stored as integers) come through, sequence numbers continue', async () => {
    const dir = tempDir();
    const oldPath = join(dir, 'old.db');
    await seedSqlite(oldPath);
    const run = await runCli(['migrate', '--from', 'old.db'], { cwd: dir, env: { BRIEFBOT_DB: join(dir, 'new.db') } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /article_bands: 3 rows, 3 new/);
    const after = openSqliteStore(join(dir, 'new.db'));
    try {
      assert.deepEqual((await after.articles.bandMembers([B2])).get(B2)?.sort(), ['a', 'b']);
      assert.deepEqual((await after.articles.bandMembers([B1])).get(B1), ['a']);
      // An article stored after the copy gets a number of its own, and its bands are found.
      await after.articles.saveBatch({ inserts: [{ article: article('n'), bands: [B2], topicIds: [] }], links: [] });
      assert.deepEqual((await after.articles.bandMembers([B2])).get(B2)?.sort(), ['a', 'b', 'n']);
    } finally {
      await after.close();
    }
  });

  test('the CLI briefs from PostgreSQL like from SQLite', { skip: postgresUnavailable() ?? false }, async () => {
    const url = await freshDatabase('cli');
    const run = await runCli(['brief', 'harbor', '--source', FIXTURES, '--format', 'json', '--offline'], {
      cwd: tempDir(),
      env: { BRIEFBOT_DB: url },
    });
    assert.equal(run.code, 0, run.stderr);
    const brief = JSON.parse(run.stdout) as { articles: unknown[]; stories: unknown[] };
    assert.ok(brief.articles.length >= 3 && brief.stories.length >= 1);
    const again = await runCli(['brief', 'harbor', '--source', FIXTURES, '--format', 'json', '--offline'], {
      cwd: tempDir(),
      env: { BRIEFBOT_DB: url },
    });
    assert.equal(again.stdout, run.stdout, 'the same articles: the stored brief, word for word');
  });
});
