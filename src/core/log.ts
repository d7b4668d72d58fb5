/**
 * The structured logger (pino, JSON lines on stderr). Created once by the composition root
 * and passed in; secrets are redacted by key wherever they appear in a log object.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Field names whose values never reach a log line. */
const REDACT = [
  'token', 'apiKey', 'authorization', 'signingSecret', 'appToken', 'botToken', 'password', 'secret',
  '*.token', '*.apiKey', '*.authorization', '*.Authorization', '*.signingSecret', '*.appToken', '*.botToken',
  '*.password', '*.secret', 'headers.authorization', 'headers.Authorization', '*.headers.authorization',
];

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      name: 'briefbot',
      level: options.level ?? 'info',
      redact: { paths: REDACT, censor: '[redacted]' },
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    (options.destination ?? process.stderr) as pino.DestinationStream,
  );
}

/** A logger that drops everything (tests, library defaults). */
export const silentLogger: Logger = pino({ level: 'silent' });
