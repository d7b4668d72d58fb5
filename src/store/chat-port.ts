/**
 * The chat side of the storage port: who follows which topic, the delivery outbox, schedule
 * runs, where briefs were posted (for follow-ups) and which platform events were handled.
 *
 * Several processes (replicas) may share one database. Work one of them takes — an outbox
 * delivery, a scheduled run's brief — is held under a lease: an owner (the replica's id) and
 * an end time, renewed while the work goes on. A lease that ends without renewal means its
 * owner died or stalled; only then may another replica take the work over.
 */
import type { IsoTime } from '../core/types.ts';

/** `slack:C…` / `discord:…`, as in chat/port.ts ChannelRef. */
export type ChannelAddress = string;

/** Who holds a piece of work and until when (renewed while the work goes on). */
export interface Lease {
  /** The replica's id (BRIEFBOT_REPLICA_ID). */
  readonly owner: string;
  readonly until: IsoTime;
}

/**
 * pending: to post (maybe after `nextAttemptAt`); sending: a post was started by attempt
 * `attemptId` and its outcome is not recorded (a crash, or in flight); sent: done;
 * failed: given up (the channel is gone, the bot was removed …).
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxEntry {
  /** `${topicId}|${runId}|${channel}`: unique, so a run reaches a channel once. */
  readonly key: string;
  readonly topicId: string;
  /** The scheduled time of the run (ISO), or another caller-chosen run id. */
  readonly runId: string;
  readonly channel: ChannelAddress;
  /** Set once the brief is built; entries without one are built on recovery. */
  readonly briefId?: string;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly attemptId?: string;
  readonly nextAttemptAt?: IsoTime;
  /** Thread id of the posted brief (Slack ts of the first message). */
  readonly threadId?: string;
  readonly messageIds: readonly string[];
  readonly lastError?: string;
  /** While `sending`: the replica holding the delivery, and when its claim ends unless renewed. */
  readonly leaseOwner?: string;
  readonly leaseUntil?: IsoTime;
  readonly createdAt: IsoTime;
  readonly updatedAt: IsoTime;
}

export interface NewOutboxEntry {
  readonly topicId: string;
  readonly runId: string;
  readonly channel: ChannelAddress;
  readonly briefId?: string;
}

export interface ScheduleRun {
  readonly topicId: string;
  /** The scheduled time this run stands for (ISO, UTC). */
  readonly scheduledFor: IsoTime;
  readonly startedAt: IsoTime;
  readonly finishedAt?: IsoTime;
  readonly error?: string;
}

/** A scheduled run to begin: its deliveries are written with it, in one transaction. */
export interface NewScheduleRun {
  readonly topicId: string;
  readonly scheduledFor: IsoTime;
  /** Channels the run delivers to (one outbox entry each, without a brief yet). */
  readonly channels: readonly ChannelAddress[];
  /** The replica building the run's brief; its entries wait for it until the lease ends. */
  readonly lease: Lease;
}

export interface ChatRepo {
  /** Subscribes a channel to a topic's scheduled brief; false when it already was. */
  follow(channel: ChannelAddress, topicId: string, at: IsoTime): Promise<boolean>;
  /** False when the channel did not follow the topic. */
  unfollow(channel: ChannelAddress, topicId: string): Promise<boolean>;
  /** Channels that followed the topic from chat. */
  followers(topicId: string): Promise<ChannelAddress[]>;
  /** Topics a channel follows. */
  following(channel: ChannelAddress): Promise<string[]>;

  /** Inserts an outbox entry unless its key exists; returns the stored entry either way. */
  enqueue(entry: NewOutboxEntry, at: IsoTime): Promise<OutboxEntry>;
  outboxEntry(key: string): Promise<OutboxEntry | undefined>;
  /** Sets the brief of entries of a run that have none yet. */
  attachBrief(topicId: string, runId: string, briefId: string, at: IsoTime): Promise<void>;
  /**
   * Claims up to `limit` due entries for `lease.owner`: pending, next attempt due, and either
   * with a brief or no longer waiting for a live run to build one. Each moves to `sending`
   * under a fresh attempt id (counted in `attempts`). Entries another replica claims at the
   * same moment are skipped (PostgreSQL: FOR UPDATE SKIP LOCKED), never shared. Only
   * channels of the given platforms (`slack`, `discord`) are claimed: a replica claims
   * nothing it cannot post.
   */
  claimDue(at: IsoTime, lease: Lease, limit: number, platforms: readonly string[]): Promise<OutboxEntry[]>;
  /** Extends the claims `lease.owner` still holds; returns the keys it still holds. */
  renewClaims(keys: readonly string[], lease: Lease, at: IsoTime): Promise<string[]>;
  /** Hands an unstarted claim back (shutdown): pending again, the attempt not counted. */
  releaseClaim(key: string, attemptId: string, at: IsoTime): Promise<boolean>;
  /** Records a successful post of attempt `attemptId`. */
  markSent(key: string, attemptId: string, posted: { threadId: string; messageIds: readonly string[] }, at: IsoTime): Promise<boolean>;
  /**
   * Attempt `attemptId` failed: back to pending, to try again at `nextAttemptAt`. `countAttempt`
   * counts one more attempt (the claim counted one already).
   */
  markRetry(
    key: string,
    attemptId: string,
    error: string,
    nextAttemptAt: IsoTime,
    at: IsoTime,
    options?: { countAttempt?: boolean },
  ): Promise<boolean>;
  /** Attempt `attemptId` failed for good. */
  markFailed(key: string, attemptId: string, error: string, at: IsoTime): Promise<boolean>;
  /**
   * Entries left in `sending` whose outcome is unknown: their lease ended (the owner died or
   * stalled), or they are `owner`'s own from before a restart. Another replica's live claims
   * are never in doubt.
   */
  inDoubt(at: IsoTime, owner: string): Promise<OutboxEntry[]>;
  /**
   * Takes an in-doubt entry over from attempt `attemptId` (so two replicas never settle one
   * entry): a new attempt id under `lease`; undefined when someone else settled or took it.
   */
  takeOver(key: string, attemptId: string, lease: Lease, at: IsoTime): Promise<OutboxEntry | undefined>;
  /** Pending entries due at `at`, oldest first (a view for operators and tests; delivery uses claimDue). */
  due(at: IsoTime): Promise<OutboxEntry[]>;
  /**
   * Calls `onChange` when another process made outbox work due (a run's brief attached, a
   * claim handed back), so idle replicas join at once instead of at their next tick.
   * Optional: a single-process database has no one to hear from. Returns the unsubscribe.
   */
  watchOutbox?(onChange: () => void): Promise<() => Promise<void>>;

  /**
   * Starts a run and writes its deliveries, atomically; false when this (topic, scheduledFor)
   * already ran or runs — on any replica.
   */
  beginRun(run: NewScheduleRun, at: IsoTime): Promise<boolean>;
  /** Extends the run's lease while its brief is built; false when the run is not `lease.owner`'s. */
  renewRun(topicId: string, scheduledFor: IsoTime, lease: Lease): Promise<boolean>;
  finishRun(topicId: string, scheduledFor: IsoTime, at: IsoTime, error?: string): Promise<void>;
  lastRun(topicId: string): Promise<ScheduleRun | undefined>;

  /** Remembers that a thread holds a brief, so replies there are answered from it. */
  savePostedBrief(channel: ChannelAddress, threadId: string, briefId: string, at: IsoTime): Promise<void>;
  briefForThread(channel: ChannelAddress, threadId: string): Promise<string | undefined>;

  /** Records an event id; false when it was seen before (a redelivery). */
  markEventProcessed(eventId: string, at: IsoTime): Promise<boolean>;
}
