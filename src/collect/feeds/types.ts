/** The one shape every feed format is parsed into. */

/** One entry of a feed, normalised. */
export interface FeedItem {
  /** Plain text: entities decoded, tags stripped. */
  title?: string;
  /** Absolute URL (resolved against xml:base and the feed URL). */
  link?: string;
  guid?: string;
  /** ISO 8601 UTC; absent when the feed gave none or an impossible one. */
  publishedAt?: string;
  updatedAt?: string;
  author?: string;
  /**
   * The outlet the item itself names as its origin: RSS `<source>`, Atom `<source><title>`, a
   * JSON Feed `_source`-style extension or an author that is a site. An aggregator's items
   * carry it; an outlet's own feed usually does not.
   */
  source?: string;
  /** HTML or text as the feed gives it (RSS description, Atom summary). */
  summary?: string;
  /** Full HTML content when the feed carries it (content:encoded, Atom content). */
  content?: string;
  categories: string[];
}

/** A parsed feed. */
export interface ParsedFeed {
  format: 'rss' | 'rdf' | 'atom' | 'json';
  title?: string;
  link?: string;
  items: FeedItem[];
  /** Non-empty when the document was ill-formed but something was salvaged (feedparser's "bozo"). */
  problems: string[];
  /** Items the document holds, when more than were read: only the newest `maxItems` are in `items`. */
  itemCount?: number;
  /** What of an oversized document was not read (xml-bounds.ts), one line per kind; absent when nothing. */
  cuts?: string[];
}
