/**
 * Exactly-once delivery of scheduled briefs, from one process or from several replicas on one
 * database. A delivery is written to the outbox before it is posted (keyed topic+run+channel,
 * unique), claimed by one replica under a fresh attempt id and a lease (`sending`, owner +
 * end time, renewed while it is held), posted, then marked `sent` with the platform's message
 * ids. A post error leaves it pending (retried on every tick, by whichever replica claims it).
 *
 * The one window a crash can leave open is between a successful post and marking it sent:
 * the entry stays `sending`. Once its lease ends (or at once, when the replica restarts under
 * the same id) another replica takes it over and asks the adapter to look for the post in the
 * channel's history by its delivery key (Slack: message metadata; Discord: a footer marker),
 * marking it sent when found. A live replica's claims are never in doubt. Only an adapter
 * without `findPostedBrief` re-posts in that case — a documented at-least-once window.
 *
 * Deliveries to one channel run one after another (a per-channel queue), so a 429's
 * Retry-After pauses that channel only; at most `concurrency` claims are held at once, so
 * the rest stay claimable by other replicas.
 */
import type { ChatAdapter, PostedBrief } from '../chat/port.ts';
import type { Logger } from '../core/log.ts';
import { ChatDeliveryError, oneLine } from '../core/errors.ts';
import type { ChatRepo, Lease, NewOutboxEntry, OutboxEntry } from '../store/chat-port.ts';
import { defaultReplicaId, OUTBOX_DEFAULTS, type FlushReport, type OutboxOptions, type OutboxSettings } from './outbox-options.ts';

export { defaultReplicaId, OUTBOX_DEFAULTS, type FlushReport, type OutboxOptions } from './outbox-options.ts';

type Outcome = 'sent' | 'retried' | 'failed' | 'skipped';
type Tally = { sent: number; retried: number; failed: number };

export class Outbox {
  readonly owner: string;
  private readonly options: OutboxSettings;
  private readonly chat: ChatRepo;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly queues = new Map<string, Promise<void>>();
  /** Claims this process holds (key → attempt id): renewed by the heartbeat, skipped by recovery. */
  private readonly held = new Map<string, string>();
  /** Brief builds in progress for runs whose builder died (topic|run → brief id), shared by their entries. */
  private readonly builds = new Map<string, Promise<string>>();
  private slotWaiters: (() => void)[] = [];
  /** Slots a flush is claiming for right now (so concurrent flushes never claim past `concurrency`). */
  private reserved = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private kicked: Promise<void> | undefined;
  private kickAgain = false;
  private stopping = false;

  constructor(options: OutboxOptions) {
    this.options = { ...OUTBOX_DEFAULTS, ...options };
    this.chat = options.chat;
    this.logger = options.logger;
    this.now = this.options.now;
    this.owner = options.owner ?? defaultReplicaId();
    this.leaseMs = this.options.leaseMs;
    this.concurrency = Math.max(1, this.options.concurrency);
  }

  private iso(): string {
    return this.now().toISOString();
  }

  private lease(): Lease {
    return { owner: this.owner, until: new Date(this.now().getTime() + this.leaseMs).toISOString() };
  }

  /** Writes deliveries to the outbox (idempotent per key); returns the stored entries. */
  async enqueue(entries: readonly NewOutboxEntry[]): Promise<OutboxEntry[]> {
    const at = this.iso();
    const stored: OutboxEntry[] = [];
    for (const entry of entries) stored.push(await this.chat.enqueue(entry, at));
    return stored;
  }

  /**
   * Settles deliveries whose outcome is unknown — their replica's lease ended, or this
   * replica's own from before a restart: marked sent when the adapter finds the post in the
   * channel, otherwise handed back to the queue.
   */
  async recover(): Promise<void> {
    for (const entry of await this.chat.inDoubt(this.iso(), this.owner)) {
      if (this.stopping) return;
      if (this.held.has(entry.key)) continue;
      const adapter = this.adapterFor(entry.channel);
      if (!adapter) continue;
      const taken = await this.chat.takeOver(entry.key, entry.attemptId ?? '', this.lease(), this.iso());
      if (!taken?.attemptId) continue;
      const attemptId = taken.attemptId;
      this.hold(entry.key, attemptId);
      try {
        await this.settleInDoubt(adapter, taken, attemptId, entry.leaseOwner);
      } finally {
        this.release(entry.key);
      }
    }
  }

  private async settleInDoubt(adapter: ChatAdapter, entry: OutboxEntry, attemptId: string, from: string | undefined): Promise<void> {
    const log = { key: entry.key, channel: entry.channel, from };
    if (from !== undefined && from !== this.owner) this.logger.info(log, 'taking over a delivery whose replica stopped renewing its claim');
    if (adapter.findPostedBrief === undefined) {
      this.logger.warn(log, 'delivery outcome unknown; re-posting (adapter cannot look it up)');
      await this.chat.markRetry(entry.key, attemptId, 'outcome unknown after its replica stopped', this.iso(), this.iso());
      return;
    }
    let found: PostedBrief | undefined;
    try {
      found = await adapter.findPostedBrief(entry.channel, entry.key);
    } catch (error) {
      // Leave it in doubt (under this replica's lease): re-posting blind could post twice.
      this.logger.warn({ ...log, err: oneLine(error) }, 'cannot check channel history for an in-doubt delivery');
      return;
    }
    if (found) {
      await this.chat.markSent(entry.key, attemptId, { threadId: found.thread.threadId, messageIds: found.messageIds }, this.iso());
      if (entry.briefId !== undefined) await this.chat.savePostedBrief(entry.channel, found.thread.threadId, entry.briefId, this.iso());
      this.logger.info(log, 'in-doubt delivery was posted; marked sent');
    } else {
      await this.chat.markRetry(entry.key, attemptId, 'not posted before its replica stopped', this.iso(), this.iso());
      this.logger.info(log, 'in-doubt delivery was not posted; queued again');
    }
  }

  /** Delivers every entry due now that this replica can claim, one queue per channel, and waits for them. */
  async flush(): Promise<FlushReport> {
    const report: Tally = { sent: 0, retried: 0, failed: 0 };
    if (this.stopping) return report;
    await this.recover();
    const platforms = this.options.adapters.map((a) => a.platform);
    const runs: Promise<void>[] = [];
    while (!this.stopping) {
      const free = this.concurrency - this.held.size - this.reserved;
      if (free <= 0) {
        await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
        continue;
      }
      this.reserved += free;
      let claimed: OutboxEntry[];
      const started = performance.now();
      try {
        claimed = await this.chat.claimDue(this.iso(), this.lease(), free, platforms);
      } finally {
        this.reserved -= free;
      }
      if (claimed.length === 0) break;
      this.logger.debug({ claimed: claimed.length, ms: Math.round((performance.now() - started) * 10) / 10 }, 'deliveries claimed');
      for (const entry of claimed) runs.push(this.queue(entry, report));
    }
    await Promise.all(runs);
    return report;
  }

  /** Starts a flush unless one is running, else runs one more after it: ticks and notifications call this. */
  kick(): Promise<void> {
    if (this.kicked) {
      this.kickAgain = true;
      return this.kicked;
    }
    this.kicked = (async () => {
      do {
        this.kickAgain = false;
        try {
          await this.flush();
        } catch (error) {
          this.logger.error({ err: oneLine(error) }, 'outbox flush failed');
        }
      } while (this.kickAgain && !this.stopping);
      this.kicked = undefined;
    })();
    return this.kicked;
  }

  /**
   * Stops taking new deliveries, waits for the posts in flight to finish, and hands claims
   * that had not started back to the queue (another replica takes them at once).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.slotWaiters.splice(0)) wake();
    await this.kicked;
    await Promise.all([...this.queues.values()]);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private adapterFor(channel: string): ChatAdapter | undefined {
    return this.options.adapters.find((a) => channel.startsWith(`${a.platform}:`));
  }

  private hold(key: string, attemptId: string): void {
    this.held.set(key, attemptId);
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => void this.renew(), Math.max(20, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref();
  }

  private release(key: string): void {
    this.held.delete(key);
    this.slotWaiters.shift()?.();
  }

  /** The heartbeat: extends every claim still held; a claim that could not be kept is logged. */
  private async renew(): Promise<void> {
    if (this.held.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
      return;
    }
    const keys = [...this.held.keys()];
    try {
      const kept = new Set(await this.chat.renewClaims(keys, this.lease(), this.iso()));
      for (const key of keys) {
        if (!kept.has(key) && this.held.has(key)) this.logger.warn({ key }, 'a delivery claim was lost (lease ended before renewal)');
      }
    } catch (error) {
      this.logger.warn({ err: oneLine(error), claims: keys.length }, 'cannot renew delivery claims');
    }
  }

  /** Runs a claimed entry in its channel's queue. */
  private queue(entry: OutboxEntry, report: Tally): Promise<void> {
    const attemptId = entry.attemptId ?? '';
    this.hold(entry.key, attemptId);
    const channel = entry.channel;
    const previous = this.queues.get(channel) ?? Promise.resolve();
    const run = previous.then(async () => {
      if (this.stopping) {
        await this.chat.releaseClaim(entry.key, attemptId, this.iso());
        return;
      }
      const outcome = await this.deliver(entry, attemptId);
      if (outcome !== 'skipped') report[outcome] += 1;
    });
    const settled = run
      .catch((error: unknown) => {
        this.logger.error({ channel, err: oneLine(error) }, 'delivery interrupted; the outbox keeps it for recovery');
      })
      .finally(() => this.release(entry.key));
    this.queues.set(channel, settled);
    void settled.then(() => {
      if (this.queues.get(channel) === settled) this.queues.delete(channel);
    });
    return settled;
  }

  /** The brief of an entry whose run crashed (or failed) before attaching one: built once per run here. */
  private async briefFor(entry: OutboxEntry): Promise<string> {
    const fresh = await this.chat.outboxEntry(entry.key);
    if (fresh?.briefId !== undefined) return fresh.briefId;
    const run = `${entry.topicId}|${entry.runId}`;
    let build = this.builds.get(run);
    if (!build) {
      build = (async () => {
        const brief = await this.options.service.brief(entry.topicId);
        await this.chat.attachBrief(entry.topicId, entry.runId, brief.id, this.iso());
        return brief.id;
      })();
      this.builds.set(run, build);
      const forget = (): void => void this.builds.delete(run);
      build.then(forget, forget);
    }
    const built = await build;
    return (await this.chat.outboxEntry(entry.key))?.briefId ?? built;
  }

  private async deliver(claimed: OutboxEntry, attemptId: string): Promise<Outcome> {
    let entry = claimed;
    const adapter = this.adapterFor(entry.channel);
    if (!adapter) return 'skipped';
    if (entry.briefId === undefined) {
      try {
        entry = { ...entry, briefId: await this.briefFor(entry) };
      } catch (error) {
        return this.retryLater(entry, attemptId, `brief failed: ${oneLine(error)}`, undefined);
      }
    }
    const brief = entry.briefId !== undefined ? await this.options.service.storedBrief(entry.briefId) : undefined;
    if (!brief) {
      await this.chat.markFailed(entry.key, attemptId, `brief ${entry.briefId ?? '(none)'} is not stored`, this.iso());
      return 'failed';
    }
    // A build can take long: post only while the claim is still this replica's.
    if ((await this.chat.renewClaims([entry.key], this.lease(), this.iso())).length === 0) {
      this.logger.warn({ key: entry.key, channel: entry.channel }, 'claim lost before posting; another replica has this delivery');
      return 'skipped';
    }
    const maxWaits = this.options.maxRateLimitWaits;
    const maxWait = this.options.maxInlineWaitMs;
    for (let waits = 0; ; waits += 1) {
      let posted: PostedBrief;
      try {
        posted = await adapter.postBrief(entry.channel, brief, { deliveryKey: entry.key });
      } catch (error) {
        const delivery = error instanceof ChatDeliveryError ? error : undefined;
        const retryAfter = delivery?.retryAfterMs;
        if (delivery?.retryable && retryAfter !== undefined && retryAfter <= maxWait && waits < maxWaits && !this.stopping) {
          this.logger.warn(
            { key: entry.key, channel: entry.channel, retryAfterMs: retryAfter },
            'rate limited; waiting before posting again',
          );
          await this.options.sleep(retryAfter);
          continue;
        }
        if (delivery && !delivery.retryable) {
          this.logger.error(
            { key: entry.key, channel: entry.channel, platformCode: delivery.platformCode, err: oneLine(error) },
            'delivery failed for this channel; giving up on it',
          );
          await this.chat.markFailed(entry.key, attemptId, oneLine(error), this.iso());
          return 'failed';
        }
        return this.retryLater(entry, attemptId, oneLine(error), retryAfter);
      }
      await this.options.afterPost?.(entry, posted);
      const recorded = await this.chat.markSent(
        entry.key,
        attemptId,
        { threadId: posted.thread.threadId, messageIds: posted.messageIds },
        this.iso(),
      );
      await this.chat.savePostedBrief(entry.channel, posted.thread.threadId, brief.id, this.iso());
      if (!recorded) {
        // This replica stalled past its lease and another took the entry over: that one finds
        // this post by its delivery key, so nothing is posted twice unless it looked first (on
        // Discord not even then: a delivery's messages carry a nonce Discord enforces).
        this.logger.warn({ key: entry.key, channel: entry.channel }, 'posted after the claim was taken over; its new holder settles it');
      }
      this.logger.info({ key: entry.key, channel: entry.channel, brief: brief.id, messages: posted.messageIds.length }, 'brief delivered');
      return 'sent';
    }
  }

  private async retryLater(
    entry: OutboxEntry,
    attemptId: string,
    error: string,
    retryAfterMs: number | undefined,
  ): Promise<'retried' | 'failed'> {
    const maxAttempts = this.options.maxAttempts;
    if (entry.attempts >= maxAttempts) {
      this.logger.error(
        { key: entry.key, channel: entry.channel, attempts: entry.attempts, err: error },
        'delivery given up after repeated failures',
      );
      await this.chat.markFailed(entry.key, attemptId, error, this.iso());
      return 'failed';
    }
    const backoff = this.options.backoffMs;
    const delay = Math.max(retryAfterMs ?? 0, backoff(entry.attempts));
    const next = new Date(this.now().getTime() + delay).toISOString();
    this.logger.warn({ key: entry.key, channel: entry.channel, err: error, nextAttemptAt: next }, 'delivery will be retried');
    await this.chat.markRetry(entry.key, attemptId, error, next, this.iso());
    return 'retried';
  }
}
