/**
 * Two `collect`s at once (a cron job next to an operator's run, or two replicas) over sources
 * holding byte-identical copies: each text is stored as one original, its copies linked to it,
 * never two originals — the store makes "is this text already stored?" and the insert one
 * atomic step. Two real processes on one SQLite file.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import Database from 'better-sqlite3';
import { shortInventedArticle } from './helpers/articles.ts';
import { tempDir } from './helpers/cli.ts';
import { ensureBuilt, spawnBriefbot } from './helpers/process.ts';

const N = 800;
/** Collects running at once. */
const PROCESSES = 4;

before(ensureBuilt);

test('concurrent collects of identical files store each text once', { timeout: 240_000 }, async () => {
  const cwd = tempDir('briefbot-race-');
  for (const dir of ['east', 'west']) {
    mkdirSync(join(cwd, dir));
    for (let i = 0; i < N; i++) writeFileSync(join(cwd, dir, `${dir}-${String(i).padStart(4, '0')}.txt`), shortInventedArticle(i));
  }
  // Each process reads both folders at once, in opposite orders: copies meet from every side.
  writeFileSync(
    join(cwd, 'briefbot.config.yaml'),
    'topics:\n  - id: east\n    sources: [east, west]\n  - id: west\n    sources: [west, east]\n',
  );
  const env = { BRIEFBOT_DB: join(cwd, 'b.db') };
  const runs = Array.from({ length: PROCESSES }, (_, i) =>
    spawnBriefbot(['collect', i % 2 === 0 ? 'east' : 'west', '--offline'], { cwd, env }),
  );
  const codes = await Promise.all(runs.map((r) => r.exited));
  assert.deepEqual(
    codes,
    runs.map(() => 0),
    runs.map((r) => r.output().stderr).join('\n'),
  );
  const db = new Database(env.BRIEFBOT_DB, { readonly: true });
  try {
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
    assert.equal(count('SELECT count(*) AS n FROM articles'), 2 * N, 'every file stored');
    assert.equal(count('SELECT count(DISTINCT content_hash) AS n FROM articles'), N);
    assert.equal(count('SELECT count(*) AS n FROM articles WHERE duplicate_of IS NULL'), N, 'one original per text');
  } finally {
    db.close();
  }
});
