/** Articles remember how many planted instructions extraction took out of their text (as SQLite's 003). */
export const sql = `
ALTER TABLE articles ADD COLUMN instructions integer NOT NULL DEFAULT 0;
`;
