/**
 * A database file that is not a Briefbot database is never silently replaced or half-used:
 * an empty (0-byte) file — what a failed copy or a full disk leaves — and a corrupt one both
 * stop every command with one line naming the file (exit 2: the operator must decide), and
 * the file is left exactly as it was.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { runCli, tempDir } from './helpers/cli.ts';

function project(): string {
  const dir = tempDir('briefbot-db-');
  mkdirSync(join(dir, 'news'));
  writeFileSync(
    join(dir, 'news', 'a.txt'),
    'Harbour bridge reopens\n\nThe harbour bridge reopened on Monday after 14 months of repairs, the city said.\n',
  );
  writeFileSync(join(dir, 'briefbot.config.yaml'), 'topics:\n  - id: harbour\n    sources: [news]\n');
  return dir;
}

for (const [what, bytes, reason] of [
  ['an empty (0-byte) database file', Buffer.alloc(0), /is empty \(0 bytes\)/],
  [
    'a corrupt database file',
    Buffer.from('this is not SQLite at all, just a text file that was copied over it\n'.repeat(200)),
    /is not a Briefbot database/,
  ],
] as const) {
  test(`${what}: every command exits 2 naming the file, which is left untouched`, async () => {
    const cwd = project();
    const db = join(cwd, 'data', 'briefbot.db');
    mkdirSync(join(cwd, 'data'));
    writeFileSync(db, bytes);
    for (const argv of [['brief', 'harbour', '--offline'], ['collect', '--offline'], ['topics']]) {
      const run = await runCli(argv, { cwd });
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr.trim().split('\n').length, 1, `one line: ${run.stderr}`);
      assert.ok(run.stderr.includes(db), `names ${db}: ${run.stderr}`);
      assert.match(run.stderr, reason);
      assert.deepEqual(readFileSync(db), bytes, 'the file is left as it was');
    }
  });
}

test('a missing database file is created, as before', async () => {
  const cwd = project();
  const run = await runCli(['collect', '--offline'], { cwd });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(readFileSync(join(cwd, 'data', 'briefbot.db')).length > 0);
});

test('a new database has 16 KB pages; one made with 4 KB pages is used as it is', async () => {
  const cwd = project();
  const pageSize = (path: string): number => {
    const db = new Database(path, { readonly: true });
    try {
      return db.pragma('page_size', { simple: true }) as number;
    } finally {
      db.close();
    }
  };
  assert.equal((await runCli(['collect', '--offline'], { cwd })).code, 0);
  assert.equal(pageSize(join(cwd, 'data', 'briefbot.db')), 16_384);

  // An older Briefbot's file: SQLite's default page size, the same tables.
  const old = join(tempDir('briefbot-db-'), 'old.db');
  const made = new Database(old);
  made.pragma('journal_mode = WAL');
  made.close();
  const store = openSqliteStore(old);
  await store.close();
  assert.equal(pageSize(old), 4_096);
  const env = { BRIEFBOT_DB: old };
  assert.equal((await runCli(['collect', '--offline'], { cwd, env })).code, 0);
  const run = await runCli(['brief', 'harbour', '--offline'], { cwd, env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /harbour bridge reopened/i);
  assert.equal(pageSize(old), 4_096);
});
