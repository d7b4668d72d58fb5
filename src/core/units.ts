/** Sizes as operators read them in messages and notes. */

/** "20 MB", "9.6 MB" (decimal megabytes, one decimal at most). */
export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1_000_000) * 10) / 10} MB`;
}
