/**
 * `briefbot serve` replicas as separate processes (from the TypeScript sources), the way
 * compose.yaml runs them: one PostgreSQL URL, a replica id each, a port each for /readyz.
 * Shared by the replicas end-to-end test and `npm run bench -- replicas`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './ports.ts';

const ENTRY = join(import.meta.dirname, 'briefbot-src.ts');
/** tsx by absolute URL: the processes run in a temp dir with no node_modules. */
export const TSX = import.meta.resolve('tsx');

/** Arguments for `node` to run the briefbot CLI from the sources. */
export function briefbotArgs(...args: string[]): string[] {
  return ['--import', TSX, ENTRY, ...args];
}

export class ReplicaProcess {
  logs = '';
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  port = 0;

  constructor(
    readonly id: string,
    private readonly env: Record<string, string>,
    private readonly cwd: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts `briefbot serve`; resolves once /readyz answers 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    this.port = await freePort();
    const child = spawn(process.execPath, briefbotArgs('serve'), {
      cwd: this.cwd,
      env: { PATH: process.env['PATH'] ?? '', ...this.env, BRIEFBOT_REPLICA_ID: this.id, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (c: Buffer) => (this.logs += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.logs += c.toString()));
    // 'close', not 'exit': the process's output is fully read by then (log lines are counted).
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`replica ${this.id} exited ${child.exitCode} before it was ready:\n${this.tail()}`);
      if (
        await fetch(`http://127.0.0.1:${this.port}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      if (Date.now() > deadline) throw new Error(`replica ${this.id} not ready in ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGKILL: no shutdown at all, as a crashed machine. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: graceful; resolves with the exit code. */
  async terminate(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    return this.exited ?? null;
  }

  /** Log lines (pino JSON) whose message is `msg`. */
  count(msg: string): number {
    return this.logs.split('\n').filter((line) => line.includes(`"msg":"${msg}"`)).length;
  }

  tail(lines = 40): string {
    return this.logs.split('\n').slice(-lines).join('\n');
  }

  /** Every log line that mentions `text`. */
  linesWith(text: string): string[] {
    return this.logs.split('\n').filter((line) => line.includes(text));
  }
}
