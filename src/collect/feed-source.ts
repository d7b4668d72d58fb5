/**
 * A parsed feed → articles: known items are only linked to the topics, teasers get their
 * page's full text, the rest go to the store in batches.
 */
import { oneLine } from '../core/errors.ts';
import { maskUrl } from '../core/redact.ts';
import type { ArticleDraft } from '../core/types.ts';
import { canonicalizeUrl } from './canonical-url.ts';
import { decodeBody } from './charset.ts';
import { INGEST_BATCH, storeDrafts, type SourceContext } from './context.ts';
import { MAX_FEED_ITEMS, type FeedItem, type ParsedFeed } from './feeds/index.ts';
import { creditItems, fallbackOutlet, type ItemCredit } from './feeds/outlet.ts';
import { matchingTopics } from './ingest.ts';
import type { ArticleText } from './local.ts';
import { extractFromHtml, htmlToArticleText } from './pages/index.ts';

/** Teasers: short feed texts, or ones that end in "…" / "Read more". */
function isTeaser(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length < 600 || /(\u2026|\.\.\.|\[…\]|read more|continue reading)\s*$/i.test(trimmed);
}

/** Link schemes a feed item may point at: a remote feed only to the web, a local feed file to local files too. */
function allowedLink(link: string, feedUrl: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(link)?.[1]?.toLowerCase();
  return scheme === 'http' || scheme === 'https' || (scheme === 'file' && feedUrl.startsWith('file:'));
}

/**
 * The link of a feed item, or a stable stand-in when it has none or one we refuse: a remote
 * feed's `file:`, `javascript:` or `data:` link never becomes an article's URL (it would be
 * rendered as a link, and a `file:` URL could pass for a local article's identity). The
 * stand-in is the feed's URL with its secrets masked, plus the item's key.
 */
function itemUrl(ctx: SourceContext, item: FeedItem, feedUrl: string, index: number): string {
  if (item.link && allowedLink(item.link, feedUrl)) return item.link;
  if (item.link) {
    const scheme = /^([a-z][a-z0-9+.-]{0,20}):/i.exec(item.link)?.[1]?.toLowerCase() ?? 'unknown';
    ctx.tally.warnings.push(`an item's ${scheme}: link was refused (a remote feed may link to http and https only)`);
  }
  if (item.guid && /^https?:\/\//i.test(item.guid)) return item.guid;
  const key = (item.guid ?? item.title ?? String(index)).slice(0, 200);
  // In the query, not the fragment: canonical URLs drop fragments, which made every
  // link-less item of a feed one article.
  try {
    const standIn = new URL(maskUrl(feedUrl));
    standIn.hash = '';
    standIn.searchParams.append('briefbot_item', key);
    return standIn.href;
  } catch {
    return `${maskUrl(feedUrl)}#${encodeURIComponent(key)}`;
  }
}

/** Says what of a long or oversized feed was not read (the parser reads the newest MAX_FEED_ITEMS). */
function noteUnread(ctx: SourceContext, feed: ParsedFeed): void {
  if (feed.itemCount !== undefined) {
    ctx.tally.warnings.push(
      `feed has ${feed.itemCount.toLocaleString('en-US')} items; read the newest ${feed.items.length} (at most ${MAX_FEED_ITEMS} items per feed per collect)`,
    );
  }
  if (feed.cuts !== undefined) ctx.tally.warnings.push(`feed too large to read whole: ${feed.cuts.join('; ')}`);
}

async function fullTextFromPage(ctx: SourceContext, url: string): Promise<ReturnType<typeof extractFromHtml> | undefined> {
  const http = ctx.deps.http;
  if (!http || !/^https?:/i.test(url)) return undefined;
  try {
    const response = await http.get(url, { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' });
    const html = decodeBody(response.body, response.contentType, 'html').text;
    return extractFromHtml(html, response.url);
  } catch (error) {
    ctx.tally.warnings.push(`${url}: full text not fetched (${oneLine(error)}); kept the feed's text`);
    return undefined;
  }
}

/** A feed item's draft: its text, or its page's full text when the item is a teaser. */
async function draftOf(
  ctx: SourceContext,
  feed: ParsedFeed,
  credits: readonly ItemCredit[],
  index: number,
  url: string,
  itemTexts: readonly ArticleText[] | undefined,
): Promise<ArticleDraft> {
  const item = feed.items[index]!;
  const credit = credits[index]!;
  const content = itemTexts?.[index] ?? htmlToArticleText(item.content ?? item.summary ?? '');
  let text = content.text;
  let instructions = content.instructions;
  let title = credit.title ?? '';
  let author = item.author;
  let publishedAt = item.publishedAt ?? item.updatedAt;
  let lang: string | undefined;
  let pagePublisher: string | undefined;
  if (isTeaser(text)) {
    const page = await fullTextFromPage(ctx, url);
    if (page && page.text.length > text.length) {
      text = page.text;
      title ||= page.title;
      author ??= page.author;
      publishedAt ??= page.publishedAt;
      lang = page.lang;
      instructions += page.instructions ?? 0;
      pagePublisher = page.publisher;
    }
  }
  if (title === '') title = text.slice(0, 80);
  const publisher = credit.outlet ?? pagePublisher ?? fallbackOutlet(feed, credits, url);
  return {
    url,
    title,
    text,
    sourceId: ctx.source.id,
    ...(publisher !== undefined && { publisher }),
    ...(author !== undefined && { author }),
    ...(publishedAt !== undefined && { publishedAt }),
    ...(lang !== undefined && { lang }),
    ...(item.guid !== undefined && { guid: item.guid }),
    ...(instructions > 0 && { instructions }),
  };
}

/** Stores a feed's items; `itemTexts`: their texts, when a reader thread took them already (read-files.ts). */
export async function storeFeed(ctx: SourceContext, feed: ParsedFeed, feedUrl: string, itemTexts?: readonly ArticleText[]): Promise<void> {
  if (feed.problems.length > 0)
    ctx.tally.warnings.push(`feed is not well-formed (${feed.problems[0]}); salvaged ${feed.items.length} items`);
  noteUnread(ctx, feed);
  const store = ctx.deps.store;
  const credits = creditItems(feed);
  // A chunk at a time: its items looked up at once, its pages fetched concurrently (the HTTP
  // client limits per host), its drafts stored in feed order.
  const positions = feed.items.map((_, index) => index);
  for (let start = 0; start < positions.length; start += INGEST_BATCH) {
    const chunk = positions.slice(start, start + INGEST_BATCH).map((index) => {
      const url = itemUrl(ctx, feed.items[index]!, feedUrl, index);
      return { index, url, canonical: canonicalizeUrl(url) };
    });
    const known = await store.articles.byCanonicalUrls(chunk.map((c) => c.canonical));
    const links = [];
    const unknown = [];
    for (const c of chunk) {
      const stored = known.get(c.canonical);
      if (!stored) {
        unknown.push(c);
        continue;
      }
      // Identity is the URL: a rewritten pubDate or title does not make it new.
      ctx.tally.add('known');
      links.push({ articleId: stored.id, topicIds: matchingTopics(stored, ctx.topics), sourceId: ctx.source.id });
    }
    if (links.length > 0) await store.articles.saveBatch({ inserts: [], links });
    const drafts = await Promise.all(unknown.map((c) => draftOf(ctx, feed, credits, c.index, c.url, itemTexts)));
    ctx.progress.itemsRead += chunk.length;
    await storeDrafts(ctx, drafts);
  }
}
