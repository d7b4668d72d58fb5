/**
 * A collect killed mid-way (SIGKILL, no cleanup) loses nothing a rerun does not restore:
 * each batch is one transaction, and a file's validators are recorded only after its
 * articles are saved. The killed-and-rerun store ends up equal to a clean run's.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'node:test';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { repoRoot, runCli, tempDir } from './helpers/cli.ts';

const FILES = 3000;

function writeFolder(dir: string): void {
  mkdirSync(dir);
  for (let i = 0; i < FILES; i += 1) {
    // Every tenth file is an exact copy of the one before it (a duplicate to link).
    const n = i % 10 === 9 ? i - 1 : i;
    writeFileSync(
      join(dir, `${String(i).padStart(4, '0')}.txt`),
      `Council minutes ${n}\n\nThe council met for session ${n} and approved item ${n * 3} of the agenda, with ${n % 17} votes against, the clerk's office said in its summary.\n`,
    );
  }
}

async function snapshot(db: string): Promise<string[]> {
  const store = openSqliteStore(db);
  try {
    const articles = await store.articles.list({ topicId: 'minutes', includeDuplicates: true });
    return articles.map((a) => `${a.canonicalUrl} ${a.duplicateOf === undefined ? 'original' : 'copy'}`).sort();
  } finally {
    await store.close();
  }
}

/** Articles the running child has committed so far (read-only: never migrates under it). */
function count(db: string): number {
  let conn: Database.Database | undefined;
  try {
    conn = new Database(db, { readonly: true, fileMustExist: true });
    return (conn.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
  } catch {
    return 0; // not created (or not migrated) yet
  } finally {
    conn?.close();
  }
}

test('a collect killed mid-way, then rerun, stores what a clean run stores', { timeout: 180_000 }, async (t) => {
  const dir = tempDir();
  const news = join(dir, 'news');
  writeFolder(news);
  const args = ['collect', 'minutes', '--source', news, '--offline'];

  const clean = join(dir, 'clean.db');
  assert.equal((await runCli(args, { cwd: dir, env: { BRIEFBOT_DB: clean } })).code, 0);

  const crashed = join(dir, 'crashed.db');
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(repoRoot, 'test', 'helpers', 'cli-process.ts'), ...args],
    {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', BRIEFBOT_DB: crashed, LOG_LEVEL: 'error' },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let atKill = 0;
  for (let i = 0; i < 600 && atKill === 0 && child.exitCode === null; i += 1) {
    atKill = count(crashed);
    if (atKill === 0) await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  await exited;
  if (atKill === 0 || atKill >= FILES)
    t.diagnostic(`the child was killed with ${atKill} of ${FILES} articles stored: no mid-way crash this time`);

  assert.equal((await runCli(args, { cwd: dir, env: { BRIEFBOT_DB: crashed } })).code, 0);
  assert.deepEqual(await snapshot(crashed), await snapshot(clean));
});
