/**
 * Leases, so several processes can share one database without doubling work: who holds an
 * outbox delivery and until when, which process builds a scheduled run's brief, and named
 * leases (a source being collected, the Discord gateway).
 */
export const sql = `
ALTER TABLE chat_outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE chat_outbox ADD COLUMN lease_until TEXT;

ALTER TABLE chat_schedule_runs ADD COLUMN lease_owner TEXT;
ALTER TABLE chat_schedule_runs ADD COLUMN lease_until TEXT;

CREATE TABLE leases (
  name        TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  until       TEXT NOT NULL,
  acquired_at TEXT NOT NULL
) WITHOUT ROWID;
`;
