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
import type { SourceSpec, Topic } from '../core/types.ts';
import { decodeBody } from './charset.ts';
import { ProgressCounter, storeDrafts, Tally, type CollectDeps, type SourceContext } from './context.ts';
import { storeFeed } from './feed-source.ts';
import { looksLikeFeed, parseFeed } from './feeds/index.ts';
import { collectLocal } from './local-source.ts';
import { withLease } from '../store/lease.ts';
import { extractFromHtml } from './pages/index.ts';

export type { CollectDeps, CollectProgress } from './context.ts';

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
  /** Local files skipped because they had not changed since they were last read. */
  readonly unchangedFiles: number;
  /** One-line reason when the source failed or was skipped. */
  readonly error?: string;
  /** Per-item problems (an unreadable file, a teaser page that failed) that did not fail the source. */
  readonly warnings: readonly string[];
}

export interface CollectReport {
  readonly sources: readonly SourceReport[];
  readonly failed: number;
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
  const isFeed = ctx.source.kind === 'feed' || (ctx.source.kind !== 'page' && looksLikeFeed(response.body, response.contentType));
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
    await storeDrafts(ctx, [
      {
        url: page.canonicalUrl ?? response.url,
        title: page.title,
        text: page.text,
        sourceId: ctx.source.id,
        ...(page.publisher !== undefined && { publisher: page.publisher }),
        ...(page.author !== undefined && { author: page.author }),
        ...(page.publishedAt !== undefined && { publishedAt: page.publishedAt }),
        ...(page.lang !== undefined && { lang: page.lang }),
        ...(page.instructions !== undefined && { instructions: page.instructions }),
      },
    ]);
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

async function collectSource(
  source: SourceSpec,
  topics: readonly Topic[],
  deps: CollectDeps,
  progress: ProgressCounter,
): Promise<SourceReport> {
  const now = (deps.now ?? (() => new Date()))();
  const tally = new Tally();
  const ctx: SourceContext = { source, topics, deps, now, tally, progress };
  const isLocal = source.url.startsWith('file:');
  const base = { source, topicIds: topics.map((t) => t.id) };
  const counts = () => ({
    new: tally.new,
    duplicate: tally.duplicate,
    known: tally.known,
    filtered: tally.filtered,
    unchangedFiles: tally.unchangedFiles,
    warnings: tally.warnings,
  });
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
  const progress = new ProgressCounter(entries.length, deps.onProgress);
  const owner = deps.owner ?? `collect:${randomUUID()}`;
  const leaseMs = deps.leaseMs ?? 30_000;
  const reports = await Promise.all(
    entries.map((entry) =>
      limit(async () => {
        const leased = await withLease(deps.store.leases, `collect:${entry.source.id}`, { owner, leaseMs, waitMs: 2 * leaseMs }, () =>
          collectSource(entry.source, entry.topics, deps, progress),
        );
        const report: SourceReport =
          leased !== 'busy'
            ? leased
            : {
                source: entry.source,
                topicIds: entry.topics.map((t) => t.id),
                status: 'skipped',
                new: 0,
                duplicate: 0,
                known: 0,
                filtered: 0,
                unchangedFiles: 0,
                warnings: [],
                error: 'another process is still collecting this source',
              };
        progress.sourcesDone += 1;
        progress.report(entry.source);
        return report;
      }),
    ),
  );
  return { sources: reports, failed: reports.filter((r) => r.status === 'failed').length };
}
