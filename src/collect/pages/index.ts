/**
 * Extraction: web pages, feed HTML and local text/Markdown files → an article's title, clean
 * text and metadata, with page furniture removed (docs/contracts.md, promise 2).
 *
 * - {@link extractFromHtml}: a web page (Readability over linkedom, plus OpenGraph/JSON-LD/meta).
 * - {@link htmlToText}: a feed item's HTML content or summary.
 * - {@link extractFromText}: a local .txt or .md article file.
 * - {@link removeFurniture}: the plain-text cleaner all of them end with.
 */

export type { ExtractedArticle } from './types.ts';
export { extractFromHtml, htmlToArticleText, htmlToText } from './html.ts';
export { extractFromText } from './text.ts';
export { removeFurniture, isFurnitureLine } from './furniture.ts';
