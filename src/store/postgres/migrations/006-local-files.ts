/** Validators of local files as last ingested, per scope (as SQLite's 006-local-files). */
export const sql = `
CREATE TABLE local_files (
  scope         text NOT NULL,
  path          text NOT NULL,
  size          bigint NOT NULL,
  mtime_ms      double precision NOT NULL,
  hash          text NOT NULL,
  checked_at_ms bigint NOT NULL,
  PRIMARY KEY (scope, path)
);
`;
