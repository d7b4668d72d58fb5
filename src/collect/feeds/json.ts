/**
 * JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1), validated with a schema on the way in.
 * Lenient where real feeds are sloppy (extra fields, 1.0's `author`), strict on the shape that
 * makes it a JSON Feed at all: an object with a `version` URL on jsonfeed.org and an `items` array.
 */
import type * as Zod from 'zod';

import { BriefbotError } from '../../core/errors.ts';
import { lazy, lazyPackage } from '../../core/lazy-package.ts';
import type { FeedItem, ParsedFeed } from './types.ts';
import { toIsoDate } from '../../text/dates.ts';
import { resolveUrl, toPlainText } from './text.ts';

const zod = lazyPackage<typeof Zod>('zod');

function makeSchemas(z: typeof Zod.z) {
  const Author = z.object({ name: z.string().optional(), url: z.string().optional() }).loose();
  const JsonItem = z
    .object({
      id: z.union([z.string(), z.number()]).optional(),
      url: z.string().optional(),
      external_url: z.string().optional(),
      title: z.string().optional(),
      content_html: z.string().optional(),
      content_text: z.string().optional(),
      summary: z.string().optional(),
      date_published: z.string().optional(),
      date_modified: z.string().optional(),
      author: Author.optional(),
      authors: z.array(Author).optional(),
      tags: z.array(z.unknown()).optional(),
    })
    .loose();
  const JsonFeed = z
    .object({
      version: z.string().regex(/^https?:\/\/jsonfeed\.org\/version\//, 'version must be a jsonfeed.org URL'),
      title: z.string().optional(),
      home_page_url: z.string().optional(),
      feed_url: z.string().optional(),
      items: z.array(z.unknown()),
    })
    .loose();
  return { JsonItem, JsonFeed };
}

/** The schemas, made the first time a JSON feed is read (the schema library with them). */
const schemas = lazy(() => makeSchemas(zod().z));

type JsonItemData = Zod.infer<ReturnType<typeof makeSchemas>['JsonItem']>;

/** True when the parsed JSON value claims to be a JSON Feed. */
export function isJsonFeedShape(value: unknown): boolean {
  return schemas().JsonFeed.safeParse(value).success;
}

/** Parses JSON Feed text; throws `BriefbotError('PARSE')` when it is not JSON or not a JSON Feed. */
export function parseJsonFeed(text: string, options: { url?: string; now?: Date }): ParsedFeed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BriefbotError('PARSE', `not a feed: invalid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const feed = schemas().JsonFeed.safeParse(value);
  if (!feed.success) {
    const first = feed.error.issues[0];
    const where = first && first.path.length > 0 ? ` at "${first.path.join('.')}"` : '';
    throw new BriefbotError('PARSE', `not a feed: JSON that is not a JSON Feed (${first?.message ?? 'bad shape'}${where})`);
  }
  const problems: string[] = [];
  const base = resolveUrl(feed.data.feed_url, options.url) ?? options.url;
  const items: FeedItem[] = [];
  feed.data.items.forEach((raw, index) => {
    const parsed = schemas().JsonItem.safeParse(raw);
    if (!parsed.success) {
      problems.push(`item ${index} skipped: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
      return;
    }
    items.push(toItem(parsed.data, base, options.now));
  });
  const title = toPlainText(feed.data.title);
  const link = resolveUrl(feed.data.home_page_url, base);
  return { format: 'json', ...(title !== undefined && { title }), ...(link !== undefined && { link }), items, problems };
}

function toItem(item: JsonItemData, base: string | undefined, now: Date | undefined): FeedItem {
  const link = resolveUrl(item.url ?? item.external_url, base);
  const title = toPlainText(item.title);
  const guid = item.id === undefined ? undefined : String(item.id);
  const publishedAt = toIsoDate(item.date_published, now);
  const updatedAt = toIsoDate(item.date_modified, now);
  const authors = item.authors ?? (item.author ? [item.author] : []);
  const source = extensionSource(item) ?? siteAuthor(authors);
  const author =
    authors
      .filter((a) => toPlainText(a.name) !== source)
      .map((a) => a.name)
      .find((n) => n) ?? authors.map((a) => a.name).find((n) => n);
  const content = item.content_html ?? (item.content_text !== undefined ? escapeHtml(item.content_text) : undefined);
  const categories = (item.tags ?? []).filter((t): t is string => typeof t === 'string');
  return {
    ...(title !== undefined && { title }),
    ...(link !== undefined && { link }),
    ...(guid !== undefined && guid !== '' && { guid }),
    ...(publishedAt !== undefined && { publishedAt }),
    ...(updatedAt !== undefined && { updatedAt }),
    ...(author !== undefined && { author }),
    ...(source !== undefined && { source }),
    ...(item.summary !== undefined && { summary: item.summary }),
    ...(content !== undefined && { content }),
    categories,
  };
}

/**
 * Extension objects through which aggregators name an item's outlet (`_origin`, `_source`,
 * `_publisher`…: JSON Feed lets a publisher add `_`-prefixed keys). Their `title` or `name` is the outlet.
 */
const SOURCE_EXTENSION = /^_(?:origin|source|publisher|outlet|site|via)$/i;

function extensionSource(item: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(item)) {
    if (!SOURCE_EXTENSION.test(key)) continue;
    if (typeof value === 'string') return toPlainText(value);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const ext = value as Record<string, unknown>;
      const name = [ext['title'], ext['name']].find((v): v is string => typeof v === 'string');
      const text = toPlainText(name);
      if (text !== undefined) return text;
    }
  }
  return undefined;
}

/**
 * An author that is a site, not a person: its `url` is a site's home page (aggregators put the
 * outlet there). A byline's url points at a profile page, or is absent.
 */
function siteAuthor(authors: ReadonlyArray<{ name?: string | undefined; url?: string | undefined }>): string | undefined {
  for (const a of authors) {
    const name = toPlainText(a.name);
    if (name === undefined || a.url === undefined) continue;
    try {
      const home = new URL(a.url);
      if (/^https?:$/.test(home.protocol) && (home.pathname === '/' || home.pathname === '') && home.search === '') return name;
    } catch {
      continue;
    }
  }
  return undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
