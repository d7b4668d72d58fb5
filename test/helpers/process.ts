/**
 * The built CLI as its own process (`node bin/briefbot.js …`), for tests that must see what an
 * operator sees: exit codes, stderr, a process that stays up or goes away.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { repoRoot } from './cli.ts';

const BIN = join(repoRoot, 'bin', 'briefbot.js');
/** Written after a build finishes: dist/ files alone can be newer than src/ while a build is half done. */
const BUILT = join(repoRoot, 'dist', '.build-done');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(BUILT).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Builds dist/ when it is missing or older than src/ (a stale build would test old code).
 * Test files run in parallel: a lock folder keeps two builds from writing dist/ at once.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(repoRoot, 'dist.build-lock');
  for (;;) {
    const building = existsSync(lock);
    if (!building && builtAt() > newestSource(join(repoRoot, 'src'))) return;
    try {
      mkdirSync(lock);
    } catch {
      // Another test file is building; a lock older than two minutes is a crashed build's.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 120_000)
        rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      if (builtAt() > newestSource(join(repoRoot, 'src'))) return;
      const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
      writeFileSync(BUILT, new Date().toISOString());
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

export interface ProcessOptions {
  readonly cwd: string;
  /** The whole environment of the child (PATH is added): nothing leaks in from the test runner. */
  readonly env?: Record<string, string>;
}

export interface RunningBriefbot {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything written to stdout and stderr so far. */
  readonly output: () => { stdout: string; stderr: string };
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | string>;
}

/** Starts `node bin/briefbot.js …args` (build it first with ensureBuilt). */
export function spawnBriefbot(args: readonly string[], options: ProcessOptions): RunningBriefbot {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Runs the built CLI to its end; `timeoutMs` kills a process that hangs (reported as SIGKILL). */
export async function runBriefbot(
  args: readonly string[],
  options: ProcessOptions & { readonly timeoutMs?: number },
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const run = spawnBriefbot(args, options);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  try {
    const code = await run.exited;
    return { code, ...run.output() };
  } finally {
    clearTimeout(timer);
  }
}
