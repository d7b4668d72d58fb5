/**
 * Building vectors with helper threads. Counting terms (tokenizing, stemming, finding names) is
 * most of the work of building vectors, and a brief of thousands of articles built by the CLI
 * leaves the machine's other cores idle meanwhile. The documents are cut into consecutive
 * slices: this thread counts the first, each helper (cluster-worker.ts) one of the others,
 * and the slices are merged as if counted in one pass (term-counts.ts), so the vectors are the
 * same as buildVectors'.
 *
 * A helper that fails (it could not start, or died) loses nothing: its slice is counted here.
 */
import type { Worker } from 'node:worker_threads';
import { oneLine } from '../../core/errors.ts';
import { startWorker } from '../../core/worker.ts';
import { DEFAULT_VECTOR_WEIGHTS, mergeTermCounts, TermCounter, type TermCounts, type VectorWeights } from './term-counts.ts';
import { vectorSpaceOf, type VectorSpace } from './vectors.ts';

export interface ClusterThreads {
  /** Helper threads besides this one (0: this thread alone). */
  readonly helpers: number;
  /** Fewer documents than this are counted on this thread alone (default MIN_DOCS_FOR_HELPERS). */
  readonly minDocs?: number;
  /** Told when a helper failed and its slice was counted on this thread. */
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

/** Message to a helper: documents to count; `last` asks for the counts of all it was sent. */
export interface CountRequest {
  readonly docs: ReadonlyArray<{ title: string; text: string }>;
  readonly last: boolean;
}

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
  const helpers = docs.length >= (threads.minDocs ?? MIN_DOCS_FOR_HELPERS) ? Math.max(0, Math.floor(threads.helpers)) : 0;
  const slices = slicesOf(docs, helpers);
  // Helpers first, so that they start while this thread counts its own slice.
  const elsewhere = slices.slice(1).map((slice) => countOnHelper(slice, weighting, threads.helperHeapMb ?? HELPER_HEAP_MB));
  const here = new TermCounter(weighting);
  here.add(slices[0]!);
  const counts: TermCounts[] = [here.result()];
  for (const [k, pending] of elsewhere.entries()) {
    const outcome = await pending;
    if ('counts' in outcome) counts.push(outcome.counts);
    else {
      threads.onHelperFailure?.(outcome.failure);
      const again = new TermCounter(weighting);
      again.add(slices[k + 1]!);
      counts.push(again.result());
    }
  }
  return vectorSpaceOf(mergeTermCounts(counts), weighting);
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

/** The counts of `slice` from a new helper thread, or why it gave none. */
function countOnHelper(
  slice: ReadonlyArray<{ title: string; text: string }>,
  weighting: VectorWeights,
  heapMb: number,
): Promise<{ counts: TermCounts } | { failure: string }> {
  let worker: Worker;
  try {
    worker = startWorker(import.meta.url, 'cluster-worker', {
      workerData: { weighting },
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
    });
  } catch (error) {
    return Promise.resolve({ failure: oneLine(error) });
  }
  const result = new Promise<{ counts: TermCounts } | { failure: string }>((resolve) => {
    worker.once('message', (flat: FlatTermCounts) => resolve({ counts: unflatten(flat) }));
    worker.once('error', (error) => resolve({ failure: oneLine(error) }));
    worker.once('exit', (code) => resolve({ failure: `exited with code ${code}` }));
  });
  for (let i = 0; i < slice.length || i === 0; i += DOCS_PER_MESSAGE) {
    const docs = slice.slice(i, i + DOCS_PER_MESSAGE).map(({ title, text }) => ({ title, text }));
    worker.postMessage({ docs, last: i + DOCS_PER_MESSAGE >= slice.length } satisfies CountRequest);
  }
  return result.finally(() => void worker.terminate());
}
