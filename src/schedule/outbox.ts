/**
 * Exactly-once delivery of scheduled briefs. A delivery is written to the outbox before it is
 * posted (keyed topic+run+channel, unique), claimed under a fresh attempt id (`sending`),
 * posted, then marked `sent` with the platform's message ids. A post error or a crash before
 * the post leaves it pending (retried at start and on every tick).
 *
 * The one window a crash can leave open is between a successful post and marking it sent:
 * the entry stays `sending`. On recovery the outbox asks the adapter to look for the post in
 * the channel's history by its delivery key (Slack: message metadata) and marks it sent when
 * found. Only an adapter without `findPostedBrief` re-posts in that case — a documented
 * at-least-once window (see docs/slack.md, "Delivery guarantees").
 *
 * Deliveries to one channel run one after another (a per-channel queue), so a 429's
 * Retry-After pauses that channel only.
 */
import { randomUUID } from 'node:crypto';
import type { BriefService } from '../core/service.ts';
import type { ChatAdapter, PostedBrief } from '../chat/port.ts';
import { ChatDeliveryError, oneLine } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { ChatRepo, NewOutboxEntry, OutboxEntry } from '../store/chat-port.ts';

export interface OutboxOptions {
  readonly chat: ChatRepo;
  readonly adapters: readonly ChatAdapter[];
  readonly service: BriefService;
  readonly logger: Logger;
  readonly now?: () => Date;
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

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Outbox {
  private readonly chat: ChatRepo;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly queues = new Map<string, Promise<void>>();
  /** Attempt ids posting in this process: recovery must not treat them as crashed. */
  private readonly inFlight = new Set<string>();
  private stopping = false;

  constructor(private readonly options: OutboxOptions) {
    this.chat = options.chat;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
  }

  private iso(): string {
    return this.now().toISOString();
  }

  /** Writes deliveries to the outbox (idempotent per key); returns the stored entries. */
  async enqueue(entries: readonly NewOutboxEntry[]): Promise<OutboxEntry[]> {
    const at = this.iso();
    const stored: OutboxEntry[] = [];
    for (const entry of entries) stored.push(await this.chat.enqueue(entry, at));
    return stored;
  }

  /**
   * Settles deliveries a crash left `sending`: marked sent when the adapter finds the post in
   * the channel, otherwise handed back to the queue.
   */
  async recover(): Promise<void> {
    for (const entry of await this.chat.inDoubt()) {
      if (entry.attemptId !== undefined && this.inFlight.has(entry.attemptId)) continue;
      const adapter = this.adapterFor(entry.channel);
      if (!adapter) continue;
      if (adapter.findPostedBrief === undefined) {
        this.logger.warn({ key: entry.key, channel: entry.channel }, 'delivery outcome unknown after restart; re-posting (adapter cannot look it up)');
        await this.chat.markRetry(entry.key, 'outcome unknown after restart', this.iso(), this.iso());
        continue;
      }
      let found: PostedBrief | undefined;
      try {
        found = await adapter.findPostedBrief(entry.channel, entry.key);
      } catch (error) {
        // Leave it in doubt: re-posting blind could post twice. The next tick asks again.
        this.logger.warn({ key: entry.key, channel: entry.channel, err: oneLine(error) }, 'cannot check channel history for an in-doubt delivery');
        continue;
      }
      if (found) {
        await this.chat.markSent(entry.key, entry.attemptId ?? '', { threadId: found.thread.threadId, messageIds: found.messageIds }, this.iso());
        if (entry.briefId !== undefined) await this.chat.savePostedBrief(entry.channel, found.thread.threadId, entry.briefId, this.iso());
        this.logger.info({ key: entry.key, channel: entry.channel }, 'in-doubt delivery was posted; marked sent');
      } else {
        await this.chat.markRetry(entry.key, 'not posted before restart', this.iso(), this.iso());
        this.logger.info({ key: entry.key, channel: entry.channel }, 'in-doubt delivery was not posted; queued again');
      }
    }
  }

  /** Delivers every due entry, one queue per channel, and waits for them. */
  async flush(): Promise<FlushReport> {
    if (this.stopping) return { sent: 0, retried: 0, failed: 0 };
    await this.recover();
    const report = { sent: 0, retried: 0, failed: 0 };
    const due = await this.chat.due(this.iso());
    const byChannel = new Map<string, OutboxEntry[]>();
    for (const entry of due) byChannel.set(entry.channel, [...(byChannel.get(entry.channel) ?? []), entry]);
    const runs = [...byChannel].map(([channel, entries]) => {
      const previous = this.queues.get(channel) ?? Promise.resolve();
      const run = previous.then(async () => {
        for (const entry of entries) {
          if (this.stopping) return;
          const outcome = await this.deliver(entry);
          if (outcome !== 'skipped') report[outcome] += 1;
        }
      });
      const settled = run.catch((error: unknown) => {
        this.logger.error({ channel, err: oneLine(error) }, 'delivery interrupted; the outbox keeps it for recovery');
      });
      this.queues.set(channel, settled);
      void settled.then(() => {
        if (this.queues.get(channel) === settled) this.queues.delete(channel);
      });
      return settled;
    });
    await Promise.all(runs);
    return report;
  }

  /** Stops taking new deliveries and waits for the posts in flight to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.queues.values()]);
  }

  private adapterFor(channel: string): ChatAdapter | undefined {
    return this.options.adapters.find((a) => channel.startsWith(`${a.platform}:`));
  }

  private async deliver(initial: OutboxEntry): Promise<'sent' | 'retried' | 'failed' | 'skipped'> {
    let entry = initial;
    const adapter = this.adapterFor(entry.channel);
    if (!adapter) {
      this.logger.warn({ key: entry.key, channel: entry.channel }, 'no adapter for this channel\'s platform; delivery stays queued');
      return 'skipped';
    }
    if (entry.briefId === undefined) {
      // The run crashed (or failed) before its brief was built: build it now.
      try {
        const brief = await this.options.service.brief(entry.topicId);
        await this.chat.attachBrief(entry.topicId, entry.runId, brief.id, this.iso());
        entry = (await this.chat.outboxEntry(entry.key)) ?? entry;
      } catch (error) {
        // No claim counted this attempt: count it here, or a brief that can never be built
        // (a source gone for good, a topic removed) would be retried forever.
        return this.retryLater({ ...entry, attempts: entry.attempts + 1 }, `brief failed: ${oneLine(error)}`, undefined, true);
      }
    }
    const brief = entry.briefId !== undefined ? await this.options.service.storedBrief(entry.briefId) : undefined;
    if (!brief) {
      await this.chat.markFailed(entry.key, `brief ${entry.briefId ?? '(none)'} is not stored`, this.iso());
      return 'failed';
    }
    const attemptId = randomUUID();
    if (!(await this.chat.claim(entry.key, attemptId, this.iso()))) return 'skipped';
    this.inFlight.add(attemptId);
    try {
      const maxWaits = this.options.maxRateLimitWaits ?? 3;
      const maxWait = this.options.maxInlineWaitMs ?? 60_000;
      for (let waits = 0; ; waits += 1) {
        let posted: PostedBrief;
        try {
          posted = await adapter.postBrief(entry.channel, brief, { deliveryKey: entry.key });
        } catch (error) {
          const delivery = error instanceof ChatDeliveryError ? error : undefined;
          const retryAfter = delivery?.retryAfterMs;
          if (delivery?.retryable && retryAfter !== undefined && retryAfter <= maxWait && waits < maxWaits && !this.stopping) {
            this.logger.warn({ key: entry.key, channel: entry.channel, retryAfterMs: retryAfter }, 'rate limited; waiting before posting again');
            await (this.options.sleep ?? defaultSleep)(retryAfter);
            continue;
          }
          if (delivery && !delivery.retryable) {
            this.logger.error(
              { key: entry.key, channel: entry.channel, platformCode: delivery.platformCode, err: oneLine(error) },
              'delivery failed for this channel; giving up on it',
            );
            await this.chat.markFailed(entry.key, oneLine(error), this.iso());
            return 'failed';
          }
          return this.retryLater({ ...entry, attempts: entry.attempts + 1 }, oneLine(error), retryAfter);
        }
        await this.options.afterPost?.(entry, posted);
        await this.chat.markSent(entry.key, attemptId, { threadId: posted.thread.threadId, messageIds: posted.messageIds }, this.iso());
        await this.chat.savePostedBrief(entry.channel, posted.thread.threadId, brief.id, this.iso());
        this.logger.info({ key: entry.key, channel: entry.channel, brief: brief.id, messages: posted.messageIds.length }, 'brief delivered');
        return 'sent';
      }
    } finally {
      this.inFlight.delete(attemptId);
    }
  }

  private async retryLater(entry: OutboxEntry, error: string, retryAfterMs: number | undefined, countAttempt = false): Promise<'retried' | 'failed'> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    if (entry.attempts >= maxAttempts) {
      this.logger.error({ key: entry.key, channel: entry.channel, attempts: entry.attempts, err: error }, 'delivery given up after repeated failures');
      await this.chat.markFailed(entry.key, error, this.iso());
      return 'failed';
    }
    const backoff = this.options.backoffMs ?? ((n: number) => Math.min(3_600_000, 30_000 * 2 ** n));
    const delay = Math.max(retryAfterMs ?? 0, backoff(entry.attempts));
    const next = new Date(this.now().getTime() + delay).toISOString();
    this.logger.warn({ key: entry.key, channel: entry.channel, err: error, nextAttemptAt: next }, 'delivery will be retried');
    await this.chat.markRetry(entry.key, error, next, this.iso(), { countAttempt });
    return 'retried';
  }
}
