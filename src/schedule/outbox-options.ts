/** The outbox's options and what it does when they say nothing (outbox.ts). */
import { hostname } from 'node:os';
import type { BriefService } from '../core/service.ts';
import type { ChatAdapter, PostedBrief } from '../chat/port.ts';
import type { Logger } from '../core/log.ts';
import type { ChatRepo, OutboxEntry } from '../store/chat-port.ts';

export interface OutboxOptions {
  readonly chat: ChatRepo;
  readonly adapters: readonly ChatAdapter[];
  readonly service: BriefService;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** This replica's id, the owner of its claims (default: host name and process id). */
  readonly owner?: string;
  /** How long a claim lasts without renewal (default 15 s); renewed every third of it. */
  readonly leaseMs?: number;
  /** Claims held (deliveries queued or posting) at once by this process (default 16). */
  readonly concurrency?: number;
  /** Waits for Retry-After within one flush before giving the entry back to the queue (default 3). */
  readonly maxRateLimitWaits?: number;
  /** Longest Retry-After honoured inline (default 60 s); longer ones reschedule the entry. */
  readonly maxInlineWaitMs?: number;
  /** Attempts before a delivery that keeps failing is given up (default 8). */
  readonly maxAttempts?: number;
  /** Delay before retrying after a retryable error without Retry-After (default 30 s × 2^attempts, ≤ 1 h). */
  readonly backoffMs?: (attempts: number) => number;
  /**
   * Runs after a successful post and before it is recorded. Tests inject a throwing hook here
   * to simulate a crash in the window between the post and marking it sent.
   */
  readonly afterPost?: (entry: OutboxEntry, posted: PostedBrief) => void | Promise<void>;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface FlushReport {
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
}

/** What the outbox does when its options say nothing (the owner defaults to defaultReplicaId()). */
export const OUTBOX_DEFAULTS = {
  now: () => new Date(),
  leaseMs: 15_000,
  concurrency: 16,
  maxRateLimitWaits: 3,
  maxInlineWaitMs: 60_000,
  maxAttempts: 8,
  backoffMs: (attempts: number): number => Math.min(3_600_000, 30_000 * 2 ** attempts),
  sleep: (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)),
} as const satisfies OutboxDefaults;

type OutboxDefaults = Required<
  Pick<OutboxOptions, 'now' | 'leaseMs' | 'concurrency' | 'maxRateLimitWaits' | 'maxInlineWaitMs' | 'maxAttempts' | 'backoffMs' | 'sleep'>
>;
export type OutboxSettings = OutboxOptions & OutboxDefaults;

/** The default replica id: unique among live processes on one database. */
export function defaultReplicaId(): string {
  return `${hostname()}:${process.pid}`;
}
