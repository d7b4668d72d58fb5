/**
 * Clustering's heavy steps on helper threads. A brief of thousands of articles built by the CLI
 * leaves the machine's other cores idle while it clusters, and two steps split cleanly:
 * - Counting terms (tokenizing, stemming, finding names), most of building vectors. The
 *   documents are cut into consecutive slices: this thread counts the first, each helper
 *   (cluster-worker.ts) one of the others, and the slices are merged as if counted in one pass
 *   (term-counts.ts), so the vectors are the same as buildVectors'.
 * - Finding and scoring candidate pairs (pair-scores.ts). Each thread searches from a range of
 *   the documents, over the vectors in shared memory, and the scored pairs are merged into
 *   those one thread finds.
 *
 * A helper that fails (it could not start, or died) loses nothing: its share is done here.
 */
import type { Worker } from 'node:worker_threads';
import { oneLine } from '../../core/errors.ts';
import { startWorker } from '../../core/worker.ts';
import type { DocRange } from './candidates.ts';
import { mergePairScores, scorePairs, shareSpace, type PairScores, type PairSettings, type SharedSpace } from './pair-scores.ts';
import { countTerms, DEFAULT_VECTOR_WEIGHTS, mergeTermCounts, type TermCounts, type VectorWeights } from './term-counts.ts';
import { vectorSpaceOf, type VectorSpace } from './vectors.ts';

export interface ClusterThreads {
  /** Helper threads besides this one (0: this thread alone). */
  readonly helpers: number;
  /** Fewer documents than this are clustered on this thread alone (default MIN_DOCS_FOR_HELPERS). */
  readonly minDocs?: number;
  /** Told when a helper failed and its share was done on this thread. */
  readonly onHelperFailure?: (reason: string) => void;
  /** A helper's old-generation heap cap, MB (default 512: a slice of 10,000 articles' heads needs some 60 MB). */
  readonly helperHeapMb?: number;
}

/**
 * Below this many documents no helper is started: one takes 50–80 ms to start and warm up,
 * about what counting 1,000 news articles takes this thread.
 */
export const MIN_DOCS_FOR_HELPERS = 3_000;
/** Documents sent to a helper per message, so that it starts counting while the rest are copied. */
const DOCS_PER_MESSAGE = 250;
const HELPER_HEAP_MB = 512;

/** Messages to a helper: documents to count (`last`: send the counts of all), or a range to score. */
export type HelperRequest =
  | { readonly kind: 'count'; readonly docs: ReadonlyArray<{ title: string; text: string }>; readonly last: boolean }
  | { readonly kind: 'score'; readonly space: SharedSpace; readonly settings: PairSettings; readonly range: DocRange };

/** A helper's counts, flat (a few buffers cross threads, not one array per document). */
export interface FlatTermCounts {
  readonly vocab: string[];
  readonly entity: Uint8Array;
  /** Document d's terms are terms[offsets[d]…offsets[d + 1]), their counts likewise in tf. */
  readonly offsets: Int32Array;
  readonly terms: Int32Array;
  readonly tf: Float32Array;
}

export function flatten(counts: TermCounts): FlatTermCounts {
  const offsets = new Int32Array(counts.docs.length + 1);
  counts.docs.forEach((doc, d) => (offsets[d + 1] = offsets[d]! + doc.terms.length));
  const terms = new Int32Array(offsets[counts.docs.length]!);
  const tf = new Float32Array(terms.length);
  counts.docs.forEach((doc, d) => {
    terms.set(doc.terms, offsets[d]);
    tf.set(doc.tf, offsets[d]);
  });
  return { vocab: counts.vocab, entity: counts.entity, offsets, terms, tf };
}

function unflatten(flat: FlatTermCounts): TermCounts {
  const docs = Array.from({ length: flat.offsets.length - 1 }, (_, d) => ({
    terms: flat.terms.subarray(flat.offsets[d], flat.offsets[d + 1]),
    tf: flat.tf.subarray(flat.offsets[d], flat.offsets[d + 1]),
  }));
  return { vocab: flat.vocab, entity: flat.entity, docs };
}

/** buildVectors (vectors.ts), with `threads.helpers` more threads when the documents are many. */
export async function buildVectorsOnThreads(
  docs: ReadonlyArray<{ title: string; text: string }>,
  weighting: VectorWeights = DEFAULT_VECTOR_WEIGHTS,
  threads: ClusterThreads,
): Promise<VectorSpace> {
  const helpers = startHelpers(docs.length, weighting, threads);
  try {
    return await countOnThreads(docs, weighting, helpers, threads);
  } finally {
    closeHelpers(helpers);
  }
}

/** The vectors and the scored candidate pairs (scorePairs), on `threads.helpers` more threads when the documents are many. */
export async function vectorsAndScoresOnThreads(
  docs: ReadonlyArray<{ title: string; text: string }>,
  weighting: VectorWeights = DEFAULT_VECTOR_WEIGHTS,
  settings: PairSettings,
  threads: ClusterThreads,
): Promise<{ space: VectorSpace; scores: PairScores }> {
  const helpers = startHelpers(docs.length, weighting, threads);
  try {
    const space = await countOnThreads(docs, weighting, helpers, threads);
    return { space, scores: await scoreOnThreads(space, settings, helpers, threads) };
  } finally {
    closeHelpers(helpers);
  }
}

function startHelpers(documents: number, weighting: VectorWeights, threads: ClusterThreads): Helper[] {
  const count = documents >= (threads.minDocs ?? MIN_DOCS_FOR_HELPERS) ? Math.max(0, Math.floor(threads.helpers)) : 0;
  return Array.from({ length: count }, () => new Helper(weighting, threads.helperHeapMb ?? HELPER_HEAP_MB));
}

function closeHelpers(helpers: readonly Helper[]): void {
  for (const helper of helpers) helper.close();
}

async function countOnThreads(
  docs: ReadonlyArray<{ title: string; text: string }>,
  weighting: VectorWeights,
  helpers: readonly Helper[],
  threads: ClusterThreads,
): Promise<VectorSpace> {
  const slices = slicesOf(docs, helpers.length);
  // Helpers first, so that they count while this thread counts its own slice.
  const elsewhere = helpers.map((helper, k) => helper.count(slices[k + 1]!));
  const countHere = (slice: ReadonlyArray<{ title: string; text: string }>): TermCounts => countTerms(slice, weighting);
  const counts: TermCounts[] = [countHere(slices[0]!)];
  for (const [k, pending] of elsewhere.entries()) {
    const outcome = await pending;
    if (typeof outcome === 'string') {
      threads.onHelperFailure?.(outcome);
      counts.push(countHere(slices[k + 1]!));
    } else counts.push(outcome);
  }
  return vectorSpaceOf(mergeTermCounts(counts), weighting);
}

async function scoreOnThreads(
  space: VectorSpace,
  settings: PairSettings,
  helpers: readonly Helper[],
  threads: ClusterThreads,
): Promise<PairScores> {
  const live = helpers.filter((helper) => helper.alive);
  if (live.length === 0) return scorePairs(space, settings);
  const ranges = rangesOf(space.vectors.length, live.length);
  const shared = shareSpace(space);
  const elsewhere = live.map((helper, k) => helper.score(shared, settings, ranges[k + 1]!));
  const parts = [scorePairs(space, settings, ranges[0])];
  for (const [k, pending] of elsewhere.entries()) {
    const outcome = await pending;
    if (typeof outcome === 'string') {
      threads.onHelperFailure?.(outcome);
      parts.push(scorePairs(space, settings, ranges[k + 1]));
    } else parts.push(outcome);
  }
  return mergePairScores(parts);
}

/**
 * Documents this thread counts beyond an even share, per helper: a helper spends its first
 * 50–80 ms starting and runs its first documents unoptimised. With even shares this thread then
 * waited 90–170 ms for the helper; with 500 more documents, 10–55 ms (10,000 articles, two cores).
 */
const HELPER_START_DOCS = 500;

/** Consecutive slices of `docs`: this thread's first, then one per helper. */
export function slicesOf<T>(docs: readonly T[], helpers: number): T[][] {
  if (helpers === 0) return [[...docs]];
  const here = Math.min(docs.length, Math.ceil((docs.length + HELPER_START_DOCS * helpers) / (helpers + 1)));
  const each = Math.ceil((docs.length - here) / helpers);
  return [docs.slice(0, here), ...Array.from({ length: helpers }, (_, k) => docs.slice(here + k * each, here + (k + 1) * each))];
}

/**
 * Share of the documents this thread searches beyond an even share: a helper runs the search
 * code for the first time, unoptimised at first. With even shares this thread waited 35–60 ms
 * for the helper; with 4 % more, about 10 (10,000 articles, two cores).
 */
const HERE_EXTRA_SHARE = 0.04;

/** Consecutive ranges covering documents 0…n: this thread's first, then one per helper. */
export function rangesOf(n: number, helpers: number): DocRange[] {
  const here = Math.min(n, Math.ceil(n * (1 / (helpers + 1) + HERE_EXTRA_SHARE)));
  const cuts = [0, ...Array.from({ length: helpers + 1 }, (_, k) => here + Math.floor(((n - here) * k) / Math.max(1, helpers)))];
  return Array.from({ length: helpers + 1 }, (_, k) => ({ from: cuts[k]!, to: cuts[k + 1]! }));
}

/** A helper thread, asked one thing at a time; a failure answers the question pending and every later one. */
class Helper {
  private worker: Worker | undefined;
  private failure: string | undefined;
  private pending: ((reply: unknown) => void) | undefined;

  constructor(weighting: VectorWeights, heapMb: number) {
    try {
      this.worker = startWorker(import.meta.url, 'cluster-worker', {
        workerData: { weighting },
        resourceLimits: { maxOldGenerationSizeMb: heapMb },
      });
    } catch (error) {
      this.fail(oneLine(error));
      return;
    }
    this.worker.on('message', (reply: unknown) => this.answer(reply));
    this.worker.once('error', (error) => this.fail(oneLine(error)));
    this.worker.once('exit', (code) => this.fail(`exited with code ${code}`));
  }

  get alive(): boolean {
    return this.failure === undefined;
  }

  /** The term counts of `slice`, or why there are none. */
  async count(slice: ReadonlyArray<{ title: string; text: string }>): Promise<TermCounts | string> {
    const reply = this.ask(() => {
      for (let i = 0; i < slice.length || i === 0; i += DOCS_PER_MESSAGE) {
        const docs = slice.slice(i, i + DOCS_PER_MESSAGE).map(({ title, text }) => ({ title, text }));
        this.worker!.postMessage({ kind: 'count', docs, last: i + DOCS_PER_MESSAGE >= slice.length } satisfies HelperRequest);
      }
    });
    const outcome = await reply;
    return typeof outcome === 'string' ? outcome : unflatten(outcome as FlatTermCounts);
  }

  /** The scored pairs found from `range`, or why there are none. */
  async score(space: SharedSpace, settings: PairSettings, range: DocRange): Promise<PairScores | string> {
    const outcome = await this.ask(() => this.worker!.postMessage({ kind: 'score', space, settings, range } satisfies HelperRequest));
    return outcome as PairScores | string;
  }

  close(): void {
    this.failure ??= 'closed';
    void this.worker?.terminate();
  }

  private ask(send: () => void): Promise<unknown> {
    if (this.failure !== undefined) return Promise.resolve(this.failure);
    const reply = new Promise<unknown>((resolve) => (this.pending = resolve));
    send();
    return reply;
  }

  private answer(reply: unknown): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.(reply);
  }

  private fail(reason: string): void {
    this.failure ??= reason;
    this.answer(this.failure);
  }
}
