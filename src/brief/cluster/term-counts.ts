/**
 * The first half of building vectors (vectors.ts): each document's term counts, its title's
 * tokens weighted up and its named entities added. Terms are numbered in order of first
 * appearance. Documents can be counted in slices, on several threads (cluster-threads.ts), and
 * the slices merged: the merge numbers the terms exactly as one pass over all documents would,
 * so the vectors, and every cosine summed over them in term order, come out the same.
 */
import { tokenize } from '../../text/tokenize.ts';
import { entities } from './entities.ts';

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

export const DEFAULT_VECTOR_WEIGHTS = { title: 3, entity: 1.5, idfPower: 1, bigram: 0 } as const satisfies VectorWeights;

/** Term counts of some documents, terms numbered within them. */
export interface TermCounts {
  /** The terms by number, in order of first appearance. */
  readonly vocab: string[];
  /** Per term number, 1 when some document has the term as a named entity. */
  readonly entity: Uint8Array;
  /** Per document, its term numbers ascending and their counts. */
  readonly docs: Array<{ terms: Int32Array; tf: Float32Array }>;
}

/** Term counts of `docs` (title and text each). */
export function countTerms(docs: ReadonlyArray<{ title: string; text: string }>, weighting: VectorWeights): TermCounts {
  const counter = new TermCounter(weighting);
  counter.add(docs);
  return counter.result();
}

/** Counts documents given a batch at a time (a helper thread gets its slice in batches). */
export class TermCounter {
  private readonly ids = new Map<string, number>();
  private readonly isEntity: number[] = [];
  private readonly counted: TermCounts['docs'] = [];
  // A document's counts accumulate by term number in `sums`, its terms listed in `touched` as
  // first met (`stamp` marks those of the current document). Each document's counts are then
  // sorted typed arrays, not a Map per document: 10,000 documents' Maps held some 80 MB until
  // the weights were computed. Counts are kept in 32 bits (whole numbers with the default
  // weights, so exact; a fractional bigram weight rounds at the eighth digit, far below any
  // threshold).
  private sums = new Float64Array(1024);
  private stamp = new Int32Array(1024);
  private readonly touched: number[] = [];
  private doc = 0;

  constructor(private readonly weighting: VectorWeights) {}

  add(docs: ReadonlyArray<{ title: string; text: string }>): void {
    const { touched } = this;
    for (const doc of docs) {
      this.doc += 1;
      touched.length = 0;
      this.count(tokenize(doc.title), this.weighting.title);
      this.count(tokenize(doc.text), 1);
      for (const e of entities(`${doc.title}\n${doc.text}`)) {
        const id = this.termId(e);
        this.isEntity[id] = 1;
        this.sums[id]! += 1;
      }
      const terms = Int32Array.from(touched).sort();
      this.counted.push({ terms, tf: Float32Array.from(terms, (id) => this.sums[id]!) });
    }
  }

  result(): TermCounts {
    const entity = new Uint8Array(this.ids.size);
    this.isEntity.forEach((flag, id) => (entity[id] = flag));
    return { vocab: [...this.ids.keys()], entity, docs: this.counted };
  }

  private count(tokens: readonly string[], weight: number): void {
    for (let i = 0; i < tokens.length; i += 1) {
      const t = tokens[i]!;
      // The number first: making one may grow (replace) the sums array.
      const id = this.termId(t);
      this.sums[id]! += weight;
      if (this.weighting.bigram > 0 && i > 0) {
        const pair = this.termId(`${tokens[i - 1]} ${t}`);
        this.sums[pair]! += weight * this.weighting.bigram;
      }
    }
  }

  /** The term's number (numbered on first appearance), its sum reset when first met in this document. */
  private termId(term: string): number {
    const id = intern(this.ids, term);
    if (id >= this.stamp.length) this.grow();
    if (this.stamp[id] !== this.doc) {
      this.stamp[id] = this.doc;
      this.sums[id] = 0;
      this.touched.push(id);
    }
    return id;
  }

  private grow(): void {
    const sums = new Float64Array(this.sums.length * 2);
    sums.set(this.sums);
    const stamp = new Int32Array(this.stamp.length * 2);
    stamp.set(this.stamp);
    this.sums = sums;
    this.stamp = stamp;
  }
}

function intern(ids: Map<string, number>, term: string): number {
  let id = ids.get(term);
  if (id === undefined) {
    id = ids.size;
    ids.set(term, id);
  }
  return id;
}

/** Positions within a document's terms, packed below each term number (see mergeTermCounts). */
const POSITION_SPAN = 2 ** 20;

/**
 * Counts of consecutive slices of the documents, as if counted in one pass: the first slice's
 * numbers stand, and each later slice's terms take the number their first appearance would have
 * had (an earlier slice's, or the next free one in the order this slice met them).
 */
export function mergeTermCounts(slices: readonly TermCounts[]): TermCounts {
  if (slices.length === 1) return slices[0]!;
  const first = slices[0]!;
  const ids = new Map(first.vocab.map((term, id) => [term, id]));
  const vocab = [...first.vocab];
  const entity: number[] = Array.from(first.entity);
  const docs = [...first.docs];
  for (const slice of slices.slice(1)) {
    const renumber = new Int32Array(slice.vocab.length);
    slice.vocab.forEach((term, local) => {
      let id = ids.get(term);
      if (id === undefined) {
        id = vocab.length;
        ids.set(term, id);
        vocab.push(term);
        entity.push(0);
      }
      renumber[local] = id;
      if (slice.entity[local]) entity[id] = 1;
    });
    for (const { terms, tf } of slice.docs) {
      // Renumbered terms are no longer in order: sorted again, each carrying its position (a
      // document has far fewer terms than POSITION_SPAN) so that its count follows it.
      const keys = new Float64Array(terms.length);
      for (let k = 0; k < terms.length; k += 1) keys[k] = renumber[terms[k]!]! * POSITION_SPAN + k;
      keys.sort();
      const sortedTerms = new Int32Array(terms.length);
      const sortedTf = new Float32Array(terms.length);
      for (let k = 0; k < keys.length; k += 1) {
        const id = Math.floor(keys[k]! / POSITION_SPAN);
        sortedTerms[k] = id;
        sortedTf[k] = tf[keys[k]! - id * POSITION_SPAN]!;
      }
      docs.push({ terms: sortedTerms, tf: sortedTf });
    }
  }
  return { vocab, entity: Uint8Array.from(entity), docs };
}
