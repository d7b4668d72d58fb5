/**
 * SQLite's 007 stores near-duplicate band keys as integers against an article sequence number,
 * a third of the size of its text keys, so that inserting 32 keys per article stays cheap
 * there. PostgreSQL keeps the text keys: its batched inserts (one statement per batch) and its
 * index handle them, and `migrate --from` converts between the two. This entry keeps the two
 * backends' schema versions in step.
 */
export const sql = `SELECT 1;`;
