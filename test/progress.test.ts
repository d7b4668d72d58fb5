/**
 * The progress line: drawn on stderr when it is a terminal (files read, articles stored,
 * stories built; erased at the end), absent when stderr is piped. Checked with a terminal
 * stream handed to the CLI (its one isTTY check is at the CLI boundary) and with a real
 * pseudo-terminal from util-linux `script` around the built CLI.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { before, test } from 'node:test';
import { main } from '../src/cli/main.ts';
import { repoRoot, tempDir } from './helpers/cli.ts';
import { ensureBuilt } from './helpers/process.ts';

/** ANSI "erase line" (ESC [2K), drawn before each redraw of the progress line. */
const ERASE = `${String.fromCharCode(27)}[2K`;

function folder(n: number): string {
  const dir = join(tempDir(), 'news');
  mkdirSync(dir);
  for (let i = 0; i < n; i += 1) {
    writeFileSync(
      join(dir, `${i}.txt`),
      `Council vote ${i % 9} in district ${i % 4}\n\nThe district ${i % 4} council voted on measure ${i % 9} on Monday, approving ${10 + (i % 9)} million euros for roads, the clerk said. Opponents said the plan ignored ${i % 5} earlier studies.\n`,
    );
  }
  return dir;
}

async function run(argv: string[], tty: boolean, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const capture = (isTTY: boolean): { stream: PassThrough; text: () => string } => {
    const stream = Object.assign(new PassThrough(), isTTY ? { isTTY: true } : {});
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    return { stream, text: () => text };
  };
  const out = capture(false);
  const err = capture(tty);
  const code = await main(argv, {
    stdout: out.stream,
    stderr: err.stream,
    cwd,
    env: { LOG_LEVEL: 'error', BRIEFBOT_DB: join(cwd, 'b.db') },
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

test('brief on a terminal shows files read, articles stored and stories built, then erases the line', async () => {
  const dir = folder(60);
  const result = await run(['brief', 'votes', '--source', dir, '--offline'], true, join(dir, '..'));
  assert.equal(result.code, 0, result.stderr);
  const redraw = `\r${ERASE}`;
  assert.ok(result.stderr.includes(`${redraw}collecting 0/1 sources · 60 files read · 60 articles stored`), result.stderr);
  assert.match(result.stderr, /briefing 60 articles · 0\/\d+ stories built/);
  assert.ok(result.stderr.includes(`${redraw}briefing 60 articles`));
  assert.ok(result.stderr.endsWith(redraw), 'the line is erased before the brief is printed');
  assert.doesNotMatch(result.stdout, /stories built|\r/, 'nothing of it on stdout');
});

test('brief piped (stderr not a terminal) prints no progress', async () => {
  const dir = folder(60);
  const result = await run(['brief', 'votes', '--source', dir, '--offline'], false, join(dir, '..'));
  assert.equal(result.code, 0);
  assert.equal(result.stderr, '');
});

test('collect on a terminal reports sources, files and articles; piped, only the report', async () => {
  const dir = folder(30);
  const onTty = await run(['collect', 'votes', '--source', dir, '--offline'], true, join(dir, '..'));
  assert.equal(onTty.code, 0, onTty.stderr);
  assert.match(onTty.stderr, /collecting 1\/1 sources · 30 files read · 30 articles stored/);
  assert.match(onTty.stdout, /30 new articles/);
  const piped = await run(['collect', 'votes', '--source', folder(30), '--offline'], false, join(dir, '..'));
  assert.equal(piped.stderr, '');
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

// Built under the suite's lock: a build of its own would rewrite dist/ under other test files'
// processes, and would run a stale dist/ when one exists.
before(async () => {
  if (hasScript) await ensureBuilt();
});

test(
  'a real pseudo-terminal (util-linux script) gets the line; a pipe does not',
  { skip: hasScript ? false : 'util-linux `script` not installed' },
  () => {
    const dir = folder(40);
    const cwd = join(dir, '..');
    const env = { ...process.env, LOG_LEVEL: 'error', BRIEFBOT_DB: join(cwd, 'pty.db') };
    const command = `${process.execPath} ${join(repoRoot, 'bin', 'briefbot.js')} brief votes --source ${dir} --offline`;
    const pty = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd, env, encoding: 'utf8' });
    assert.equal(pty.status, 0, pty.stdout + pty.stderr);
    assert.match(pty.stdout, /stories built/);
    const piped = spawnSync(process.execPath, [join(repoRoot, 'bin', 'briefbot.js'), 'brief', 'votes', '--source', dir, '--offline'], {
      cwd,
      env: { ...env, BRIEFBOT_DB: join(cwd, 'piped.db') },
      encoding: 'utf8',
    });
    assert.equal(piped.status, 0, piped.stderr);
    assert.doesNotMatch(piped.stderr, /stories built|files read/);
  },
);
