/**
 * Which items of a long feed are read: the newest, by their date (published, else updated),
 * feed order among equal dates, undated ones last. The next collect reads the newest again, so
 * an archive dump is never walked.
 */

/** Items read from one feed in one collect (see ParseFeedOptions.maxItems). */
export const MAX_FEED_ITEMS = 500;

/** Positions of the `max` newest of items with these ISO dates, in feed order. */
export function newestPositions(dates: readonly (string | undefined)[], max: number): number[] {
  if (dates.length <= max) return dates.map((_, i) => i);
  return dates
    .map((date, index) => ({ index, date: date ?? '' }))
    .sort((a, b) => (a.date === b.date ? a.index - b.index : a.date < b.date ? 1 : -1))
    .slice(0, max)
    .map((e) => e.index)
    .sort((a, b) => a - b);
}
