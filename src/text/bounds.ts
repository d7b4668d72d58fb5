/**
 * Bounds on article text. A news article is rarely over 60,000 characters; one far longer is
 * a scraped archive page, a data dump or an attack, and everything after collect (clustering,
 * summarizing, verifying, answering) would pay for its length on every brief of its topic.
 */

/** Characters of an article's text kept (about 30,000 words). */
export const MAX_ARTICLE_CHARS = 200_000;

/**
 * The text cut to at most `max` characters, at the last paragraph break (else line break,
 * else space) in the final tenth, so the kept text ends on a whole paragraph where it can.
 */
export function clipArticleText(text: string, max = MAX_ARTICLE_CHARS): { text: string; clipped: boolean } {
  if (text.length <= max) return { text, clipped: false };
  const floor = Math.floor(max * 0.9);
  let cut = text.lastIndexOf('\n\n', max);
  if (cut < floor) cut = text.lastIndexOf('\n', max);
  if (cut < floor) cut = text.lastIndexOf(' ', max);
  if (cut < floor) cut = max;
  if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut -= 1;
  return { text: text.slice(0, cut).trimEnd(), clipped: true };
}
