/** Runs the real CLI in-process with captured output and its own database. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function tempDir(prefix = 'briefbot-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export async function runCli(argv: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const out = capture();
  const err = capture();
  const code = await main(argv, {
    stdout: out.stream,
    stderr: err.stream,
    cwd: options.cwd ?? process.cwd(),
    env: { LOG_LEVEL: 'error', ...options.env },
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Repository root (tests run from it under `npm test`, but don't rely on that). */
export const repoRoot = join(import.meta.dirname, '..', '..');
export const sharedDir = join(repoRoot, '..', 'shared');
