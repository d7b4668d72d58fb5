/** Leases for replicas sharing the database (as SQLite's 004-leases). */
export const sql = `
ALTER TABLE chat_outbox ADD COLUMN lease_owner text;
ALTER TABLE chat_outbox ADD COLUMN lease_until timestamptz;
CREATE INDEX chat_outbox_sending ON chat_outbox(lease_until) WHERE status = 'sending';

ALTER TABLE chat_schedule_runs ADD COLUMN lease_owner text;
ALTER TABLE chat_schedule_runs ADD COLUMN lease_until timestamptz;

CREATE TABLE leases (
  name        text PRIMARY KEY,
  owner       text NOT NULL,
  until       timestamptz NOT NULL,
  acquired_at timestamptz NOT NULL
);
`;
