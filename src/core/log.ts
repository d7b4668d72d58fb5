/**
 * The structured logger (pino, JSON lines on stderr). Created once by the composition root
 * and passed in; secrets are redacted by key wherever they appear in a log object.
 */
import { pino, type Logger } from 'pino';
import { redactSecrets } from './redact.ts';

export type { Logger };

/** Field names whose values never reach a log line. */
const REDACT = [
  'token',
  'apiKey',
  'authorization',
  'signingSecret',
  'appToken',
  'botToken',
  'password',
  'secret',
  '*.token',
  '*.apiKey',
  '*.authorization',
  '*.Authorization',
  '*.signingSecret',
  '*.appToken',
  '*.botToken',
  '*.password',
  '*.secret',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
];

/**
 * Every line, as written: known secret values (tokens, API keys, from the environment) are
 * replaced and URL credentials masked wherever they appear — also inside error text a
 * server sent back, which no key-based redaction can see.
 */
function scrubbed(destination: NodeJS.WritableStream, secrets: readonly (string | undefined)[]): pino.DestinationStream {
  return { write: (line: string) => void destination.write(redactSecrets(line, secrets)) };
}

export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream; secrets?: readonly (string | undefined)[] } = {},
): Logger {
  return pino(
    {
      name: 'briefbot',
      level: options.level ?? 'info',
      redact: { paths: REDACT, censor: '[redacted]' },
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    scrubbed(options.destination ?? process.stderr, options.secrets ?? []),
  );
}

/** A logger that drops everything (tests, library defaults). */
export const silentLogger: Logger = pino({ level: 'silent' });
