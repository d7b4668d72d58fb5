/**
 * The chat side of the storage port: who follows which topic, the delivery outbox, schedule
 * runs, where briefs were posted (for follow-ups) and which platform events were handled.
 * Like the rest of the port it is async so another database can implement it later.
 */
import type { IsoTime } from '../core/types.ts';

/** `slack:C…` / `discord:…`, as in chat/port.ts ChannelRef. */
export type ChannelAddress = string;

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
   * Moves a pending entry to `sending` under a new attempt id; false when someone else
   * holds it (not pending any more), so two deliveries never race on one entry.
   */
  claim(key: string, attemptId: string, at: IsoTime): Promise<boolean>;
  /** Records a successful post of attempt `attemptId`. */
  markSent(key: string, attemptId: string, posted: { threadId: string; messageIds: readonly string[] }, at: IsoTime): Promise<void>;
  /**
   * Back to pending, to try again at `nextAttemptAt`. `countAttempt` counts a failure that
   * happened before any claim (building the brief), so it too runs out of attempts.
   */
  markRetry(key: string, error: string, nextAttemptAt: IsoTime, at: IsoTime, options?: { countAttempt?: boolean }): Promise<void>;
  markFailed(key: string, error: string, at: IsoTime): Promise<void>;
  /** Pending entries due at `at`, oldest first. */
  due(at: IsoTime): Promise<OutboxEntry[]>;
  /** Entries left in `sending` (their outcome unknown after a crash). */
  inDoubt(): Promise<OutboxEntry[]>;

  /** Starts a run; false when this (topic, scheduledFor) already ran or runs. */
  beginRun(topicId: string, scheduledFor: IsoTime, at: IsoTime): Promise<boolean>;
  finishRun(topicId: string, scheduledFor: IsoTime, at: IsoTime, error?: string): Promise<void>;
  lastRun(topicId: string): Promise<ScheduleRun | undefined>;

  /** Remembers that a thread holds a brief, so replies there are answered from it. */
  savePostedBrief(channel: ChannelAddress, threadId: string, briefId: string, at: IsoTime): Promise<void>;
  briefForThread(channel: ChannelAddress, threadId: string): Promise<string | undefined>;

  /** Records an event id; false when it was seen before (a redelivery). */
  markEventProcessed(eventId: string, at: IsoTime): Promise<boolean>;
}
