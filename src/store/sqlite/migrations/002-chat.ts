/** Chat: follows, the delivery outbox, schedule runs, posted-brief threads, seen events. */
export const sql = `
CREATE TABLE chat_follows (
  channel    TEXT NOT NULL,
  topic_id   TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (topic_id, channel)
) WITHOUT ROWID;

CREATE TABLE chat_outbox (
  key             TEXT PRIMARY KEY,
  topic_id        TEXT NOT NULL,
  run_id          TEXT NOT NULL,
  channel         TEXT NOT NULL,
  brief_id        TEXT,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  attempt_id      TEXT,
  next_attempt_at TEXT,
  thread_id       TEXT,
  message_ids     TEXT NOT NULL DEFAULT '[]',
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX chat_outbox_status ON chat_outbox(status, next_attempt_at);
CREATE INDEX chat_outbox_run ON chat_outbox(topic_id, run_id);

CREATE TABLE chat_schedule_runs (
  topic_id      TEXT NOT NULL,
  scheduled_for TEXT NOT NULL,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  error         TEXT,
  PRIMARY KEY (topic_id, scheduled_for)
) WITHOUT ROWID;

CREATE TABLE chat_threads (
  channel    TEXT NOT NULL,
  thread_id  TEXT NOT NULL,
  brief_id   TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (channel, thread_id)
) WITHOUT ROWID;

CREATE TABLE chat_events (
  event_id   TEXT PRIMARY KEY,
  created_at TEXT NOT NULL
) WITHOUT ROWID;
`;
