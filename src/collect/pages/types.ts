/** What extraction produces, whatever the input (page, feed HTML, text file). */

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
