/** What extraction produces, whatever the input (page, feed HTML, text file). */
import type { ArticleContent } from '../../core/types.ts';

/** An article as extraction found it: its content, and its own address when the page or file says it. */
export type ExtractedArticle = ArticleContent & {
  /** From <link rel=canonical> or og:url, absolute. */
  readonly canonicalUrl?: string;
};
