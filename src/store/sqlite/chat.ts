/**
 * ChatRepo on SQLite. Construct over an open store's connection: `new SqliteChatRepo(store.db)`.
 * Every state change of an outbox entry is one UPDATE guarded by its current status, so a
 * second deliverer (or a stale attempt) can never overwrite a newer outcome.
 */
import type { ChatRepo, NewOutboxEntry, OutboxEntry, OutboxStatus, ScheduleRun } from '../chat-port.ts';
import type { Db } from './database.ts';

interface OutboxRow {
  key: string;
  topic_id: string;
  run_id: string;
  channel: string;
  brief_id: string | null;
  status: OutboxStatus;
  attempts: number;
  attempt_id: string | null;
  next_attempt_at: string | null;
  thread_id: string | null;
  message_ids: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

interface RunRow {
  topic_id: string;
  scheduled_for: string;
  started_at: string;
  finished_at: string | null;
  error: string | null;
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    key: row.key,
    topicId: row.topic_id,
    runId: row.run_id,
    channel: row.channel,
    status: row.status,
    attempts: row.attempts,
    messageIds: JSON.parse(row.message_ids) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.brief_id !== null && { briefId: row.brief_id }),
    ...(row.attempt_id !== null && { attemptId: row.attempt_id }),
    ...(row.next_attempt_at !== null && { nextAttemptAt: row.next_attempt_at }),
    ...(row.thread_id !== null && { threadId: row.thread_id }),
    ...(row.last_error !== null && { lastError: row.last_error }),
  };
}

/** The outbox key of a run's delivery to one channel. */
export function outboxKey(topicId: string, runId: string, channel: string): string {
  return `${topicId}|${runId}|${channel}`;
}

export class SqliteChatRepo implements ChatRepo {
  private readonly s;

  constructor(db: Db) {
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
      claim: db.prepare(`UPDATE chat_outbox SET status = 'sending', attempt_id = ?, attempts = attempts + 1, updated_at = ?
        WHERE key = ? AND status = 'pending'`),
      sent: db.prepare(`UPDATE chat_outbox SET status = 'sent', thread_id = ?, message_ids = ?, last_error = NULL,
        next_attempt_at = NULL, updated_at = ? WHERE key = ? AND attempt_id = ? AND status = 'sending'`),
      retry: db.prepare(`UPDATE chat_outbox SET status = 'pending', last_error = ?, next_attempt_at = ?, updated_at = ?,
        attempts = attempts + ? WHERE key = ? AND status IN ('pending', 'sending')`),
      failed: db.prepare(`UPDATE chat_outbox SET status = 'failed', last_error = ?, updated_at = ?
        WHERE key = ? AND status IN ('pending', 'sending')`),
      due: db.prepare(`SELECT * FROM chat_outbox WHERE status = 'pending'
        AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY created_at, key`),
      inDoubt: db.prepare(`SELECT * FROM chat_outbox WHERE status = 'sending' ORDER BY created_at, key`),
      beginRun: db.prepare('INSERT OR IGNORE INTO chat_schedule_runs (topic_id, scheduled_for, started_at) VALUES (?, ?, ?)'),
      finishRun: db.prepare('UPDATE chat_schedule_runs SET finished_at = ?, error = ? WHERE topic_id = ? AND scheduled_for = ?'),
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

  async claim(key: string, attemptId: string, at: string): Promise<boolean> {
    return this.s.claim.run(attemptId, at, key).changes > 0;
  }

  async markSent(key: string, attemptId: string, posted: { threadId: string; messageIds: readonly string[] }, at: string): Promise<void> {
    this.s.sent.run(posted.threadId, JSON.stringify(posted.messageIds), at, key, attemptId);
  }

  async markRetry(key: string, error: string, nextAttemptAt: string, at: string, options: { countAttempt?: boolean } = {}): Promise<void> {
    this.s.retry.run(error, nextAttemptAt, at, options.countAttempt ? 1 : 0, key);
  }

  async markFailed(key: string, error: string, at: string): Promise<void> {
    this.s.failed.run(error, at, key);
  }

  async due(at: string): Promise<OutboxEntry[]> {
    return (this.s.due.all(at) as OutboxRow[]).map(toEntry);
  }

  async inDoubt(): Promise<OutboxEntry[]> {
    return (this.s.inDoubt.all() as OutboxRow[]).map(toEntry);
  }

  async beginRun(topicId: string, scheduledFor: string, at: string): Promise<boolean> {
    return this.s.beginRun.run(topicId, scheduledFor, at).changes > 0;
  }

  async finishRun(topicId: string, scheduledFor: string, at: string, error?: string): Promise<void> {
    this.s.finishRun.run(at, error ?? null, topicId, scheduledFor);
  }

  async lastRun(topicId: string): Promise<ScheduleRun | undefined> {
    const row = this.s.lastRun.get(topicId) as RunRow | undefined;
    if (!row) return undefined;
    return {
      topicId: row.topic_id,
      scheduledFor: row.scheduled_for,
      startedAt: row.started_at,
      ...(row.finished_at !== null && { finishedAt: row.finished_at }),
      ...(row.error !== null && { error: row.error }),
    };
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
