/**
 * RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 through `@rowanmanning/feed-parser`, with
 * repairs for ill-formed documents (see feed-xml-repair.ts), our own date handling, plain-text
 * titles and links resolved against xml:base and the feed's URL.
 */
import type * as FeedParser from '@rowanmanning/feed-parser';

import { BriefbotError } from '../../core/errors.ts';
import { lazyPackage } from '../../core/lazy-package.ts';
import type { FeedItem, ParsedFeed } from './types.ts';
import { toIsoDate } from '../../text/dates.ts';
import { boundXml } from './xml-bounds.ts';
import { closeOpenElements, prepareXml } from './xml-repair.ts';
import { resolveUrl, toPlainText } from './text.ts';

const feedParser = lazyPackage<typeof FeedParser>('@rowanmanning/feed-parser');

type LibFeed = ReturnType<typeof FeedParser.parseFeed>;
type LibItem = LibFeed['items'][number];
type LibElement = LibItem['element'];

/**
 * Parses feed XML text; throws `BriefbotError('PARSE')` when no feed can be found in it. Only
 * the newest `maxItems` items are read, and the parser is given a bounded document
 * (xml-bounds.ts).
 */
export function parseXmlFeedText(text: string, options: { url?: string; now?: Date; maxItems: number }): ParsedFeed {
  const bounded = boundXml(text, { maxItems: options.maxItems, ...(options.now !== undefined && { now: options.now }) });
  const { xml, problems } = prepareXml(bounded.xml);
  const feed = parseLeniently(xml, problems);
  const root = feed.meta.type.toLowerCase();
  const format: ParsedFeed['format'] = root === 'atom' || root === 'feed' ? 'atom' : root === 'rdf' ? 'rdf' : 'rss';
  const base = options.url;
  const items: FeedItem[] = [];
  for (const item of safeItems(feed, problems)) {
    try {
      items.push(toItem(item, format, base, options.now));
    } catch (error) {
      problems.push(`item skipped: ${(error as Error).message}`);
    }
  }
  const title = safe(() => titleOf(feed.element) ?? toPlainText(feed.title));
  const link = safe(() => resolveUrl(feed.url, base));
  return {
    format,
    ...(title !== undefined && { title }),
    ...(link !== undefined && { link }),
    items,
    problems,
    ...(bounded.itemCount > options.maxItems && { itemCount: bounded.itemCount }),
    ...(bounded.cuts.length > 0 && { cuts: bounded.cuts }),
  };
}

function parseLeniently(xml: string, problems: string[]): LibFeed {
  try {
    return feedParser().parseFeed(xml);
  } catch (first) {
    if (isNoFeedError(first) && /channel element/.test((first as Error).message)) {
      // RSS 0.9x in the wild sometimes puts items straight under <rss>: give them a channel.
      const wrapped = wrapInChannel(xml);
      if (wrapped !== xml) return parseLeniently(wrapped, problems);
    }
    if (isNoFeedError(first)) throw notAFeed(xml);
    // The XML parser gave up (truncation, stray tags): close what is open and try again.
    try {
      const feed = feedParser().parseFeed(closeOpenElements(xml));
      if (problems.length === 0) problems.push(`not well-formed XML: ${(first as Error).message}`);
      return feed;
    } catch (second) {
      if (isNoFeedError(second)) throw notAFeed(xml);
      throw new BriefbotError('PARSE', `unreadable feed XML: ${oneLineMessage(first)}`, { cause: first });
    }
  }
}

function wrapInChannel(xml: string): string {
  const rdf = /<(?:[\w.-]+:)?rdf\b[^>]*>/i.exec(xml);
  // RDF items are the channel's siblings, so an empty channel is enough.
  if (rdf) return `${xml.slice(0, rdf.index + rdf[0].length)}<channel></channel>${xml.slice(rdf.index + rdf[0].length)}`;
  const open = /<rss\b[^>]*>/i.exec(xml);
  if (!open || /<channel\b/i.test(xml)) return xml;
  const at = open.index + open[0].length;
  const close = xml.search(/<\/rss\s*>/i);
  const end = close > at ? close : xml.length;
  return `${xml.slice(0, at)}<channel>${xml.slice(at, end)}</channel>${xml.slice(end)}`;
}

function isNoFeedError(error: unknown): boolean {
  return error instanceof Error && (error as Error & { code?: unknown }).code === 'INVALID_FEED';
}

function notAFeed(xml: string): BriefbotError {
  const root = /<([A-Za-z_][\w:.-]*)/.exec(xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ''))?.[1];
  if (root && root.toLowerCase() === 'html') return new BriefbotError('PARSE', 'expected a feed but got an HTML page');
  return new BriefbotError('PARSE', `not a feed: XML document with root element <${root ?? '?'}>`);
}

function oneLineMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function safeItems(feed: LibFeed, problems: string[]): LibItem[] {
  try {
    return feed.items;
  } catch (error) {
    problems.push(`items unreadable: ${oneLineMessage(error)}`);
    return [];
  }
}

/** Raw text of the first child element with one of `names` (namespace prefixes ignored). */
function rawText(element: LibElement, names: readonly string[]): string | undefined {
  for (const name of names) {
    const found = element.findElementWithName(name);
    const text = found?.textContent.trim();
    if (text) return text;
  }
  return undefined;
}

/**
 * An element's title as plain text, honouring Atom's `type` (text, html, xhtml) and Atom 0.3's
 * `mode` (escaped, base64); prefers an un-prefixed `<title>` over `media:title` / `dc:title`.
 */
function titleOf(parent: LibElement): string | undefined {
  const candidates = parent.findElementsWithName('title');
  const element = candidates.find((el) => typeof el.namespace !== 'string' || el.namespace === 'atom') ?? candidates[0];
  if (!element) return undefined;
  const type = (element.getAttribute('type') ?? '').toLowerCase();
  const mode = (element.getAttribute('mode') ?? '').toLowerCase();
  // Atom 1.0: a MIME type other than text/* or *xml carries base64 (RFC 4287 §4.1.3.3).
  const base64Type = type.includes('/') && !type.startsWith('text/') && !type.includes('xml');
  if (mode === 'base64' || base64Type) {
    return toPlainText(Buffer.from(element.textContent.replace(/\s+/g, ''), 'base64').toString('utf8'));
  }
  const hasChildElements = element.children.some((child) => typeof child !== 'string');
  if (type === 'xhtml' || hasChildElements) return collapse(visibleText(element));
  // Declared plain text: `<` here is a literal character, not a tag to strip.
  if (type === 'text' || type === 'text/plain') return collapse(element.textContent);
  return toPlainText(element.textContent);
}

/** Text of inline markup, without script/style bodies; escaped `<` in it stays literal. */
function visibleText(element: LibElement): string {
  return element.children
    .map((child) => {
      if (typeof child === 'string') return child;
      const name = child.name.toLowerCase().replace(/^.*:/, '');
      return name === 'script' || name === 'style' ? '' : visibleText(child);
    })
    .join('');
}

function collapse(text: string): string | undefined {
  const clean = text.replace(/[ \t\r\n\f\v]+/g, ' ').trim();
  return clean === '' ? undefined : clean;
}

/** An RSS `<guid>` that is a permalink (the default) stands in for a missing `<link>`. */
function permalinkGuid(element: LibElement): string | undefined {
  const guid = element.findElementWithName('guid');
  if (!guid || guid.getAttribute('ispermalink')?.trim().toLowerCase() === 'false') return undefined;
  const text = guid.textContent.trim();
  return /^https?:\/\//i.test(text) ? text : undefined;
}

/**
 * The item's link. Read from the item element alone: the library's own getter consults the
 * whole feed for every item, which made large feeds quadratic.
 */
function itemLink(element: LibElement, format: ParsedFeed['format']): string | undefined {
  const links = element.findElementsWithName('link');
  if (format === 'atom') {
    const alternate =
      links.find((l) => (l.getAttribute('rel') ?? 'alternate').trim().toLowerCase() === 'alternate' && l.getAttribute('href')) ??
      links.find((l) => l.getAttribute('href') && !/^(self|enclosure|edit|replies)$/i.test(l.getAttribute('rel') ?? ''));
    return alternate?.getAttributeAsUrl('href') ?? undefined;
  }
  const text = links.map((l) => l.textContent.trim()).find((t) => t !== '');
  return text ?? links.find((l) => l.getAttribute('href'))?.getAttributeAsUrl('href') ?? undefined;
}

/** First author's name: Atom `<author><name>`, RSS `<author>` ("mail (Name)") or `dc:creator`. */
function itemAuthor(element: LibElement): string | undefined {
  const author = element.findElementWithName('author');
  if (author) {
    const hasChildren = author.children.some((child) => typeof child !== 'string');
    const raw = hasChildren ? (rawText(author, ['name']) ?? rawText(author, ['email'])) : author.textContent.trim();
    const named = raw && /@/.test(raw) ? (/\(([^)]+)\)/.exec(raw)?.[1] ?? raw) : raw;
    const text = toPlainText(named);
    if (text) return text;
  }
  return toPlainText(rawText(element, ['creator']));
}

/**
 * The outlet an item names as its origin: RSS 2.0 `<source url="…">Outlet</source>`, Atom
 * `<source>` with its own `<title>`. An Atom `<source>` without a title names nothing.
 */
function itemSource(element: LibElement, format: ParsedFeed['format']): string | undefined {
  const source = element.findElementWithName('source');
  if (!source) return undefined;
  if (format === 'atom') return titleOf(source);
  const hasChildren = source.children.some((child) => typeof child !== 'string');
  return hasChildren ? titleOf(source) : toPlainText(source.textContent);
}

/**
 * HTML (or text) of a summary/content element, XML-decoded exactly once. The library decodes
 * entities a second time, which turns escaped `&lt;` in HTML into markup; we only defer to it
 * for inline XHTML, which it serialises.
 */
function markupOf(parent: LibElement, names: readonly string[], library: () => string | null): string | undefined {
  const element = names.map((name) => parent.findElementWithName(name)).find((el) => el !== null);
  if (!element) return undefined;
  const type = (element.getAttribute('type') ?? '').toLowerCase();
  const mode = (element.getAttribute('mode') ?? '').toLowerCase();
  const base64Type = type.includes('/') && !type.startsWith('text/') && !type.includes('xml');
  if (mode === 'base64' || base64Type) {
    return Buffer.from(element.textContent.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  const hasChildElements = element.children.some((child) => typeof child !== 'string');
  if (type === 'xhtml' || hasChildElements) return safe(library) ?? undefined;
  const text = element.textContent.trim();
  return text === '' ? undefined : text;
}

/** Atom `<category term label>`, RSS `<category>` and `dc:subject`, deduplicated. */
function itemCategories(element: LibElement): string[] {
  const names = [...element.findElementsWithName('category'), ...element.findElementsWithName('subject')].map((c) =>
    toPlainText(c.getAttribute('label') ?? c.getAttribute('term') ?? c.textContent),
  );
  return [...new Set(names.filter((c): c is string => c !== undefined))];
}

function toItem(item: LibItem, format: ParsedFeed['format'], base: string | undefined, now: Date | undefined): FeedItem {
  const element = item.element;
  const title = titleOf(element) ?? toPlainText(item.title);
  const link = resolveUrl(itemLink(element, format) ?? permalinkGuid(element), element.baseUrl ?? base) ?? undefined;
  const absoluteLink = link !== undefined && base !== undefined ? resolveUrl(link, base) : link;
  const guid = rawText(element, format === 'atom' ? ['id'] : ['guid']);
  const publishedAt = toIsoDate(rawText(element, ['pubdate', 'published', 'issued', 'date', 'created']), now);
  const updatedAt = toIsoDate(rawText(element, ['updated', 'modified']), now);
  const author = itemAuthor(element);
  const source = itemSource(element, format);
  const summary = markupOf(element, format === 'atom' ? ['summary'] : ['description', 'summary'], () => item.description);
  const content = markupOf(element, format === 'atom' ? ['content'] : ['encoded'], () => item.content);
  const categories = itemCategories(element);
  return {
    ...(title !== undefined && { title }),
    ...(absoluteLink !== undefined && { link: absoluteLink }),
    ...(guid !== undefined && { guid }),
    ...(publishedAt !== undefined && { publishedAt }),
    ...(updatedAt !== undefined && { updatedAt }),
    ...(author !== undefined && { author }),
    ...(source !== undefined && { source }),
    ...(summary !== undefined && summary !== '' && { summary }),
    ...(content !== undefined && content !== '' && content !== summary && { content }),
    categories,
  };
}
