/**
 * The tables every backend has, in an order that satisfies their references, with the
 * columns `briefbot migrate --from` copies and the key that makes a copy re-runnable.
 * Leases and schema versions are not history: they are not copied.
 */
export interface TableSpec {
  readonly name: string;
  readonly columns: readonly string[];
  /** Primary-key columns (a row already present is kept). */
  readonly key: readonly string[];
  /** Columns holding times (timestamptz on PostgreSQL, ISO text on SQLite). */
  readonly times: readonly string[];
  /** Read order: originals before the copies that reference them. */
  readonly orderBy: string;
}

export const TABLES: readonly TableSpec[] = [
  {
    name: 'sources',
    columns: ['id', 'url', 'etag', 'last_modified', 'last_success_at', 'last_error_at', 'last_error', 'failure_streak', 'failing_since'],
    key: ['id'],
    times: ['last_success_at', 'last_error_at', 'failing_since'],
    orderBy: 'id',
  },
  {
    name: 'articles',
    columns: [
      'id',
      'canonical_url',
      'url',
      'title',
      'text',
      'publisher',
      'author',
      'published_at',
      'first_seen_at',
      'effective_at',
      'lang',
      'guid',
      'source_id',
      'content_hash',
      'duplicate_of',
      'instructions',
      'screen_revision',
    ],
    key: ['id'],
    times: ['published_at', 'first_seen_at', 'effective_at'],
    // A copy points at an original (never at another copy): originals first.
    orderBy: '(duplicate_of IS NOT NULL), first_seen_at, id',
  },
  {
    name: 'article_topics',
    columns: ['article_id', 'topic_id'],
    key: ['topic_id', 'article_id'],
    times: [],
    orderBy: 'topic_id, article_id',
  },
  { name: 'article_bands', columns: ['band', 'article_id'], key: ['band', 'article_id'], times: [], orderBy: 'band, article_id' },
  {
    name: 'article_sources',
    columns: ['source_id', 'article_id'],
    key: ['source_id', 'article_id'],
    times: [],
    orderBy: 'source_id, article_id',
  },
  {
    name: 'briefs',
    columns: ['id', 'topic_id', 'content_key', 'created_at', 'brief_json', 'article_map'],
    key: ['id'],
    times: ['created_at'],
    orderBy: 'created_at, id',
  },
  {
    name: 'cache',
    columns: ['namespace', 'key', 'value', 'expires_at'],
    key: ['namespace', 'key'],
    times: ['expires_at'],
    orderBy: 'namespace, key',
  },
  {
    name: 'chat_follows',
    columns: ['channel', 'topic_id', 'created_at'],
    key: ['topic_id', 'channel'],
    times: ['created_at'],
    orderBy: 'topic_id, channel',
  },
  {
    name: 'chat_outbox',
    columns: [
      'key',
      'topic_id',
      'run_id',
      'channel',
      'brief_id',
      'status',
      'attempts',
      'attempt_id',
      'next_attempt_at',
      'thread_id',
      'message_ids',
      'last_error',
      'lease_owner',
      'lease_until',
      'created_at',
      'updated_at',
    ],
    key: ['key'],
    times: ['next_attempt_at', 'lease_until', 'created_at', 'updated_at'],
    orderBy: 'created_at, key',
  },
  {
    name: 'chat_schedule_runs',
    columns: ['topic_id', 'scheduled_for', 'started_at', 'finished_at', 'error', 'lease_owner', 'lease_until'],
    key: ['topic_id', 'scheduled_for'],
    // scheduled_for is the run's id (joined with chat_outbox.run_id): text on both backends.
    times: ['started_at', 'finished_at', 'lease_until'],
    orderBy: 'topic_id, scheduled_for',
  },
  {
    name: 'chat_threads',
    columns: ['channel', 'thread_id', 'brief_id', 'created_at'],
    key: ['channel', 'thread_id'],
    times: ['created_at'],
    orderBy: 'channel, thread_id',
  },
  { name: 'chat_events', columns: ['event_id', 'created_at'], key: ['event_id'], times: ['created_at'], orderBy: 'event_id' },
];

export function tableSpec(name: string): TableSpec {
  const spec = TABLES.find((t) => t.name === name);
  if (!spec) throw new Error(`unknown table ${name}`);
  return spec;
}
