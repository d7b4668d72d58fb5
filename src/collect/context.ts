/**
 * What collecting one source shares: its topics, the counts it reports, the progress of the
 * whole collect, and the one way drafts reach the store (batches, see ingest.ts).
 */
import type { Logger } from '../core/log.ts';
import type { ArticleDraft, SourceSpec, Topic } from '../core/types.ts';
import type { Store } from '../store/port.ts';
import { clipArticleText, MAX_ARTICLE_CHARS } from '../text/bounds.ts';
import { screenArticle } from '../text/instructions.ts';
import type { HttpClient } from './http/client.ts';
import type { DedupeSketch } from './dedupe.ts';
import { ingestBatch, matchingTopics, type IngestItem, type IngestOutcome } from './ingest.ts';

/** Counts of a collect in progress, all sources together (for a progress line). */
export interface CollectProgress {
  readonly sourcesDone: number;
  readonly sourcesTotal: number;
  /** Local files read (unchanged files skipped unread are not counted). */
  readonly filesRead: number;
  /** Feed items and pages read. */
  readonly itemsRead: number;
  /** Articles stored, new ones and copies. */
  readonly articlesStored: number;
  /** The source just finished, when this report is about one. */
  readonly source?: SourceSpec;
}

export interface CollectDeps {
  readonly store: Store;
  /** Absent when offline: remote sources are then skipped. */
  readonly http?: HttpClient;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Sources read at once. */
  readonly concurrency?: number;
  /** Threads reading a local source's files (see read-files.ts; default by cores, 0 = this thread only). */
  readonly readers?: number;
  /** Heap cap of each reader thread, MB (default 1024). */
  readonly readerHeapMb?: number;
  /** Called as work advances: after each stored batch and each finished source. */
  readonly onProgress?: (progress: CollectProgress) => void;
  /** Owner of the per-source collect leases (default: a fresh id per call). */
  readonly owner?: string;
  /** Collect lease length (default 30 s, renewed while collecting); another holder is waited for up to twice that. */
  readonly leaseMs?: number;
}

/** Drafts stored per transaction: big enough to amortise the commit, small enough to bound memory. */
export const INGEST_BATCH = 500;

/** The running totals behind CollectProgress, shared by the sources of one collect. */
export class ProgressCounter {
  sourcesDone = 0;
  filesRead = 0;
  itemsRead = 0;
  articlesStored = 0;

  constructor(
    readonly sourcesTotal: number,
    private readonly listener: ((progress: CollectProgress) => void) | undefined,
  ) {}

  report(source?: SourceSpec): void {
    this.listener?.({
      sourcesDone: this.sourcesDone,
      sourcesTotal: this.sourcesTotal,
      filesRead: this.filesRead,
      itemsRead: this.itemsRead,
      articlesStored: this.articlesStored,
      ...(source !== undefined && { source }),
    });
  }
}

export class Tally {
  new = 0;
  duplicate = 0;
  known = 0;
  filtered = 0;
  /** Local files skipped unread because their size, mtime (or hash) had not changed. */
  unchangedFiles = 0;
  readonly warnings: string[] = [];
  add(outcome: IngestOutcome): void {
    this[outcome] += 1;
  }
}

export interface SourceContext {
  readonly source: SourceSpec;
  readonly topics: readonly Topic[];
  readonly deps: CollectDeps;
  readonly now: Date;
  readonly tally: Tally;
  readonly progress: ProgressCounter;
}

/** A draft's text capped first, so that everything after (screening included) works on bounded text. */
function capped(ctx: SourceContext, whole: ArticleDraft): ArticleDraft {
  const { text, clipped } = clipArticleText(whole.text);
  if (!clipped) return whole;
  ctx.tally.warnings.push(
    `${whole.url}: text of ${whole.text.length.toLocaleString('en-US')} characters cut to the ${MAX_ARTICLE_CHARS.toLocaleString('en-US')}-character cap`,
  );
  return { ...whole, text };
}

/**
 * Stores drafts in batches of INGEST_BATCH (one transaction each), in order, so that dedupe
 * between drafts of one source is deterministic. Empty drafts are skipped with a warning.
 * `sketches[i]`, when given, says that a reader thread screened `raw[i]`'s text, within the
 * length cap, and is the dedupe sketch of that text (see read-files.ts).
 */
export async function storeDrafts(
  ctx: SourceContext,
  raw: readonly ArticleDraft[],
  sketches?: readonly (DedupeSketch | undefined)[],
): Promise<void> {
  const items: IngestItem[] = [];
  for (const [i, whole] of raw.entries()) {
    const sketch = sketches?.[i];
    // Planted instructions out, whatever source the draft came from, before topic matching (an
    // injected "note to AI…" must not make an article match an AI topic) and storage.
    const draft = sketch ? whole : screenArticle(capped(ctx, whole));
    if (draft.title.trim() === '' && draft.text.trim() === '') {
      ctx.tally.warnings.push(`${draft.url}: empty article skipped`);
      continue;
    }
    const topicIds = matchingTopics(draft, ctx.topics);
    if (topicIds.length === 0) ctx.tally.filtered += 1;
    items.push({ draft, topicIds, ...(sketch && { sketch }) });
  }
  for (let i = 0; i < items.length; i += INGEST_BATCH) {
    const results = await ingestBatch(items.slice(i, i + INGEST_BATCH), ctx.deps.store, ctx.now);
    for (const { outcome } of results) {
      ctx.tally.add(outcome);
      if (outcome !== 'known') ctx.progress.articlesStored += 1;
    }
    ctx.progress.report();
  }
}
