/**
 * Extraction: web pages, feed HTML and local text/Markdown files → an article's title, clean
 * text and metadata, with page furniture removed (DESIGN.md promise 2).
 *
 * - {@link extractFromHtml}: a web page (Readability over linkedom, plus OpenGraph/JSON-LD/meta).
 * - {@link htmlToText}: a feed item's HTML content or summary.
 * - {@link extractFromText}: a local .txt or .md article file.
 * - {@link removeFurniture}: the plain-text cleaner all of them end with.
 */

/** An article as extraction found it. */
export interface ExtractedArticle {
  title: string;
  /** Paragraphs separated by "\n\n"; no page furniture. */
  text: string;
  publisher?: string;
  author?: string;
  /** ISO-8601 UTC. */
  publishedAt?: string;
  /** BCP-47 tag ("en", "zh-CN") when the page or text says or shows it. */
  lang?: string;
  /** From <link rel=canonical> or og:url, absolute. */
  canonicalUrl?: string;
}

export { extractFromHtml, htmlToText } from './html.ts';
export { extractFromText } from './text.ts';
export { removeFurniture, isFurnitureLine } from './furniture.ts';
export { toIsoDate } from './dates.ts';
