/**
 * A local source (a file or a folder) → articles. Files whose size and mtime match what was
 * recorded when they were last ingested for the same topics are skipped unread; a file whose
 * mtime moved but whose bytes hash the same is skipped unparsed. The rest are read a batch at
 * a time and stored in batches; their validators are recorded only after their articles are
 * saved, so a crash in between makes the next run read them again (and find them known).
 */
import { createHash } from 'node:crypto';
import { BriefbotError, oneLine } from '../core/errors.ts';
import { LoopYielder } from '../core/yield.ts';
import type { ArticleDraft, Topic } from '../core/types.ts';
import type { LocalFileState } from '../store/port.ts';
import { INGEST_BATCH, storeDrafts, type SourceContext } from './context.ts';
import { storeFeed } from './feed-source.ts';
import { listLocalSource, parseLocalFile, readLocalFile, type LocalDocument, type LocalFile } from './local.ts';

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

interface ReadFile {
  readonly state: LocalFileState;
  /** Absent when the bytes hash as recorded: nothing to parse. */
  readonly documents?: LocalDocument[];
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
  for (let start = 0; start < toRead.length; start += INGEST_BATCH) {
    const batch: ReadFile[] = [];
    for (const file of toRead.slice(start, start + INGEST_BATCH)) {
      await yielder.maybeYield();
      try {
        const bytes = readLocalFile(file);
        ctx.progress.filesRead += 1;
        const state = { ...file, hash: createHash('sha256').update(bytes).digest('hex'), checkedAtMs: Date.now() };
        batch.push(recorded.get(file.path)?.hash === state.hash ? { state } : { state, documents: parseLocalFile(file.path, bytes) });
      } catch (error) {
        ctx.tally.warnings.push(`${file.path}: ${oneLine(error)}`);
      }
    }
    const drafts: ArticleDraft[] = [];
    for (const read of batch) {
      if (!read.documents) ctx.tally.unchangedFiles += 1;
      for (const doc of read.documents ?? []) {
        parsed += 1;
        if (doc.kind === 'feed') await storeFeed(ctx, doc.feed, doc.fileUrl);
        else drafts.push({ ...doc.article, sourceId: ctx.source.id });
      }
    }
    await storeDrafts(ctx, drafts);
    await store.sources.recordLocalFiles(
      scope,
      batch.map((read) => read.state),
    );
  }
  // A lone file that could not be read fails its source (a folder's bad files are warnings).
  if (!listing.isDirectory && toRead.length > 0 && parsed === 0 && ctx.tally.unchangedFiles === 0) {
    throw new BriefbotError('SOURCE', ctx.tally.warnings[0] ?? `${listing.files[0]?.path ?? ctx.source.url}: nothing readable`);
  }
}
