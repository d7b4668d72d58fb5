/**
 * Parsing any feed — RSS 0.9x/2.0, RSS 1.0/RDF, Atom 0.3/1.0, JSON Feed 1.0/1.1 — into one
 * shape. Input is untrusted: anything that is not a feed fails with a one-line
 * `BriefbotError('PARSE')`; an ill-formed feed is salvaged with its problems listed.
 */
import { BriefbotError } from '../../core/errors.ts';
import { decodeBody } from '../charset.ts';
import { isJsonFeedShape, parseJsonFeed } from './json.ts';
import { MAX_FEED_ITEMS, newestPositions } from './newest.ts';
import type { ParsedFeed } from './types.ts';
import { parseXmlFeedText } from './xml.ts';

export type { FeedItem, ParsedFeed } from './types.ts';
export { MAX_FEED_ITEMS } from './newest.ts';

/** Options for {@link parseFeed}. */
export interface ParseFeedOptions {
  /** HTTP Content-Type, for its charset. */
  contentType?: string;
  /** The feed's own URL: the base for relative links. */
  url?: string;
  /** Reference time for rejecting future dates (defaults to the clock). */
  now?: Date;
  /**
   * Items read: the newest this many (default MAX_FEED_ITEMS); `itemCount` then says how many
   * the document holds. An XML document's other items are never parsed.
   */
  maxItems?: number;
}

/**
 * Parses a feed document.
 * @throws BriefbotError with code `PARSE` when the input is empty, an HTML page, JSON that is
 *   not a JSON Feed, binary junk, or XML with no feed in it.
 */
export function parseFeed(body: Uint8Array | string, options: ParseFeedOptions = {}): ParsedFeed {
  const decoded = typeof body === 'string' ? undefined : decodeBody(body, options.contentType, sniffKind(body));
  const text = decoded ? decoded.text : (body as string).replace(/^\uFEFF/, '');
  const head = text.trimStart();
  if (head === '') throw new BriefbotError('PARSE', 'not a feed: empty document');
  const context = { ...(options.url !== undefined && { url: options.url }), ...(options.now !== undefined && { now: options.now }) };
  const maxItems = options.maxItems ?? MAX_FEED_ITEMS;
  if (head.startsWith('{') || head.startsWith('[')) return newestOnly(parseJsonFeed(head, context), maxItems);
  if (looksLikeBinary(head)) throw new BriefbotError('PARSE', 'not a feed: binary or non-text content');
  // Junk before the root (a stray line of PHP warnings, say) is salvaged by the XML path, which reports it.
  if (!head.startsWith('<') && !/<(rss|feed|rdf:RDF)\b/.test(head.slice(0, 1024))) {
    throw new BriefbotError('PARSE', 'not a feed: the document is neither XML nor JSON');
  }
  if (isHtmlPage(head)) throw new BriefbotError('PARSE', 'expected a feed but got an HTML page');
  const feed = parseXmlFeed(head, { ...context, maxItems });
  if (decoded?.guessed) feed.problems.push(`character set undeclared or wrong; decoded as ${decoded.charset}`);
  if (decoded?.unknownCharset !== undefined) feed.problems.push(`unknown character set "${decoded.unknownCharset}" ignored`);
  const mediaType = options.contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType && !/xml|rss|atom|rdf|octet-stream/.test(mediaType)) feed.problems.push(`served as ${mediaType}, not as a feed`);
  if (decoded?.invalidBytes) feed.problems.push(`${decoded.invalidBytes} byte(s) invalid in ${decoded.charset} replaced`);
  return feed;
}

/** A parsed feed's newest `max` items (the XML path chooses them before parsing). */
function newestOnly(feed: ParsedFeed, max: number): ParsedFeed {
  if (feed.items.length <= max) return feed;
  const keep = newestPositions(
    feed.items.map((item) => item.publishedAt ?? item.updatedAt),
    max,
  );
  return { ...feed, items: keep.map((i) => feed.items[i]!), itemCount: feed.items.length };
}

function parseXmlFeed(text: string, context: { url?: string; now?: Date; maxItems: number }): ParsedFeed {
  try {
    return parseXmlFeedText(text, context);
  } catch (error) {
    if (error instanceof BriefbotError) throw error;
    // The library must never take the process down on hostile input.
    throw new BriefbotError('PARSE', `unreadable feed: ${(error as Error).message ?? String(error)}`.replace(/\s+/g, ' '), {
      cause: error,
    });
  }
}

/**
 * Cheap sniff: does this body look like a feed rather than an HTML page or other document?
 * Reads the Content-Type and the first 2 KB only.
 */
export function looksLikeFeed(body: Uint8Array, contentType?: string): boolean {
  const type = (contentType ?? '').toLowerCase();
  if (/\b(rss|atom|rdf)\+xml\b|feed\+json/.test(type)) return true;
  if (plainlyNotMarkup(body)) return false;
  const head = decodeBody(body.subarray(0, 2048), contentType, sniffKind(body)).text.trimStart();
  if (head.startsWith('{')) return /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//.test(head) || jsonFeedWhole(body);
  if (!head.startsWith('<')) return false;
  const root = rootElementName(head);
  return root !== undefined && /^(rss|feed|rdf:rdf|rdf|channel)$/i.test(root);
}

/**
 * True when the bytes open, after ASCII white space, with a printable ASCII character other than
 * "<" or "{" (so no byte-order mark, zero byte or escape sequence first): every encoding the
 * decoder may choose then reads that character first, so the text is not a feed. Text files are told apart this
 * way without decoding their head (most of sniffing a plain text file).
 */
function plainlyNotMarkup(body: Uint8Array): boolean {
  for (let i = 0; i < body.length; i += 1) {
    const byte = body[i]!;
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0b || byte === 0x0c) continue;
    return byte > 0x20 && byte < 0x7f && byte !== 0x3c && byte !== 0x7b;
  }
  return false;
}

function jsonFeedWhole(body: Uint8Array): boolean {
  try {
    return isJsonFeedShape(JSON.parse(new TextDecoder().decode(body)));
  } catch {
    return false;
  }
}

/** The decoder rules differ for XML (encoding declaration) and JSON (always Unicode). */
function sniffKind(body: Uint8Array): 'xml' | 'json' {
  for (let i = 0; i < Math.min(body.length, 64); i++) {
    const byte = body[i]!;
    if (byte === 0x7b || byte === 0x5b) return 'json';
    if (byte === 0x3c) return 'xml';
  }
  return 'xml';
}

/** Name of the first element, skipping the XML declaration, comments, PIs and DOCTYPE. */
function rootElementName(head: string): string | undefined {
  const stripped = head.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/gi, '');
  return /<([A-Za-z_][\w:.-]*)/.exec(stripped)?.[1];
}

function isHtmlPage(head: string): boolean {
  const root = rootElementName(head.slice(0, 8192));
  if (root === undefined) return /^<!doctype html/i.test(head);
  return /^(html|head|body)$/i.test(root);
}

/** Control characters other than whitespace are never in a text feed's first kilobyte. */
function looksLikeBinary(head: string): boolean {
  const sample = head.slice(0, 1024);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) control++;
  }
  return control > sample.length / 20;
}
