/**
 * ChatRepo on PostgreSQL, for several replicas on one database. Deliveries are claimed with
 * `FOR UPDATE SKIP LOCKED` (two replicas claiming at once take disjoint entries, neither
 * waits for the other), under a lease; every later state change is one UPDATE guarded by the
 * status and attempt id, so a stale replica can never overwrite a newer outcome. Work made
 * due for others is announced with NOTIFY, so idle replicas join at once.
 */
import pg from 'pg';
import type { ChatRepo, Lease, NewOutboxEntry, NewScheduleRun, OutboxEntry, ScheduleRun } from '../chat-port.ts';
import { byAge, outboxKey, toOutboxEntry as toEntry, toScheduleRun, type OutboxRow, type RunRow } from '../rows.ts';
import { connectionConfig, inTransaction, type Pool } from './database.ts';

/** The NOTIFY channel replicas LISTEN on. */
export const OUTBOX_CHANNEL = 'briefbot_outbox';

/** Due, and not waiting for a live run to build its brief (that run's replica is on it). */
const CLAIMABLE = `o.status = 'pending' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= $1)
  AND (o.brief_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM chat_schedule_runs r
    WHERE r.topic_id = o.topic_id AND r.scheduled_for = o.run_id AND r.finished_at IS NULL AND r.lease_until > $1))`;

const changed = (result: pg.QueryResult): boolean => (result.rowCount ?? 0) > 0;

export class PgChatRepo implements ChatRepo {
  constructor(
    private readonly pool: Pool,
    private readonly url: string,
  ) {}

  private async notify(): Promise<void> {
    await this.pool.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
  }

  async follow(channel: string, topicId: string, at: string): Promise<boolean> {
    return changed(
      await this.pool.query('INSERT INTO chat_follows (channel, topic_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        channel,
        topicId,
        at,
      ]),
    );
  }

  async unfollow(channel: string, topicId: string): Promise<boolean> {
    return changed(await this.pool.query('DELETE FROM chat_follows WHERE channel = $1 AND topic_id = $2', [channel, topicId]));
  }

  async followers(topicId: string): Promise<string[]> {
    const rows = (
      await this.pool.query<{ channel: string }>(
        'SELECT channel FROM chat_follows WHERE topic_id = $1 ORDER BY created_at, channel COLLATE "C"',
        [topicId],
      )
    ).rows;
    return rows.map((r) => r.channel);
  }

  async following(channel: string): Promise<string[]> {
    const rows = (
      await this.pool.query<{ topic_id: string }>('SELECT topic_id FROM chat_follows WHERE channel = $1 ORDER BY topic_id COLLATE "C"', [
        channel,
      ])
    ).rows;
    return rows.map((r) => r.topic_id);
  }

  async enqueue(entry: NewOutboxEntry, at: string): Promise<OutboxEntry> {
    const key = outboxKey(entry.topicId, entry.runId, entry.channel);
    const inserted = await this.pool.query(
      `INSERT INTO chat_outbox (key, topic_id, run_id, channel, brief_id, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6) ON CONFLICT DO NOTHING`,
      [key, entry.topicId, entry.runId, entry.channel, entry.briefId ?? null, at],
    );
    if (changed(inserted) && entry.briefId !== undefined) await this.notify();
    return (await this.outboxEntry(key))!;
  }

  async outboxEntry(key: string): Promise<OutboxEntry | undefined> {
    const row = (await this.pool.query<OutboxRow>('SELECT * FROM chat_outbox WHERE key = $1', [key])).rows[0];
    return row && toEntry(row);
  }

  async attachBrief(topicId: string, runId: string, briefId: string, at: string): Promise<void> {
    const result = await this.pool.query(
      'UPDATE chat_outbox SET brief_id = $1, updated_at = $2 WHERE topic_id = $3 AND run_id = $4 AND brief_id IS NULL',
      [briefId, at, topicId, runId],
    );
    if (changed(result)) await this.notify();
  }

  async claimDue(at: string, lease: Lease, limit: number, platforms: readonly string[]): Promise<OutboxEntry[]> {
    if (limit <= 0 || platforms.length === 0) return [];
    const rows = (
      await this.pool.query<OutboxRow>(
        `WITH picked AS (
         SELECT o.key FROM chat_outbox o
         WHERE ${CLAIMABLE} AND split_part(o.channel, ':', 1) = ANY($5::text[])
         ORDER BY o.created_at, o.key COLLATE "C" LIMIT $4
         FOR UPDATE OF o SKIP LOCKED)
       UPDATE chat_outbox t SET status = 'sending', attempt_id = gen_random_uuid()::text, attempts = t.attempts + 1,
         lease_owner = $2, lease_until = $3, updated_at = $1
       FROM picked WHERE t.key = picked.key
       RETURNING t.*`,
        [at, lease.owner, lease.until, limit, [...platforms]],
      )
    ).rows;
    return rows.map(toEntry).sort(byAge);
  }

  async renewClaims(keys: readonly string[], lease: Lease): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = (
      await this.pool.query<{ key: string }>(
        `UPDATE chat_outbox SET lease_until = $1 WHERE key = ANY($2::text[]) AND status = 'sending' AND lease_owner = $3 RETURNING key`,
        [lease.until, [...keys], lease.owner],
      )
    ).rows;
    return rows.map((r) => r.key);
  }

  async releaseClaim(key: string, attemptId: string, at: string): Promise<boolean> {
    const released = changed(
      await this.pool.query(
        `UPDATE chat_outbox SET status = 'pending', attempts = greatest(0, attempts - 1), lease_owner = NULL, lease_until = NULL, updated_at = $1
       WHERE key = $2 AND status = 'sending' AND attempt_id = $3`,
        [at, key, attemptId],
      ),
    );
    if (released) await this.notify();
    return released;
  }

  async markSent(
    key: string,
    attemptId: string,
    posted: { threadId: string; messageIds: readonly string[] },
    at: string,
  ): Promise<boolean> {
    return changed(
      await this.pool.query(
        `UPDATE chat_outbox SET status = 'sent', thread_id = $1, message_ids = $2, last_error = NULL, next_attempt_at = NULL,
         lease_owner = NULL, lease_until = NULL, updated_at = $3
       WHERE key = $4 AND attempt_id = $5 AND status = 'sending'`,
        [posted.threadId, JSON.stringify(posted.messageIds), at, key, attemptId],
      ),
    );
  }

  async markRetry(
    key: string,
    attemptId: string,
    error: string,
    nextAttemptAt: string,
    at: string,
    options: { countAttempt?: boolean } = {},
  ): Promise<boolean> {
    const retried = changed(
      await this.pool.query(
        `UPDATE chat_outbox SET status = 'pending', last_error = $1, next_attempt_at = $2, updated_at = $3, attempts = attempts + $4,
         lease_owner = NULL, lease_until = NULL
       WHERE key = $5 AND status = 'sending' AND attempt_id = $6`,
        [error, nextAttemptAt, at, options.countAttempt ? 1 : 0, key, attemptId],
      ),
    );
    if (retried && nextAttemptAt <= at) await this.notify();
    return retried;
  }

  async markFailed(key: string, attemptId: string, error: string, at: string): Promise<boolean> {
    return changed(
      await this.pool.query(
        `UPDATE chat_outbox SET status = 'failed', last_error = $1, updated_at = $2, lease_owner = NULL, lease_until = NULL
       WHERE key = $3 AND status = 'sending' AND attempt_id = $4`,
        [error, at, key, attemptId],
      ),
    );
  }

  async inDoubt(at: string, owner: string): Promise<OutboxEntry[]> {
    const rows = (
      await this.pool.query<OutboxRow>(
        `SELECT * FROM chat_outbox WHERE status = 'sending' AND (lease_until IS NULL OR lease_until <= $1 OR lease_owner = $2)
       ORDER BY created_at, key COLLATE "C"`,
        [at, owner],
      )
    ).rows;
    return rows.map(toEntry);
  }

  async takeOver(key: string, attemptId: string, lease: Lease, at: string): Promise<OutboxEntry | undefined> {
    const row = (
      await this.pool.query<OutboxRow>(
        `UPDATE chat_outbox SET attempt_id = gen_random_uuid()::text, lease_owner = $1, lease_until = $2, updated_at = $3
       WHERE key = $4 AND status = 'sending' AND attempt_id = $5 RETURNING *`,
        [lease.owner, lease.until, at, key, attemptId],
      )
    ).rows[0];
    return row && toEntry(row);
  }

  async due(at: string): Promise<OutboxEntry[]> {
    const rows = (
      await this.pool.query<OutboxRow>(`SELECT * FROM chat_outbox o WHERE ${CLAIMABLE} ORDER BY o.created_at, o.key COLLATE "C"`, [at])
    ).rows;
    return rows.map(toEntry);
  }

  /** LISTENs on a connection of its own; a dropped connection is re-opened (ticks cover the gap). */
  async watchOutbox(onChange: () => void): Promise<() => Promise<void>> {
    let client: pg.Client | undefined;
    let closed = false;
    let retry: NodeJS.Timeout | undefined;
    const open = async (): Promise<void> => {
      const c = new pg.Client(connectionConfig(this.url, { applicationName: 'briefbot-listen' }));
      c.on('notification', () => onChange());
      c.on('error', () => {
        if (closed || client !== c) return;
        client = undefined;
        void c.end().catch(() => undefined);
        retry = setTimeout(() => void open().catch(() => undefined), 1000);
        retry.unref();
      });
      await c.connect();
      await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (closed) await c.end();
      else client = c;
    };
    await open();
    return async () => {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    };
  }

  async beginRun(run: NewScheduleRun, at: string): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const began = await client.query(
        `INSERT INTO chat_schedule_runs (topic_id, scheduled_for, started_at, lease_owner, lease_until) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [run.topicId, run.scheduledFor, at, run.lease.owner, run.lease.until],
      );
      if (!changed(began)) return false;
      const channels = [...new Set(run.channels)];
      if (channels.length > 0) {
        await client.query(
          `INSERT INTO chat_outbox (key, topic_id, run_id, channel, status, created_at, updated_at)
           SELECT $1 || '|' || $2 || '|' || c, $1, $2, c, 'pending', $3, $3 FROM unnest($4::text[]) AS c
           ON CONFLICT DO NOTHING`,
          [run.topicId, run.scheduledFor, at, channels],
        );
      }
      return true;
    });
  }

  async renewRun(topicId: string, scheduledFor: string, lease: Lease): Promise<boolean> {
    return changed(
      await this.pool.query(
        'UPDATE chat_schedule_runs SET lease_until = $1 WHERE topic_id = $2 AND scheduled_for = $3 AND lease_owner = $4 AND finished_at IS NULL',
        [lease.until, topicId, scheduledFor, lease.owner],
      ),
    );
  }

  async finishRun(topicId: string, scheduledFor: string, at: string, error?: string): Promise<void> {
    await this.pool.query(
      'UPDATE chat_schedule_runs SET finished_at = $1, error = $2, lease_owner = NULL, lease_until = NULL WHERE topic_id = $3 AND scheduled_for = $4',
      [at, error ?? null, topicId, scheduledFor],
    );
  }

  async lastRun(topicId: string): Promise<ScheduleRun | undefined> {
    const row = (
      await this.pool.query<RunRow>(
        'SELECT * FROM chat_schedule_runs WHERE topic_id = $1 ORDER BY scheduled_for COLLATE "C" DESC LIMIT 1',
        [topicId],
      )
    ).rows[0];
    return row && toScheduleRun(row);
  }

  async savePostedBrief(channel: string, threadId: string, briefId: string, at: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO chat_threads (channel, thread_id, brief_id, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (channel, thread_id) DO UPDATE SET brief_id = EXCLUDED.brief_id, created_at = EXCLUDED.created_at`,
      [channel, threadId, briefId, at],
    );
  }

  async briefForThread(channel: string, threadId: string): Promise<string | undefined> {
    return (
      await this.pool.query<{ brief_id: string }>('SELECT brief_id FROM chat_threads WHERE channel = $1 AND thread_id = $2', [
        channel,
        threadId,
      ])
    ).rows[0]?.brief_id;
  }

  async markEventProcessed(eventId: string, at: string): Promise<boolean> {
    return changed(
      await this.pool.query('INSERT INTO chat_events (event_id, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [eventId, at]),
    );
  }
}
