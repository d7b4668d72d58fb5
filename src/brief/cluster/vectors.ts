/**
 * TF-IDF vectors for clustering: title words count extra, named entities count extra, and
 * every vector is L2-normalised so a dot product is a cosine. Terms are interned as integer
 * ids and each vector is stored as sorted parallel arrays, which keeps memory flat and makes
 * a dot product a linear merge.
 */
import { tokenize } from '../../text/tokenize.ts';
import { entities } from './entities.ts';

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

export interface VectorWeights {
  /** How many times a title token counts: headlines name the event most directly. */
  title: number;
  /** Multiplier on entity terms: a shared name or figure says more than a shared word. */
  entity: number;
  /** Exponent on idf: above 1 favours rare terms over common ones even more. */
  idfPower: number;
  /**
   * Count of a pair of adjacent tokens ("debt ceiling") relative to a single token; 0 = off.
   * Off by default: on the real eval set it traded recall for precision with no F1 gain.
   */
  bigram: number;
}

/** Documents added to N in idf = log((N + this) / df): idf stays meaningful on small sets. */
const IDF_PSEUDO_DOCS = 20;

export const DEFAULT_VECTOR_WEIGHTS = { title: 3, entity: 1.5, idfPower: 1, bigram: 0 } as const satisfies VectorWeights;

/** Builds TF-IDF vectors for documents given as title and body. */
export function buildVectors(
  docs: ReadonlyArray<{ title: string; text: string }>,
  weighting: VectorWeights = DEFAULT_VECTOR_WEIGHTS,
): VectorSpace {
  const ids = new Map<string, number>();
  // Each document's term counts as sorted typed arrays, not a Map per document: 10,000
  // documents' Maps held some 80 MB until the weights were computed. The counts are kept in 32
  // bits (whole numbers with the default weights, so exact; a fractional bigram weight rounds
  // at the eighth digit, far below any threshold) and each array of counts becomes the
  // document's weights in place: no second array per document (8 bytes a term; the ingest
  // bench's 10,000 articles have 640,000 terms).
  const counts: Array<{ terms: Int32Array; tf: Float32Array }> = [];
  const isEntity: boolean[] = [];
  const local = new Map<string, number>();
  const tf = new Map<number, number>();
  for (const doc of docs) {
    // Count by string first, then intern each distinct term once.
    local.clear();
    tf.clear();
    const count = (tokens: readonly string[], weight: number): void => {
      for (let i = 0; i < tokens.length; i += 1) {
        const t = tokens[i]!;
        local.set(t, (local.get(t) ?? 0) + weight);
        if (weighting.bigram > 0 && i > 0) {
          const pair = `${tokens[i - 1]} ${t}`;
          local.set(pair, (local.get(pair) ?? 0) + weight * weighting.bigram);
        }
      }
    };
    count(tokenize(doc.title), weighting.title);
    count(tokenize(doc.text), 1);
    for (const [term, c] of local) tf.set(intern(ids, term), c);
    for (const e of entities(`${doc.title}\n${doc.text}`)) {
      const id = intern(ids, e);
      isEntity[id] = true;
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    const terms = Int32Array.from(tf.keys()).sort();
    counts.push({ terms, tf: Float32Array.from(terms, (id) => tf.get(id)!) });
  }
  const df = new Int32Array(ids.size);
  for (const { terms } of counts) for (let i = 0; i < terms.length; i += 1) df[terms[i]!]! += 1;
  const cjkTerm = new Uint8Array(ids.size);
  for (const [term, id] of ids) if (CJK.test(term)) cjkTerm[id] = 1;
  const latinNorm = new Float32Array(docs.length);
  const n = docs.length;
  const vectors = counts.map(({ terms, tf: weights }, doc): SparseVector => {
    let norm = 0;
    for (let i = 0; i < terms.length; i += 1) {
      const id = terms[i]!;
      // The pseudo-count keeps a handful of articles from making every unshared word dominant.
      const idf = Math.log((n + IDF_PSEUDO_DOCS) / df[id]!) ** weighting.idfPower;
      const w = (1 + Math.log(weights[i]!)) * idf * (isEntity[id] ? weighting.entity : 1);
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

function intern(ids: Map<string, number>, term: string): number {
  let id = ids.get(term);
  if (id === undefined) {
    id = ids.size;
    ids.set(term, id);
  }
  return id;
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
