/**
 * Near-duplicate band keys (collect/dedupe.ts) in the forms stores keep them: one integer, band
 * × 2^32 + the band's 32-bit hash (what dedupe computes and SQLite stores, migration 007), and
 * the text label "b12:9f2c3a1b" (band 12, hash 0x9f2c3a1b) that Postgres stores and copies
 * between stores carry.
 */

/** Band keys of band b start at b × this. */
export const BAND_SPAN = 2 ** 32;

/**
 * The integer a band key is stored as: "b12:9f2c3a1b" → 12 × 2^32 + 0x9f2c3a1b (as migration
 * 007 converts stored ones). Any other string gets a hash above that range: it can collide,
 * which only adds a candidate that the text comparison then rejects.
 */
export function bandKey(band: string): number {
  const m = /^b(\d{1,3}):([0-9a-f]{8})$/.exec(band);
  if (m) return Number(m[1]) * BAND_SPAN + Number.parseInt(m[2]!, 16);
  let h = 0x811c9dc5;
  for (let i = 0; i < band.length; i += 1) h = Math.imul(h ^ band.charCodeAt(i), 0x01000193);
  return 2 ** 52 + (h >>> 0);
}

/** The text label of a band key: bandKey's inverse for the keys dedupe computes. */
export function bandLabel(key: number): string {
  const band = Math.floor(key / BAND_SPAN);
  return `b${band}:${(key - band * BAND_SPAN).toString(16).padStart(8, '0')}`;
}
