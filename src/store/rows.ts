/**
 * Table rows → port types, shared by the SQLite and PostgreSQL backends (both use the same
 * column names; PostgreSQL rows are normalized first: times to ISO strings, see postgres/).
 */
import type { Article, Brief, StoredBrief } from '../core/types.ts';
import type { OutboxEntry, OutboxStatus, ScheduleRun } from './chat-port.ts';
import type { SourceState } from './port.ts';

export interface ArticleRow {
  id: string;
  canonical_url: string;
  url: string;
  title: string;
  text: string;
  publisher: string | null;
  author: string | null;
  published_at: string | null;
  first_seen_at: string;
  lang: string | null;
  guid: string | null;
  source_id: string;
  content_hash: string;
  duplicate_of: string | null;
  /** Planted instructions extraction took out of the text (0 = none). */
  instructions: number;
  /** The screen for planted instructions the text went through (absent in rows stored before it was kept). */
  screen_revision?: string | null;
}

export function toArticle(row: ArticleRow): Article {
  return {
    id: row.id,
    canonicalUrl: row.canonical_url,
    url: row.url,
    title: row.title,
    text: row.text,
    sourceId: row.source_id,
    contentHash: row.content_hash,
    firstSeenAt: row.first_seen_at,
    ...(row.publisher !== null && { publisher: row.publisher }),
    ...(row.author !== null && { author: row.author }),
    ...(row.published_at !== null && { publishedAt: row.published_at }),
    ...(row.lang !== null && { lang: row.lang }),
    ...(row.guid !== null && { guid: row.guid }),
    ...(row.duplicate_of !== null && { duplicateOf: row.duplicate_of }),
    ...(Number(row.instructions) > 0 && { instructions: Number(row.instructions) }),
    ...(typeof row.screen_revision === 'string' && { screenRevision: row.screen_revision }),
  };
}

/** The parameters of an article row (what `insert` writes). */
export function articleParams(article: Article): Record<string, string | number | null> {
  return {
    id: article.id,
    canonicalUrl: article.canonicalUrl,
    url: article.url,
    title: article.title,
    text: article.text,
    publisher: article.publisher ?? null,
    author: article.author ?? null,
    publishedAt: article.publishedAt ?? null,
    firstSeenAt: article.firstSeenAt,
    // Published time when known, else first seen: what windows filter on.
    effectiveAt: article.publishedAt ?? article.firstSeenAt,
    lang: article.lang ?? null,
    guid: article.guid ?? null,
    sourceId: article.sourceId,
    contentHash: article.contentHash,
    duplicateOf: article.duplicateOf ?? null,
    instructions: article.instructions ?? 0,
    screenRevision: article.screenRevision ?? null,
  };
}

export interface SourceRow {
  id: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  last_success_at: string | null;
  last_error_at: string | null;
  last_error: string | null;
  failure_streak: number;
  failing_since: string | null;
}

export function toSourceState(row: SourceRow): SourceState {
  return {
    sourceId: row.id,
    url: row.url,
    failureStreak: Number(row.failure_streak),
    ...(row.etag !== null && { etag: row.etag }),
    ...(row.last_modified !== null && { lastModified: row.last_modified }),
    ...(row.last_success_at !== null && { lastSuccessAt: row.last_success_at }),
    ...(row.last_error_at !== null && { lastErrorAt: row.last_error_at }),
    ...(row.last_error !== null && { lastError: row.last_error }),
    ...(row.failing_since !== null && { failingSince: row.failing_since }),
  };
}

export interface BriefRow {
  id: string;
  topic_id: string;
  content_key: string;
  created_at: string;
  brief_json: string;
  article_map: string;
}

export function toStoredBrief(row: BriefRow): StoredBrief {
  return {
    id: row.id,
    topicId: row.topic_id,
    contentKey: row.content_key,
    createdAt: row.created_at,
    brief: JSON.parse(row.brief_json) as Brief,
    articleMap: JSON.parse(row.article_map) as Record<string, string>,
  };
}

export interface OutboxRow {
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
  lease_owner: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
}

export function toOutboxEntry(row: OutboxRow): OutboxEntry {
  return {
    key: row.key,
    topicId: row.topic_id,
    runId: row.run_id,
    channel: row.channel,
    status: row.status,
    attempts: Number(row.attempts),
    messageIds: JSON.parse(row.message_ids) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.brief_id !== null && { briefId: row.brief_id }),
    ...(row.attempt_id !== null && { attemptId: row.attempt_id }),
    ...(row.next_attempt_at !== null && { nextAttemptAt: row.next_attempt_at }),
    ...(row.thread_id !== null && { threadId: row.thread_id }),
    ...(row.last_error !== null && { lastError: row.last_error }),
    ...(row.lease_owner !== null && { leaseOwner: row.lease_owner }),
    ...(row.lease_until !== null && { leaseUntil: row.lease_until }),
  };
}

/** Oldest first, as the outbox delivers (a batch claim returns rows in no set order). */
export function byAge(a: OutboxEntry, b: OutboxEntry): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export interface RunRow {
  topic_id: string;
  scheduled_for: string;
  started_at: string;
  finished_at: string | null;
  error: string | null;
}

export function toScheduleRun(row: RunRow): ScheduleRun {
  return {
    topicId: row.topic_id,
    scheduledFor: row.scheduled_for,
    startedAt: row.started_at,
    ...(row.finished_at !== null && { finishedAt: row.finished_at }),
    ...(row.error !== null && { error: row.error }),
  };
}

/** The outbox key of a run's delivery to one channel. */
export function outboxKey(topicId: string, runId: string, channel: string): string {
  return `${topicId}|${runId}|${channel}`;
}
