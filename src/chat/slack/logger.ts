/** Bolt's logger interface over our pino logger (Bolt's own debug chatter goes to trace). */
import type { Logger } from '../../core/log.ts';

export type BoltLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface BoltLogger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
  setLevel(level: BoltLogLevel): void;
  getLevel(): BoltLogLevel;
  setName(name: string): void;
}

function line(msg: unknown[]): string {
  return msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
}

export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  // Bolt logs whole payloads at debug: format only when the level is on.
  const at =
    (level: 'trace' | 'debug' | 'warn' | 'error') =>
    (...m: unknown[]): void => {
      if (child.isLevelEnabled(level)) child[level](line(m));
    };
  return {
    debug: at('trace'),
    info: at('debug'),
    warn: at('warn'),
    error: at('error'),
    setLevel: () => undefined,
    getLevel: () => 'info',
    setName: () => undefined,
  };
}
