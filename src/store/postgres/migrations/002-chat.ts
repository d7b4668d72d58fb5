/** Chat: follows, the delivery outbox, schedule runs, posted-brief threads, seen events (as SQLite's 002-chat). */
export const sql = `
CREATE TABLE chat_follows (
  channel    text NOT NULL,
  topic_id   text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (topic_id, channel)
);

CREATE TABLE chat_outbox (
  key             text PRIMARY KEY,
  topic_id        text NOT NULL,
  run_id          text NOT NULL,
  channel         text NOT NULL,
  brief_id        text,
  status          text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  attempt_id      text,
  next_attempt_at timestamptz,
  thread_id       text,
  message_ids     text NOT NULL DEFAULT '[]',
  last_error      text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX chat_outbox_status ON chat_outbox(status, next_attempt_at);
CREATE INDEX chat_outbox_run ON chat_outbox(topic_id, run_id);

CREATE TABLE chat_schedule_runs (
  topic_id      text NOT NULL,
  -- the run's id (the scheduled time, ISO), joined with chat_outbox.run_id
  scheduled_for text NOT NULL,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  error         text,
  PRIMARY KEY (topic_id, scheduled_for)
);

CREATE TABLE chat_threads (
  channel    text NOT NULL,
  thread_id  text NOT NULL,
  brief_id   text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (channel, thread_id)
);

CREATE TABLE chat_events (
  event_id   text PRIMARY KEY,
  created_at timestamptz NOT NULL
);
`;
