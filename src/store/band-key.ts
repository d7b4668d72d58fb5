/**
 * Near-duplicate band keys (collect/dedupe.ts) in the forms stores keep them: the text label
 * "b12:9f2c3a1b" (band 12, a 32-bit hash), and one integer (SQLite, migration 007).
 */

/**
 * The integer a band key is stored as: "b12:9f2c3a1b" → 12 × 2^32 + 0x9f2c3a1b (as migration
 * 007 converts stored ones). Any other string gets a hash above that range: it can collide,
 * which only adds a candidate that the text comparison then rejects.
 */
export function bandKey(band: string): number {
  const m = /^b(\d{1,3}):([0-9a-f]{8})$/.exec(band);
  if (m) return Number(m[1]) * 2 ** 32 + Number.parseInt(m[2]!, 16);
  let h = 0x811c9dc5;
  for (let i = 0; i < band.length; i += 1) h = Math.imul(h ^ band.charCodeAt(i), 0x01000193);
  return 2 ** 52 + (h >>> 0);
}
