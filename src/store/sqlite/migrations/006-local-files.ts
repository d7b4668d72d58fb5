/**
 * Validators of local files as last ingested (size, mtime, content hash), per scope: the
 * topics and include/exclude rules they were read for. An unchanged file is then skipped
 * without being read again, as a feed answers 304 to a conditional GET.
 */
export const sql = `
CREATE TABLE local_files (
  scope         TEXT NOT NULL,
  path          TEXT NOT NULL,
  size          INTEGER NOT NULL,
  mtime_ms      REAL NOT NULL,
  hash          TEXT NOT NULL,
  checked_at_ms INTEGER NOT NULL,
  PRIMARY KEY (scope, path)
) WITHOUT ROWID;
`;
