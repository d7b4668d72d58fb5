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

/**
 * Index pairs (i, j) with i < j, each once, in ascending order, flat: [i0, j0, i1, j1, …]. Flat
 * rather than an array per pair: the ingest bench's 10,000 articles give 188,000 pairs, whose
 * arrays held some 9 MB at once.
 */
export function candidatePairs(
  vectors: readonly SparseVector[],
  df: Int32Array,
  options: CandidateOptions = DEFAULT_CANDIDATE_OPTIONS,
): Int32Array {
  const n = vectors.length;
  // Top terms per document, skipping terms only this document has (they cannot link anything).
  const tops = vectors.map((v) => topTerms(v, df, options.topTerms));
  const postings = new Map<number, { docs: number[]; weights: number[] }>();
  tops.forEach((items, doc) => {
    for (let k = 0; k < items.terms.length; k += 1) {
      const term = items.terms[k]!;
      const w = items.weights[k]!;
      let p = postings.get(term);
      if (!p) {
        p = { docs: [], weights: [] };
        postings.set(term, p);
      }
      p.docs.push(doc);
      p.weights.push(w);
    }
  });

  const score = new Float64Array(n);
  const touched: number[] = [];
  // The best `perDoc` candidates of the current document, best first (score desc, index asc):
  // a bounded insertion, since most documents touch thousands of others and keep 30.
  const bestDocs = new Int32Array(options.perDoc);
  const bestScores = new Float64Array(options.perDoc);
  // Pair keys i·n + j (exact in a double for any realistic n); sorted and deduplicated at the end.
  const keys: number[] = [];
  const half = Math.floor(options.postingCap / 2);
  for (let d = 0; d < n; d += 1) {
    const top = tops[d]!;
    for (let t = 0; t < top.terms.length; t += 1) {
      const w = top.weights[t]!;
      const p = postings.get(top.terms[t]!)!;
      let from = 0;
      let to = p.docs.length;
      if (to > options.postingCap) {
        // A term this common links everything; keep only the documents next to this one.
        const at = lowerBound(p.docs, d);
        from = Math.max(0, at - half);
        to = Math.min(p.docs.length, at + half + 1);
      }
      for (let k = from; k < to; k += 1) {
        const e = p.docs[k]!;
        if (e === d) continue;
        if (score[e] === 0) touched.push(e);
        score[e]! += w * p.weights[k]!;
      }
    }
    let count = 0;
    for (const e of touched) {
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
    touched.length = 0;
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

/** The k heaviest terms of a vector with document frequency ≥ 2, heaviest first. */
function topTerms(v: SparseVector, df: Int32Array, k: number): { terms: number[]; weights: number[] } {
  const terms: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < v.terms.length; i += 1) {
    const term = v.terms[i]!;
    const w = v.weights[i]!;
    if (df[term]! < 2 || (weights.length === k && w <= weights[k - 1]!)) continue;
    // Insertion into a short sorted list: k is small, so this beats sorting every term.
    let at = weights.length;
    while (at > 0 && weights[at - 1]! < w) at -= 1;
    terms.splice(at, 0, term);
    weights.splice(at, 0, w);
    if (weights.length > k) {
      terms.pop();
      weights.pop();
    }
  }
  return { terms, weights };
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
