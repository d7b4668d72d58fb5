/**
 * A local source (a file or a folder) → articles. Files whose size and mtime match what was
 * recorded when they were last ingested for the same topics are skipped unread; a file whose
 * mtime moved but whose bytes hash the same is skipped unparsed. The rest are read a batch at
 * a time and stored in batches; their validators are recorded only after their articles are
 * saved, so a crash in between makes the next run read them again (and find them known).
 */
import { createHash } from 'node:crypto';
import { BriefbotError } from '../core/errors.ts';
import { LoopYielder } from '../core/yield.ts';
import type { ArticleDraft, Topic } from '../core/types.ts';
import type { LocalFileState } from '../store/port.ts';
import type { DedupeSketch } from './dedupe.ts';
import { INGEST_BATCH, storeDrafts, type SourceContext } from './context.ts';
import { storeFeed } from './feed-source.ts';
import { listLocalSource, type LocalFile } from './local.ts';
import { readFiles } from './read-files.ts';

/**
 * A file modified within this long of its validators being taken may have changed again in
 * the same mtime tick (coarse file-system clocks): it is re-read and hashed, not trusted.
 */
const RACY_MS = 2_000;

/**
 * What file validators are recorded for: the topics and their include/exclude rules. A file
 * read for topic A is not thereby known to topic B (its articles were never linked to B).
 */
export function localScope(topics: readonly Topic[]): string {
  const rules = topics
    .map((t) => [t.id, t.include.map((m) => m.source), t.exclude.map((m) => m.source)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 32);
}

function unchanged(file: LocalFile, state: LocalFileState | undefined): boolean {
  return state !== undefined && state.size === file.size && state.mtimeMs === file.mtimeMs && file.mtimeMs < state.checkedAtMs - RACY_MS;
}

export async function collectLocal(ctx: SourceContext): Promise<void> {
  const listing = await listLocalSource(ctx.source.url);
  ctx.tally.warnings.push(...listing.skipped);
  const store = ctx.deps.store;
  const scope = localScope(ctx.topics);
  const recorded = await store.sources.localFiles(
    scope,
    listing.files.map((f) => f.path),
  );
  const toRead = listing.files.filter((f) => !unchanged(f, recorded.get(f.path)));
  ctx.tally.unchangedFiles += listing.files.length - toRead.length;
  const yielder = new LoopYielder();
  let parsed = 0;
  const reads = readFiles(
    toRead.map((file) => ({ file, ...(recorded.has(file.path) && { recordedHash: recorded.get(file.path)!.hash }) })),
    {
      logger: ctx.deps.logger,
      ...(ctx.deps.readers !== undefined && { workers: ctx.deps.readers }),
      ...(ctx.deps.readerHeapMb !== undefined && { maxHeapMb: ctx.deps.readerHeapMb }),
    },
  );
  // Files go in batches of INGEST_BATCH: their drafts are stored together, then their validators
  // recorded. A feed's items are stored as soon as its file is read (in chunks of their own), so
  // storing one feed overlaps reading the next on a reader thread.
  let drafts: ArticleDraft[] = [];
  let sketches: (DedupeSketch | undefined)[] = [];
  let states: LocalFileState[] = [];
  let filesInBatch = 0;
  const flush = async (): Promise<void> => {
    await storeDrafts(ctx, drafts, sketches);
    await store.sources.recordLocalFiles(scope, states);
    drafts = [];
    sketches = [];
    states = [];
    filesInBatch = 0;
  };
  for await (const read of reads) {
    await yielder.maybeYield();
    ctx.progress.filesRead += 1;
    filesInBatch += 1;
    if ('error' in read) {
      ctx.tally.warnings.push(`${read.file.path}: ${read.error}`);
    } else {
      states.push(read.state);
      if (!read.documents) ctx.tally.unchangedFiles += 1;
      for (const doc of read.documents ?? []) {
        parsed += 1;
        if (doc.kind === 'feed') await storeFeed(ctx, doc.feed, doc.fileUrl, doc.itemTexts);
        else {
          drafts.push({ ...doc.article, sourceId: ctx.source.id });
          sketches.push(doc.sketch);
        }
      }
    }
    if (filesInBatch === INGEST_BATCH) await flush();
  }
  if (filesInBatch > 0) await flush();
  // A lone file that could not be read fails its source (a folder's bad files are warnings).
  if (!listing.isDirectory && toRead.length > 0 && parsed === 0 && ctx.tally.unchangedFiles === 0) {
    throw new BriefbotError('SOURCE', ctx.tally.warnings[0] ?? `${listing.files[0]?.path ?? ctx.source.url}: nothing readable`);
  }
}
