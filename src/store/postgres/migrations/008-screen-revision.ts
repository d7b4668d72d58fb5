/** Articles remember which screen for planted instructions their text went through (as SQLite's 008). */
export const sql = `
ALTER TABLE articles ADD COLUMN screen_revision text;
`;
