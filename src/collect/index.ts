/**
 * Collect: every source of the given topics → articles in the store. Each source is read
 * once even when several topics share it, fails alone with a one-line reason, and records
 * its health. Re-running is idempotent: known URLs are neither fetched nor stored again.
 * A source is collected by one process at a time (a lease per source in the store), so
 * replicas sharing a database never fetch and ingest it twice at once: a second one waits,
 * then finds the articles stored (a conditional GET, known URLs).
 */
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { BriefbotError, FetchError, oneLine } from '../core/errors.ts';
import { maskUrl, maskUrlsIn } from '../core/redact.ts';
import type { Logger } from '../core/log.ts';
import type { ArticleDraft, SourceSpec, Topic } from '../core/types.ts';
import { screenInstructions } from '../text/instructions.ts';
import { clipArticleText, MAX_ARTICLE_CHARS } from '../text/bounds.ts';
import { extractFromHtml, htmlToArticleText } from './pages/index.ts';
import { canonicalizeUrl } from './canonical-url.ts';
import type { Store } from '../store/port.ts';
import { withLease } from '../store/lease.ts';
import { decodeBody } from './charset.ts';
import { looksLikeFeed, MAX_FEED_ITEMS, parseFeed, type FeedItem, type ParsedFeed } from './feeds/index.ts';
import { creditItems, fallbackOutlet } from './feeds/outlet.ts';
import type { HttpClient } from './http/client.ts';
import { ingestDraft, matchingTopics, type IngestOutcome } from './ingest.ts';
import { readLocalSource, type LocalArticle } from './local.ts';

export interface CollectDeps {
  readonly store: Store;
  /** Absent when offline: remote sources are then skipped. */
  readonly http?: HttpClient;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Sources read at once. */
  readonly concurrency?: number;
  readonly onProgress?: (progress: { done: number; total: number; source: SourceSpec }) => void;
  /** Owner of the per-source collect leases (default: a fresh id per call). */
  readonly owner?: string;
  /** Collect lease length (default 30 s, renewed while collecting); another holder is waited for up to twice that. */
  readonly leaseMs?: number;
}

export type SourceStatus = 'ok' | 'unchanged' | 'failed' | 'skipped';

export interface SourceReport {
  readonly source: SourceSpec;
  readonly topicIds: readonly string[];
  readonly status: SourceStatus;
  readonly new: number;
  readonly duplicate: number;
  readonly known: number;
  /** Articles that matched none of the topics' include/exclude rules. */
  readonly filtered: number;
  /** One-line reason when the source failed or was skipped. */
  readonly error?: string;
  /** Per-item problems (an unreadable file, a teaser page that failed) that did not fail the source. */
  readonly warnings: readonly string[];
}

export interface CollectReport {
  readonly sources: readonly SourceReport[];
  readonly failed: number;
}

/** Teasers: short feed texts, or ones that end in "…" / "Read more". */
function isTeaser(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length < 600 || /(\u2026|\.\.\.|\[…\]|read more|continue reading)\s*$/i.test(trimmed);
}

class Tally {
  new = 0;
  duplicate = 0;
  known = 0;
  filtered = 0;
  readonly warnings: string[] = [];
  add(outcome: IngestOutcome): void {
    this[outcome] += 1;
  }
}

interface SourceContext {
  readonly source: SourceSpec;
  readonly topics: readonly Topic[];
  readonly deps: CollectDeps;
  readonly now: Date;
  readonly tally: Tally;
}

/**
 * Planted instructions out of a draft's text, whatever source it came from, before topic
 * matching (an injected "note to AI…" must not make an article match an AI topic) and storage.
 */
function screened(draft: ArticleDraft): ArticleDraft {
  const { text, removed } = screenInstructions(draft.text);
  if (removed === 0) return draft;
  return { ...draft, text, instructions: (draft.instructions ?? 0) + removed };
}

async function store(ctx: SourceContext, whole: ArticleDraft): Promise<void> {
  // Capped first, so that everything after (screening included) works on bounded text.
  const { text, clipped } = clipArticleText(whole.text);
  if (clipped) {
    ctx.tally.warnings.push(`${whole.url}: text of ${whole.text.length.toLocaleString('en-US')} characters cut to the ${MAX_ARTICLE_CHARS.toLocaleString('en-US')}-character cap`);
  }
  const draft = screened(clipped ? { ...whole, text } : whole);
  if (draft.title.trim() === '' && draft.text.trim() === '') {
    ctx.tally.warnings.push(`${draft.url}: empty article skipped`);
    return;
  }
  const topicIds = matchingTopics(draft, ctx.topics);
  if (topicIds.length === 0) ctx.tally.filtered += 1;
  const { outcome } = await ingestDraft(draft, topicIds, ctx.deps.store, ctx.now);
  ctx.tally.add(outcome);
}

function draftFromLocal(article: LocalArticle, sourceId: string): ArticleDraft {
  return { ...article, sourceId };
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

/** Says what of a long or oversized feed was not read (the parser reads the newest MAX_FEED_ITEMS). */
function noteUnread(ctx: SourceContext, feed: ParsedFeed): void {
  if (feed.itemCount !== undefined) {
    ctx.tally.warnings.push(
      `feed has ${feed.itemCount.toLocaleString('en-US')} items; read the newest ${feed.items.length} (at most ${MAX_FEED_ITEMS} items per feed per collect)`,
    );
  }
  if (feed.cuts !== undefined) ctx.tally.warnings.push(`feed too large to read whole: ${feed.cuts.join('; ')}`);
}

async function storeFeed(ctx: SourceContext, feed: ParsedFeed, feedUrl: string): Promise<void> {
  if (feed.problems.length > 0) ctx.tally.warnings.push(`feed is not well-formed (${feed.problems[0]}); salvaged ${feed.items.length} items`);
  noteUnread(ctx, feed);
  const credits = creditItems(feed);
  // Pages are fetched concurrently (the HTTP client limits per host), but drafts are stored
  // in feed order, one at a time, so that dedupe between items of one feed is deterministic.
  const drafts = await Promise.all(
    feed.items.map(async (item, index): Promise<ArticleDraft | 'known'> => {
      const url = itemUrl(ctx, item, feedUrl, index);
      const known = await ctx.deps.store.articles.byCanonicalUrl(canonicalizeUrl(url));
      if (known) {
        // Identity is the URL: a rewritten pubDate or title does not make it new.
        const topicIds = matchingTopics(known, ctx.topics);
        await ctx.deps.store.articles.addTopics(known.id, topicIds, ctx.source.id);
        return 'known';
      }
      const credit = credits[index]!;
      const content = htmlToArticleText(item.content ?? item.summary ?? '');
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
    }),
  );
  for (const draft of drafts) {
    if (draft === 'known') ctx.tally.add('known');
    else await store(ctx, draft);
  }
}

async function collectLocal(ctx: SourceContext): Promise<void> {
  const result = await readLocalSource(ctx.source.url);
  ctx.tally.warnings.push(...result.errors);
  for (const doc of result.documents) {
    if (doc.kind === 'feed') await storeFeed(ctx, doc.feed, doc.fileUrl);
    else await store(ctx, draftFromLocal(doc.article, ctx.source.id));
  }
}

/** Returns validators for the next conditional GET, or 'unchanged' on 304. */
async function collectRemote(ctx: SourceContext): Promise<'unchanged' | { etag?: string; lastModified?: string }> {
  const http = ctx.deps.http!;
  const state = await ctx.deps.store.sources.get(ctx.source.id);
  const response = await http.get(ctx.source.url, {
    accept:
      ctx.source.kind === 'page'
        ? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5'
        : 'application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,text/html;q=0.5,*/*;q=0.3',
    ...(state?.etag !== undefined && { etag: state.etag }),
    ...(state?.lastModified !== undefined && { lastModified: state.lastModified }),
  });
  if (response.notModified) return 'unchanged';
  const isFeed =
    ctx.source.kind === 'feed' || (ctx.source.kind !== 'page' && looksLikeFeed(response.body, response.contentType));
  if (isFeed) {
    const feed = parseFeed(response.body, {
      url: response.url,
      ...(response.contentType !== undefined && { contentType: response.contentType }),
    });
    await storeFeed(ctx, feed, response.url);
  } else {
    const html = decodeBody(response.body, response.contentType, 'html').text;
    const page = extractFromHtml(html, response.url);
    if (page.text.trim().length < 200) {
      throw new BriefbotError('PARSE', `${maskUrl(ctx.source.url)}: neither a feed nor an article page (no readable article text)`);
    }
    await store(ctx, {
      url: page.canonicalUrl ?? response.url,
      title: page.title,
      text: page.text,
      sourceId: ctx.source.id,
      ...(page.publisher !== undefined && { publisher: page.publisher }),
      ...(page.author !== undefined && { author: page.author }),
      ...(page.publishedAt !== undefined && { publishedAt: page.publishedAt }),
      ...(page.lang !== undefined && { lang: page.lang }),
      ...(page.instructions !== undefined && { instructions: page.instructions }),
    });
  }
  return {
    ...(response.etag !== undefined && { etag: response.etag }),
    ...(response.lastModified !== undefined && { lastModified: response.lastModified }),
  };
}

/**
 * A short reason for a source's failure, for reports and health footers: "HTTP 404", "larger
 * than the 10 MB cap", "timed out after 20000 ms" — what went wrong, never a secret.
 */
export function failureReason(error: unknown): string {
  if (error instanceof FetchError) {
    if (error.reason.startsWith('http-') && error.status !== undefined) return `HTTP ${error.status}`;
    // "GET <url>: <what>": the URL is the source's own, already named beside the reason.
    return maskUrlsIn(oneLine(error).replace(/^GET \S+: /, ''));
  }
  return maskUrlsIn(oneLine(error));
}

async function collectSource(source: SourceSpec, topics: readonly Topic[], deps: CollectDeps): Promise<SourceReport> {
  const now = (deps.now ?? (() => new Date()))();
  const tally = new Tally();
  const ctx: SourceContext = { source, topics, deps, now, tally };
  const isLocal = source.url.startsWith('file:');
  const base = { source, topicIds: topics.map((t) => t.id) };
  const counts = () => ({ new: tally.new, duplicate: tally.duplicate, known: tally.known, filtered: tally.filtered, warnings: tally.warnings });
  if (!isLocal && !deps.http) {
    return { ...base, status: 'skipped', ...counts(), error: 'offline: remote source not fetched' };
  }
  try {
    if (isLocal) {
      await collectLocal(ctx);
      await deps.store.sources.recordSuccess(source.id, source.url, now.toISOString(), {});
      return { ...base, status: 'ok', ...counts() };
    }
    const outcome = await collectRemote(ctx);
    const validators = outcome === 'unchanged' ? ((await deps.store.sources.get(source.id)) ?? {}) : outcome;
    await deps.store.sources.recordSuccess(source.id, source.url, now.toISOString(), {
      etag: validators.etag,
      lastModified: validators.lastModified,
    });
    return { ...base, status: outcome === 'unchanged' ? 'unchanged' : 'ok', ...counts() };
  } catch (error) {
    const reason = failureReason(error);
    deps.logger.warn({ source: maskUrl(source.url), err: maskUrlsIn(oneLine(error)) }, 'source failed');
    await deps.store.sources.recordFailure(source.id, source.url, now.toISOString(), reason);
    return { ...base, status: 'failed', ...counts(), error: maskUrlsIn(oneLine(error)) };
  }
}

/** Collects every source of `topics` (a source shared by topics is read once). */
export async function collectTopics(topics: readonly Topic[], deps: CollectDeps): Promise<CollectReport> {
  const bySource = new Map<string, { source: SourceSpec; topics: Topic[] }>();
  for (const topic of topics) {
    for (const source of topic.sources) {
      const entry = bySource.get(source.id) ?? { source, topics: [] };
      entry.topics.push(topic);
      bySource.set(source.id, entry);
    }
  }
  const limit = pLimit(deps.concurrency ?? 4);
  const entries = [...bySource.values()];
  const owner = deps.owner ?? `collect:${randomUUID()}`;
  const leaseMs = deps.leaseMs ?? 30_000;
  let done = 0;
  const reports = await Promise.all(
    entries.map((entry) =>
      limit(async () => {
        const leased = await withLease(deps.store.leases, `collect:${entry.source.id}`, { owner, leaseMs, waitMs: 2 * leaseMs }, () =>
          collectSource(entry.source, entry.topics, deps),
        );
        const report: SourceReport = leased !== 'busy' ? leased : {
          source: entry.source,
          topicIds: entry.topics.map((t) => t.id),
          status: 'skipped',
          new: 0, duplicate: 0, known: 0, filtered: 0, warnings: [],
          error: 'another process is still collecting this source',
        };
        done += 1;
        deps.onProgress?.({ done, total: entries.length, source: entry.source });
        return report;
      }),
    ),
  );
  return { sources: reports, failed: reports.filter((r) => r.status === 'failed').length };
}
