/** Articles remember how many planted instructions extraction took out of their text. */
export const sql = `
ALTER TABLE articles ADD COLUMN instructions INTEGER NOT NULL DEFAULT 0;
`;
