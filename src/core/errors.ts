/**
 * Coded errors. Callers branch on `code` (and the fields each class adds), never on
 * message text. Messages are one line, meant for an operator's terminal or log.
 */
import type { StoredBrief } from './types.ts';

export type ErrorCode =
  | 'USAGE' // bad command line
  | 'CONFIG' // bad config file or environment
  | 'UNKNOWN_TOPIC'
  | 'FETCH' // a source could not be fetched
  | 'BLOCKED_ADDRESS' // a fetch would reach a loopback/private/link-local address
  | 'PARSE' // a feed or page could not be understood
  | 'SOURCE' // a local path could not be read
  | 'STORE'
  | 'SUMMARIZER'
  | 'CHAT_DELIVERY'
  | 'NETWORK' // a platform could not be reached (not a refusal)
  | 'BUILD_BUDGET' // a brief build ran past its time budget and was stopped
  | 'INTERNAL';

export class BriefbotError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Exit code 2: the user can fix it by changing the command or the config. */
export class UsageError extends BriefbotError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export class ConfigError extends BriefbotError {
  /** Dotted path of the offending key, e.g. `topics[0].schedule.cron`. */
  readonly key: string | undefined;
  constructor(message: string, key?: string) {
    super('CONFIG', message);
    this.key = key;
  }
}

export class UnknownTopicError extends BriefbotError {
  readonly topic: string;
  readonly known: readonly string[];
  constructor(topic: string, known: readonly string[]) {
    super('UNKNOWN_TOPIC', `unknown topic "${topic}"; known topics: ${known.length > 0 ? known.join(', ') : '(none configured)'}`);
    this.topic = topic;
    this.known = known;
  }
}

export class FetchError extends BriefbotError {
  readonly url: string;
  /** HTTP status when the server answered; undefined for network errors and timeouts. */
  readonly status: number | undefined;
  /** Short machine-readable reason: "timeout", "too-large", "redirect-loop", "http-404", … */
  readonly reason: string;
  /** Milliseconds the server asked us to wait (Retry-After), when it did. */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    fields: { url: string; reason: string; status?: number; retryAfterMs?: number; cause?: unknown },
    code: ErrorCode = 'FETCH',
  ) {
    super(code, message, { cause: fields.cause });
    this.url = fields.url;
    this.status = fields.status;
    this.reason = fields.reason;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

export class SummarizerError extends BriefbotError {
  /** "timeout", "rate-limited", "server-error", "bad-json", "refusal", "empty", "budget" … */
  readonly reason: string;
  constructor(message: string, reason: string, options?: { cause?: unknown }) {
    super('SUMMARIZER', message, options);
    this.reason = reason;
  }
}

export class ChatDeliveryError extends BriefbotError {
  readonly platform: 'slack' | 'discord';
  readonly channel: string;
  /** Platform error code, e.g. `channel_not_found`, `50013`. */
  readonly platformCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** True when trying again later can succeed (rate limit, 5xx, network). */
  readonly retryable: boolean;
  constructor(
    message: string,
    fields: {
      platform: 'slack' | 'discord';
      channel: string;
      platformCode?: string;
      retryAfterMs?: number;
      retryable: boolean;
      cause?: unknown;
    },
  ) {
    super('CHAT_DELIVERY', message, { cause: fields.cause });
    this.platform = fields.platform;
    this.channel = fields.channel;
    this.platformCode = fields.platformCode;
    this.retryAfterMs = fields.retryAfterMs;
    this.retryable = fields.retryable;
  }
}

/**
 * A brief build ran past its time budget and was stopped (its worker terminated). Carries
 * the latest stored brief of the same topic and window, when there is one, for callers that
 * would rather show a stale brief than nothing (a chat command); a scheduled run fails.
 */
export class BuildBudgetError extends BriefbotError {
  readonly topicId: string;
  readonly budgetMs: number;
  readonly articles: number;
  readonly stale: StoredBrief | undefined;
  constructor(fields: { topicId: string; budgetMs: number; articles: number; stale?: StoredBrief }) {
    super(
      'BUILD_BUDGET',
      `building the ${fields.topicId} brief (${fields.articles} articles) took longer than its ${Math.round(fields.budgetMs / 1000)} s budget and was stopped`,
    );
    this.topicId = fields.topicId;
    this.budgetMs = fields.budgetMs;
    this.articles = fields.articles;
    this.stale = fields.stale;
  }
}

/** Errors the CLI reports with exit code 2 (bad usage or config). */
export function isUserError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof ConfigError || error instanceof UnknownTopicError;
}

/** One line describing any thrown value, safe to print (no stack). */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}
