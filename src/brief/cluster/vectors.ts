/**
 * TF-IDF vectors for clustering: title words count extra, named entities count extra, and
 * every vector is L2-normalised so a dot product is a cosine. Terms are interned as integer
 * ids and each vector is stored as sorted parallel arrays, which keeps memory flat and makes
 * a dot product a linear merge.
 */
import { countTerms, DEFAULT_VECTOR_WEIGHTS, type TermCounts, type VectorWeights } from './term-counts.ts';

/** A sparse, L2-normalised vector: ascending term ids and their weights. */
export interface SparseVector {
  terms: Int32Array;
  weights: Float32Array;
}

export interface VectorSpace {
  vectors: SparseVector[];
  /** Document frequency per term id. */
  df: Int32Array;
  /**
   * Per document, the length of its vector outside Chinese/Japanese/Korean terms (1 for a text
   * with none of them, near 0 for a Chinese text with a few Latin names). See crossScriptCosine.
   */
  latinNorm: Float32Array;
  /** Per term id, 1 when the term is written in a CJK script. */
  cjkTerm: Uint8Array;
}

/** Documents added to N in idf = log((N + this) / df): idf stays meaningful on small sets. */
const IDF_PSEUDO_DOCS = 20;

/** Builds TF-IDF vectors for documents given as title and body. */
export function buildVectors(
  docs: ReadonlyArray<{ title: string; text: string }>,
  weighting: VectorWeights = DEFAULT_VECTOR_WEIGHTS,
): VectorSpace {
  return vectorSpaceOf(countTerms(docs, weighting), weighting);
}

/**
 * The vectors of counted documents (term-counts.ts). Each document's array of counts becomes
 * its weights in place: no second array per document (8 bytes a term; the ingest bench's
 * 10,000 articles have 640,000 terms).
 */
export function vectorSpaceOf(counts: TermCounts, weighting: VectorWeights = DEFAULT_VECTOR_WEIGHTS): VectorSpace {
  const terms = counts.vocab.length;
  const df = new Int32Array(terms);
  for (const doc of counts.docs) for (let i = 0; i < doc.terms.length; i += 1) df[doc.terms[i]!]! += 1;
  const cjkTerm = new Uint8Array(terms);
  counts.vocab.forEach((term, id) => {
    if (CJK.test(term)) cjkTerm[id] = 1;
  });
  const n = counts.docs.length;
  const latinNorm = new Float32Array(n);
  const vectors = counts.docs.map(({ terms, tf: weights }, doc): SparseVector => {
    let norm = 0;
    for (let i = 0; i < terms.length; i += 1) {
      const id = terms[i]!;
      // The pseudo-count keeps a handful of articles from making every unshared word dominant.
      const idf = Math.log((n + IDF_PSEUDO_DOCS) / df[id]!) ** weighting.idfPower;
      const w = (1 + Math.log(weights[i]!)) * idf * (counts.entity[id] ? weighting.entity : 1);
      weights[i] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    let latin = 0;
    for (let i = 0; i < weights.length; i += 1) {
      weights[i]! /= norm;
      if (!cjkTerm[terms[i]!]) latin += weights[i]! * weights[i]!;
    }
    latinNorm[doc] = Math.sqrt(latin);
    return { terms, weights };
  });
  return { vectors, df, latinNorm, cjkTerm };
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** A document written mostly in a CJK script: less than this share of its vector is Latin. */
const MOSTLY_CJK = 0.5;

/**
 * Similarity across scripts: a Chinese report of the event shares no words with an English one,
 * only the names and figures both write in Latin letters and digits ("DeepSeek", "GPT-5.6",
 * "3"). When exactly one of the two documents is mostly CJK, the cosine is taken over that
 * document's non-CJK terms alone (renormalised), against the other's whole vector: it says how
 * much of the English report the Chinese one's Latin names and numbers cover. Otherwise 0.
 */
export function crossScriptCosine(space: VectorSpace, i: number, j: number): number {
  const ni = space.latinNorm[i]!;
  const nj = space.latinNorm[j]!;
  if (ni < MOSTLY_CJK === nj < MOSTLY_CJK) return 0;
  const [c, other] = ni < nj ? [i, j] : [j, i];
  const norm = space.latinNorm[c]!;
  if (norm === 0) return 0;
  const a = space.vectors[c]!;
  const b = space.vectors[other]!;
  let x = 0;
  let y = 0;
  let dot = 0;
  while (x < a.terms.length && y < b.terms.length) {
    const ta = a.terms[x]!;
    const tb = b.terms[y]!;
    if (ta === tb) {
      if (!space.cjkTerm[ta]) dot += a.weights[x]! * b.weights[y]!;
      x += 1;
      y += 1;
    } else if (ta < tb) x += 1;
    else y += 1;
  }
  return dot / (norm * space.latinNorm[other]!);
}

/** What two vectors share: their cosine and how strongly they share rare terms (see pairOverlap). */
export interface PairOverlap {
  cosine: number;
  rarity: number;
}

const scratch: PairOverlap = { cosine: 0, rarity: 0 };

/** Cosine of two normalised sparse vectors. */
export function cosine(a: SparseVector, b: SparseVector): number {
  return pairOverlap(a, b, undefined, 0, scratch).cosine;
}

/**
 * Cosine and shared rarity of two vectors in one merge of their term lists, written into `out`
 * (reused by the caller: this runs for every candidate pair and allocates nothing).
 *
 * Shared rarity: each shared term counts 2 / df, the share of the documents holding it that
 * these two make up, summed. A name or phrase only these two articles use ("Zhou Lan", a bill
 * number) counts 1; a term of a whole topic ("Taliban", df 60) counts almost nothing. Unlike a
 * fixed "df ≤ 3" cut, the weight fades with df instead of stopping at a size that suits one
 * corpus. Terms in more than `maxDf` documents do not count: in a handful of documents every
 * shared word looks rare, and the many small shares of common words would add up to noise.
 * Without `df`, rarity is not counted.
 */
export function pairOverlap(a: SparseVector, b: SparseVector, df: Int32Array | undefined, maxDf: number, out: PairOverlap): PairOverlap {
  let i = 0;
  let j = 0;
  let sum = 0;
  let rarity = 0;
  const at = a.terms;
  const bt = b.terms;
  while (i < at.length && j < bt.length) {
    const x = at[i]!;
    const y = bt[j]!;
    if (x === y) {
      sum += a.weights[i]! * b.weights[j]!;
      if (df !== undefined && df[x]! <= maxDf) rarity += 2 / df[x]!;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  out.cosine = sum;
  out.rarity = rarity;
  return out;
}
