/**
 * A real logger (core/log.ts) writing into memory, so a test can wait for what the code says
 * it did — "duplicate event dropped" — instead of sleeping and hoping it happened.
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/core/log.ts';

export interface RecordedLog {
  readonly logger: Logger;
  readonly lines: Array<Record<string, unknown>>;
  /** How many lines carry this message. */
  count(msg: string): number;
  /** Waits until `count(msg)` reaches `n`, or fails after `timeoutMs`. */
  waitFor(msg: string, n?: number, timeoutMs?: number): Promise<void>;
}

export function recordingLogger(level = 'debug'): RecordedLog {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const count = (msg: string): number => lines.filter((l) => l['msg'] === msg).length;
  return {
    logger: createLogger({ level, destination }),
    lines,
    count,
    async waitFor(msg, n = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (count(msg) < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} log line(s) "${msg}" (saw ${count(msg)})`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}
