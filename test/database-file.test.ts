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
