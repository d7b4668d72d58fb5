/**
 * Candidate search: which pairs of documents are worth an exact cosine. Each document is
 * indexed under its few most distinctive terms; a document is compared only with documents
 * sharing one of those terms, and only with its best-scoring few. Cost grows with
 * documents × terms kept × posting cap, not with documents squared.
 */
import type { SparseVector } from './vectors.ts';

export interface CandidateOptions {
  /** Distinctive terms indexed per document. */
  topTerms: number;
  /** Posting lists longer than this are only scanned in a window around the document. */
  postingCap: number;
  /** Candidates kept per document, best partial scores first. */
  perDoc: number;
  /** Partial score (dot product over shared top terms) below which a pair is not worth a cosine. */
  minScore: number;
}

/**
 * 32 top terms, not 16: with 16, 110 of the 1,443 same-story AllSides pairs were never compared
 * (26 of them with cosine ≥ 0.1, and a pair never compared counts 0 in average link); with 32,
 * 70 (4 with cosine ≥ 0.1), for 2% more candidate pairs. perDoc still bounds the pairs per
 * document, and the scan grows by topTerms × postingCap: linear.
 */
export const DEFAULT_CANDIDATE_OPTIONS = { topTerms: 32, postingCap: 120, perDoc: 30, minScore: 0.01 } as const satisfies CandidateOptions;

/** Documents `from` ≤ d < `to`: the share of the search one thread does. */
export interface DocRange {
  readonly from: number;
  readonly to: number;
}

/**
 * Index pairs (i, j) with i < j, each once, in ascending order, flat: [i0, j0, i1, j1, …]. Flat
 * rather than an array per pair: the ingest bench's 10,000 articles give 188,000 pairs, whose
 * arrays held some 9 MB at once.
 *
 * With `range`, only the pairs found from the documents in it (either end may lie outside): the
 * union of the pairs of ranges that cover all documents is the pairs of all of them, so threads
 * can each search a range (cluster/pair-scores.ts).
 */
export function candidatePairs(
  vectors: readonly SparseVector[],
  df: Int32Array,
  options: CandidateOptions = DEFAULT_CANDIDATE_OPTIONS,
  range: DocRange = { from: 0, to: vectors.length },
): Int32Array {
  const n = vectors.length;
  const index = postingsOf(topTermsOf(vectors, df, options.topTerms), df.length);
  const { tops, starts, docs: postedDocs, weights: postedWeights } = index;

  const score = new Float64Array(n);
  // Documents touched from the current one, each once (a score starts at 0 and only grows).
  const touched = new Int32Array(Math.min(n, options.topTerms * (options.postingCap + 1)));
  // The best `perDoc` candidates of the current document, best first (score desc, index asc):
  // a bounded insertion, since most documents touch thousands of others and keep 30.
  const bestDocs = new Int32Array(options.perDoc);
  const bestScores = new Float64Array(options.perDoc);
  // Pair keys i·n + j (exact in a double for any realistic n); sorted and deduplicated at the end.
  const keys: number[] = [];
  const half = Math.floor(options.postingCap / 2);
  for (let d = range.from; d < range.to; d += 1) {
    let touchedCount = 0;
    for (let t = tops.offsets[d]!; t < tops.offsets[d + 1]!; t += 1) {
      const w = tops.weights[t]!;
      const term = tops.terms[t]!;
      let from = starts[term]!;
      let to = starts[term + 1]!;
      if (to - from > options.postingCap) {
        // A term this common links everything; keep only the documents next to this one.
        const at = lowerBound(postedDocs, from, to, d);
        from = Math.max(from, at - half);
        to = Math.min(to, at + half + 1);
      }
      for (let k = from; k < to; k += 1) {
        const e = postedDocs[k]!;
        if (e === d) continue;
        if (score[e] === 0) touched[touchedCount++] = e;
        score[e]! += w * postedWeights[k]!;
      }
    }
    let count = 0;
    for (let x = 0; x < touchedCount; x += 1) {
      const e = touched[x]!;
      const s = score[e]!;
      score[e] = 0;
      if (s < options.minScore) continue;
      if (count === options.perDoc && !better(s, e, bestScores[count - 1]!, bestDocs[count - 1]!)) continue;
      let at = count < options.perDoc ? count++ : count - 1;
      while (at > 0 && better(s, e, bestScores[at - 1]!, bestDocs[at - 1]!)) {
        bestScores[at] = bestScores[at - 1]!;
        bestDocs[at] = bestDocs[at - 1]!;
        at -= 1;
      }
      bestScores[at] = s;
      bestDocs[at] = e;
    }
    for (let k = 0; k < count; k += 1) {
      const e = bestDocs[k]!;
      keys.push(d < e ? d * n + e : e * n + d);
    }
  }
  const sorted = Float64Array.from(keys).sort();
  const pairs = new Int32Array(2 * sorted.length);
  let length = 0;
  for (let k = 0; k < sorted.length; k += 1) {
    const key = sorted[k]!;
    if (k > 0 && key === sorted[k - 1]) continue;
    const i = Math.floor(key / n);
    pairs[length++] = i;
    pairs[length++] = key - i * n;
  }
  return pairs.subarray(0, length);
}

/** Candidate order: higher partial score first, then the lower document index. */
function better(score: number, doc: number, thanScore: number, thanDoc: number): boolean {
  return score > thanScore || (score === thanScore && doc < thanDoc);
}

/** Each document's top terms, flat: document d's are terms[offsets[d]…offsets[d + 1]), heaviest first. */
interface TopTerms {
  offsets: Int32Array;
  terms: Int32Array;
  weights: Float32Array;
}

/** The k heaviest terms of each vector with document frequency ≥ 2, heaviest first (ties: the lower id first). */
function topTermsOf(vectors: readonly SparseVector[], df: Int32Array, k: number): TopTerms {
  const offsets = new Int32Array(vectors.length + 1);
  const terms = new Int32Array(vectors.length * k);
  const weights = new Float32Array(vectors.length * k);
  let end = 0;
  vectors.forEach((v, d) => {
    const start = end;
    for (let i = 0; i < v.terms.length; i += 1) {
      const term = v.terms[i]!;
      const w = v.weights[i]!;
      const size = end - start;
      if (df[term]! < 2 || (size === k && w <= weights[end - 1]!)) continue;
      // Insertion into a short sorted list: k is small, so this beats sorting every term.
      // After any equal weight already there; when full, the lightest falls off the end.
      let at = size === k ? end - 1 : end;
      while (at > start && weights[at - 1]! < w) {
        weights[at] = weights[at - 1]!;
        terms[at] = terms[at - 1]!;
        at -= 1;
      }
      weights[at] = w;
      terms[at] = term;
      if (size < k) end += 1;
    }
    offsets[d + 1] = end;
  });
  return { offsets, terms, weights };
}

/** Who holds each term among their top terms, as one array sorted by term then document. */
interface Postings {
  tops: TopTerms;
  /** Term t's postings are docs[starts[t]…starts[t + 1]), ascending, with their weights. */
  starts: Int32Array;
  docs: Int32Array;
  weights: Float32Array;
}

function postingsOf(tops: TopTerms, vocabulary: number): Postings {
  const n = tops.offsets.length - 1;
  const total = tops.offsets[n]!;
  const starts = new Int32Array(vocabulary + 1);
  for (let t = 0; t < total; t += 1) starts[tops.terms[t]! + 1]! += 1;
  for (let term = 0; term < vocabulary; term += 1) starts[term + 1]! += starts[term]!;
  const fill = starts.slice(0, vocabulary);
  const docs = new Int32Array(total);
  const weights = new Float32Array(total);
  for (let d = 0; d < n; d += 1) {
    for (let t = tops.offsets[d]!; t < tops.offsets[d + 1]!; t += 1) {
      const at = fill[tops.terms[t]!]!++;
      docs[at] = d;
      weights[at] = tops.weights[t]!;
    }
  }
  return { tops, starts, docs, weights };
}

/** The first index in sorted[from…to) holding a value ≥ x (to when none). */
function lowerBound(sorted: Int32Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
