/**
 * Articles remember which screen for planted instructions their text went through at collect,
 * so that a brief need not screen it again (text/instructions.ts SCREEN_REVISION).
 */
export const sql = `
ALTER TABLE articles ADD COLUMN screen_revision TEXT;
`;
