/**
 * Which outlet wrote each item of a feed. An aggregator (a news search feed, a planet, a
 * monitoring service) republishes many outlets under its own feed title, so the feed title is
 * the last resort. Evidence, best first: what the item itself names (RSS/Atom `<source>`, a
 * JSON Feed extension or site author), what the article's page says of itself (JSON-LD
 * publisher, og:site_name — read by the caller when it fetches the page), the " - Outlet"
 * suffix aggregators append to titles, and only then the feed's title.
 */
import type { FeedItem, ParsedFeed } from './types.ts';

/** " - Outlet" / " | Outlet" / " — Outlet" at the end of a title: a short, name-like tail. */
const TITLE_SUFFIX = /^(.{10,}?)\s+[-–—|]\s+([\p{Lu}\p{N}][^|–—]{0,58}[^\s.!?,;:])$/u;
/** Most words a tail may have and still be an outlet's name ("The Hällvik Courier", "Box & Bulk"). */
const MAX_SUFFIX_WORDS = 6;
/** Share of a feed's titles that must carry a suffix before suffixes count as outlets. */
const SUFFIX_SHARE = 0.5;

export interface ItemCredit {
  /** The outlet the item or its title names; undefined when neither does. */
  readonly outlet?: string;
  /** The title without a credited " - Outlet" suffix. */
  readonly title?: string;
}

function suffixOf(title: string | undefined): { head: string; tail: string } | undefined {
  if (title === undefined) return undefined;
  const m = TITLE_SUFFIX.exec(title.trim());
  if (!m) return undefined;
  const tail = m[2]!.trim();
  if (tail.split(/\s+/).length > MAX_SUFFIX_WORDS) return undefined;
  // A tail that is a number or a date ("- 2026", "- Part 2") names no outlet.
  if (!/\p{L}{2}/u.test(tail) || /^(?:part|chapter|episode|update|live)\b/i.test(tail)) return undefined;
  return { head: m[1]!.trim(), tail };
}

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The outlet each item names and its title without the outlet suffix, in item order. A title
 * suffix counts when the item's own source matches it, or when at least half of the feed's
 * titles carry one (the aggregator pattern "Headline - Outlet").
 */
export function creditItems(feed: ParsedFeed): ItemCredit[] {
  const suffixes = feed.items.map((item) => suffixOf(item.title));
  const withSuffix = suffixes.filter((s) => s !== undefined).length;
  const aggregatorTitles = feed.items.length >= 2 && withSuffix >= SUFFIX_SHARE * feed.items.length;
  return feed.items.map((item: FeedItem, i): ItemCredit => {
    const suffix = suffixes[i];
    const named = item.source?.trim() || undefined;
    if (suffix && (named !== undefined ? same(named, suffix.tail) : aggregatorTitles)) {
      return { outlet: named ?? suffix.tail, title: suffix.head };
    }
    return { ...(named !== undefined && { outlet: named }), ...(item.title !== undefined && { title: item.title }) };
  });
}

/**
 * The name to credit when neither the item nor its page names an outlet: the feed's title,
 * unless the feed is an aggregator (its other items name outlets) — then the host of the
 * item's own link says more than the aggregator's name.
 */
export function fallbackOutlet(feed: ParsedFeed, credits: readonly ItemCredit[], link: string | undefined): string | undefined {
  const aggregator = credits.some((c) => c.outlet !== undefined && (feed.title === undefined || !same(c.outlet, feed.title)));
  if (aggregator && link !== undefined) {
    try {
      const url = new URL(link);
      const feedHost = feed.link !== undefined ? new URL(feed.link).host : undefined;
      if (/^https?:$/.test(url.protocol) && url.host !== feedHost) return url.host.replace(/^www\./, '');
    } catch {
      // An unparseable link names no host; the feed title stands.
    }
  }
  return feed.title;
}
