/**
 * What the texts of each candidate pair share: the pairs candidates.ts finds, each with its
 * cosine and its shared rarity (vectors.ts pairOverlap). This is most of clustering's work after
 * the vectors, and it splits by document range, so threads can each take a range
 * (cluster-threads.ts) and their answers merge into the one a single thread gives.
 */
import { candidatePairs, DEFAULT_CANDIDATE_OPTIONS, type DocRange } from './candidates.ts';
import { crossScriptCosine, pairOverlap, type PairOverlap, type SparseVector, type VectorSpace } from './vectors.ts';

/** Pairs (i, j), i < j, flat and ascending as candidatePairs gives them, with what each shares. */
export interface PairScores {
  readonly pairs: Int32Array;
  /** Per pair, the cosine of the two vectors, or their cross-script cosine when that is higher. */
  readonly cosine: Float64Array;
  /** Per pair, the rarity of the terms they share (0 when not counted). */
  readonly rarity: Float64Array;
}

export interface PairSettings {
  /** Count the shared rarity (see pairOverlap). */
  readonly rarity: boolean;
  /** Terms in more documents than this do not count as rare. */
  readonly rareMaxDf: number;
}

/** The candidate pairs found from the documents in `range` (all by default), scored. */
export function scorePairs(space: VectorSpace, settings: PairSettings, range?: DocRange): PairScores {
  const { vectors, df } = space;
  const pairs = candidatePairs(vectors, df, DEFAULT_CANDIDATE_OPTIONS, range);
  const count = pairs.length / 2;
  const cosine = new Float64Array(count);
  const rarity = new Float64Array(count);
  const overlap: PairOverlap = { cosine: 0, rarity: 0 };
  for (let k = 0; k < count; k += 1) {
    const i = pairs[2 * k]!;
    const j = pairs[2 * k + 1]!;
    pairOverlap(vectors[i]!, vectors[j]!, settings.rarity ? df : undefined, settings.rareMaxDf, overlap);
    cosine[k] = Math.max(overlap.cosine, crossScriptCosine(space, i, j));
    rarity[k] = overlap.rarity;
  }
  return { pairs, cosine, rarity };
}

/**
 * The scores of several ranges as one: the pairs in ascending order, each once (a pair found
 * from both of its documents' ranges was scored alike in both).
 */
export function mergePairScores(parts: readonly PairScores[]): PairScores {
  return parts.reduce((merged, part) => mergeTwo(merged, part));
}

function mergeTwo(a: PairScores, b: PairScores): PairScores {
  const size = a.cosine.length + b.cosine.length;
  const pairs = new Int32Array(2 * size);
  const cosine = new Float64Array(size);
  const rarity = new Float64Array(size);
  let x = 0;
  let y = 0;
  let k = 0;
  const take = (from: PairScores, at: number): void => {
    pairs[2 * k] = from.pairs[2 * at]!;
    pairs[2 * k + 1] = from.pairs[2 * at + 1]!;
    cosine[k] = from.cosine[at]!;
    rarity[k] = from.rarity[at]!;
    k += 1;
  };
  while (x < a.cosine.length || y < b.cosine.length) {
    const order = x === a.cosine.length ? 1 : y === b.cosine.length ? -1 : comparePairs(a.pairs, x, b.pairs, y);
    if (order <= 0) take(a, x++);
    else take(b, y++);
    if (order === 0) y += 1;
  }
  return { pairs: pairs.subarray(0, 2 * k), cosine: cosine.subarray(0, k), rarity: rarity.subarray(0, k) };
}

function comparePairs(a: Int32Array, x: number, b: Int32Array, y: number): number {
  return a[2 * x]! - b[2 * y]! || a[2 * x + 1]! - b[2 * y + 1]!;
}

/** A vector space in shared memory, flat: what a helper thread needs to score pairs, not copied. */
export interface SharedSpace {
  /** Document d's terms are terms[offsets[d]…offsets[d + 1]), their weights likewise. */
  readonly offsets: Int32Array;
  readonly terms: Int32Array;
  readonly weights: Float32Array;
  readonly df: Int32Array;
  readonly latinNorm: Float32Array;
  readonly cjkTerm: Uint8Array;
}

export function shareSpace(space: VectorSpace): SharedSpace {
  const n = space.vectors.length;
  const offsets = shared(Int32Array, n + 1);
  space.vectors.forEach((v, d) => (offsets[d + 1] = offsets[d]! + v.terms.length));
  const terms = shared(Int32Array, offsets[n]!);
  const weights = shared(Float32Array, offsets[n]!);
  space.vectors.forEach((v, d) => {
    terms.set(v.terms, offsets[d]);
    weights.set(v.weights, offsets[d]);
  });
  const df = shared(Int32Array, space.df.length);
  df.set(space.df);
  const latinNorm = shared(Float32Array, n);
  latinNorm.set(space.latinNorm);
  const cjkTerm = shared(Uint8Array, space.cjkTerm.length);
  cjkTerm.set(space.cjkTerm);
  return { offsets, terms, weights, df, latinNorm, cjkTerm };
}

/** The vector space a shared one holds (views on it, nothing copied). */
export function spaceOf(flat: SharedSpace): VectorSpace {
  const vectors = Array.from({ length: flat.offsets.length - 1 }, (_, d): SparseVector => ({
    terms: flat.terms.subarray(flat.offsets[d], flat.offsets[d + 1]),
    weights: flat.weights.subarray(flat.offsets[d], flat.offsets[d + 1]),
  }));
  return { vectors, df: flat.df, latinNorm: flat.latinNorm, cjkTerm: flat.cjkTerm };
}

type TypedArrayOf<T> = new (buffer: SharedArrayBuffer) => T;

function shared<T extends { readonly BYTES_PER_ELEMENT: number }>(
  kind: TypedArrayOf<T> & { BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new kind(new SharedArrayBuffer(length * kind.BYTES_PER_ELEMENT));
}
