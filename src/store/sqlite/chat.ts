/**
 * ChatRepo on SQLite. Every state change of an outbox entry is one UPDATE guarded by its
 * current status and attempt id, so a second deliverer (another process on the same file, or
 * a stale attempt) can never overwrite a newer outcome. SQLite runs one writer at a time, so a
 * batch claim (UPDATE … WHERE key IN (SELECT … LIMIT n) RETURNING) is atomic as it stands.
 */
import type { ChatRepo, Lease, NewOutboxEntry, NewScheduleRun, OutboxEntry, ScheduleRun } from '../chat-port.ts';
import { byAge, outboxKey, toOutboxEntry as toEntry, toScheduleRun, type OutboxRow, type RunRow } from '../rows.ts';
import type { Db } from './database.ts';

export { outboxKey };

/** A random attempt id, made by SQLite inside the claiming statement. */
const NEW_ATTEMPT_ID = 'lower(hex(randomblob(16)))';

/** Due, and not waiting for a live run to build its brief (that run's replica is on it). */
const CLAIMABLE = `o.status = 'pending' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= @at)
  AND (o.brief_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM chat_schedule_runs r
    WHERE r.topic_id = o.topic_id AND r.scheduled_for = o.run_id AND r.finished_at IS NULL AND r.lease_until > @at))`;

export class SqliteChatRepo implements ChatRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      follow: db.prepare('INSERT OR IGNORE INTO chat_follows (channel, topic_id, created_at) VALUES (?, ?, ?)'),
      unfollow: db.prepare('DELETE FROM chat_follows WHERE channel = ? AND topic_id = ?'),
      followers: db.prepare('SELECT channel FROM chat_follows WHERE topic_id = ? ORDER BY created_at, channel'),
      following: db.prepare('SELECT topic_id FROM chat_follows WHERE channel = ? ORDER BY topic_id'),
      enqueue: db.prepare(`INSERT OR IGNORE INTO chat_outbox
        (key, topic_id, run_id, channel, brief_id, status, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`),
      entry: db.prepare('SELECT * FROM chat_outbox WHERE key = ?'),
      attach: db.prepare(`UPDATE chat_outbox SET brief_id = ?, updated_at = ?
        WHERE topic_id = ? AND run_id = ? AND brief_id IS NULL`),
      claimDue: db.prepare(`UPDATE chat_outbox SET status = 'sending', attempt_id = ${NEW_ATTEMPT_ID},
          attempts = attempts + 1, lease_owner = @owner, lease_until = @until, updated_at = @at
        WHERE key IN (SELECT o.key FROM chat_outbox o WHERE ${CLAIMABLE}
          AND substr(o.channel, 1, instr(o.channel, ':') - 1) IN (SELECT value FROM json_each(@platforms))
          ORDER BY o.created_at, o.key LIMIT @limit)
        RETURNING *`),
      renew: db.prepare(`UPDATE chat_outbox SET lease_until = ?
        WHERE key = ? AND status = 'sending' AND lease_owner = ?`),
      release: db.prepare(`UPDATE chat_outbox SET status = 'pending', attempts = max(0, attempts - 1),
          lease_owner = NULL, lease_until = NULL, updated_at = ?
        WHERE key = ? AND status = 'sending' AND attempt_id = ?`),
      sent: db.prepare(`UPDATE chat_outbox SET status = 'sent', thread_id = ?, message_ids = ?, last_error = NULL,
          next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?
        WHERE key = ? AND attempt_id = ? AND status = 'sending'`),
      retry: db.prepare(`UPDATE chat_outbox SET status = 'pending', last_error = ?, next_attempt_at = ?, updated_at = ?,
          attempts = attempts + ?, lease_owner = NULL, lease_until = NULL
        WHERE key = ? AND status = 'sending' AND attempt_id = ?`),
      failed: db.prepare(`UPDATE chat_outbox SET status = 'failed', last_error = ?, updated_at = ?,
          lease_owner = NULL, lease_until = NULL
        WHERE key = ? AND status = 'sending' AND attempt_id = ?`),
      due: db.prepare(`SELECT * FROM chat_outbox o WHERE ${CLAIMABLE} ORDER BY o.created_at, o.key`),
      inDoubt: db.prepare(`SELECT * FROM chat_outbox WHERE status = 'sending'
        AND (lease_until IS NULL OR lease_until <= ? OR lease_owner = ?) ORDER BY created_at, key`),
      takeOver: db.prepare(`UPDATE chat_outbox SET attempt_id = ${NEW_ATTEMPT_ID}, lease_owner = ?, lease_until = ?, updated_at = ?
        WHERE key = ? AND status = 'sending' AND attempt_id = ? RETURNING *`),
      beginRun: db.prepare(`INSERT OR IGNORE INTO chat_schedule_runs (topic_id, scheduled_for, started_at, lease_owner, lease_until)
        VALUES (?, ?, ?, ?, ?)`),
      renewRun: db.prepare(`UPDATE chat_schedule_runs SET lease_until = ?
        WHERE topic_id = ? AND scheduled_for = ? AND lease_owner = ? AND finished_at IS NULL`),
      finishRun: db.prepare(`UPDATE chat_schedule_runs SET finished_at = ?, error = ?, lease_owner = NULL, lease_until = NULL
        WHERE topic_id = ? AND scheduled_for = ?`),
      lastRun: db.prepare('SELECT * FROM chat_schedule_runs WHERE topic_id = ? ORDER BY scheduled_for DESC LIMIT 1'),
      saveThread: db.prepare('INSERT OR REPLACE INTO chat_threads (channel, thread_id, brief_id, created_at) VALUES (?, ?, ?, ?)'),
      thread: db.prepare('SELECT brief_id FROM chat_threads WHERE channel = ? AND thread_id = ?'),
      event: db.prepare('INSERT OR IGNORE INTO chat_events (event_id, created_at) VALUES (?, ?)'),
    };
  }

  async follow(channel: string, topicId: string, at: string): Promise<boolean> {
    return this.s.follow.run(channel, topicId, at).changes > 0;
  }

  async unfollow(channel: string, topicId: string): Promise<boolean> {
    return this.s.unfollow.run(channel, topicId).changes > 0;
  }

  async followers(topicId: string): Promise<string[]> {
    return this.s.followers.all(topicId).map((r) => (r as { channel: string }).channel);
  }

  async following(channel: string): Promise<string[]> {
    return this.s.following.all(channel).map((r) => (r as { topic_id: string }).topic_id);
  }

  async enqueue(entry: NewOutboxEntry, at: string): Promise<OutboxEntry> {
    const key = outboxKey(entry.topicId, entry.runId, entry.channel);
    this.s.enqueue.run(key, entry.topicId, entry.runId, entry.channel, entry.briefId ?? null, at, at);
    return toEntry(this.s.entry.get(key) as OutboxRow);
  }

  async outboxEntry(key: string): Promise<OutboxEntry | undefined> {
    const row = this.s.entry.get(key) as OutboxRow | undefined;
    return row && toEntry(row);
  }

  async attachBrief(topicId: string, runId: string, briefId: string, at: string): Promise<void> {
    this.s.attach.run(briefId, at, topicId, runId);
  }

  async claimDue(at: string, lease: Lease, limit: number, platforms: readonly string[]): Promise<OutboxEntry[]> {
    if (limit <= 0 || platforms.length === 0) return [];
    const rows = this.s.claimDue.all({
      at,
      owner: lease.owner,
      until: lease.until,
      limit,
      platforms: JSON.stringify(platforms),
    }) as OutboxRow[];
    return rows.map(toEntry).sort(byAge);
  }

  async renewClaims(keys: readonly string[], lease: Lease): Promise<string[]> {
    return this.db.transaction(() => keys.filter((key) => this.s.renew.run(lease.until, key, lease.owner).changes > 0))();
  }

  async releaseClaim(key: string, attemptId: string, at: string): Promise<boolean> {
    return this.s.release.run(at, key, attemptId).changes > 0;
  }

  async markSent(
    key: string,
    attemptId: string,
    posted: { threadId: string; messageIds: readonly string[] },
    at: string,
  ): Promise<boolean> {
    return this.s.sent.run(posted.threadId, JSON.stringify(posted.messageIds), at, key, attemptId).changes > 0;
  }

  async markRetry(
    key: string,
    attemptId: string,
    error: string,
    nextAttemptAt: string,
    at: string,
    options: { countAttempt?: boolean } = {},
  ): Promise<boolean> {
    return this.s.retry.run(error, nextAttemptAt, at, options.countAttempt ? 1 : 0, key, attemptId).changes > 0;
  }

  async markFailed(key: string, attemptId: string, error: string, at: string): Promise<boolean> {
    return this.s.failed.run(error, at, key, attemptId).changes > 0;
  }

  async inDoubt(at: string, owner: string): Promise<OutboxEntry[]> {
    return (this.s.inDoubt.all(at, owner) as OutboxRow[]).map(toEntry);
  }

  async takeOver(key: string, attemptId: string, lease: Lease, at: string): Promise<OutboxEntry | undefined> {
    const row = this.s.takeOver.get(lease.owner, lease.until, at, key, attemptId) as OutboxRow | undefined;
    return row && toEntry(row);
  }

  async due(at: string): Promise<OutboxEntry[]> {
    return (this.s.due.all({ at }) as OutboxRow[]).map(toEntry);
  }

  async beginRun(run: NewScheduleRun, at: string): Promise<boolean> {
    return this.db.transaction((): boolean => {
      const began = this.s.beginRun.run(run.topicId, run.scheduledFor, at, run.lease.owner, run.lease.until).changes > 0;
      if (!began) return false;
      for (const channel of new Set(run.channels)) {
        this.s.enqueue.run(outboxKey(run.topicId, run.scheduledFor, channel), run.topicId, run.scheduledFor, channel, null, at, at);
      }
      return true;
    })();
  }

  async renewRun(topicId: string, scheduledFor: string, lease: Lease): Promise<boolean> {
    return this.s.renewRun.run(lease.until, topicId, scheduledFor, lease.owner).changes > 0;
  }

  async finishRun(topicId: string, scheduledFor: string, at: string, error?: string): Promise<void> {
    this.s.finishRun.run(at, error ?? null, topicId, scheduledFor);
  }

  async lastRun(topicId: string): Promise<ScheduleRun | undefined> {
    const row = this.s.lastRun.get(topicId) as RunRow | undefined;
    return row && toScheduleRun(row);
  }

  async savePostedBrief(channel: string, threadId: string, briefId: string, at: string): Promise<void> {
    this.s.saveThread.run(channel, threadId, briefId, at);
  }

  async briefForThread(channel: string, threadId: string): Promise<string | undefined> {
    return (this.s.thread.get(channel, threadId) as { brief_id: string } | undefined)?.brief_id;
  }

  async markEventProcessed(eventId: string, at: string): Promise<boolean> {
    return this.s.event.run(eventId, at).changes > 0;
  }
}
