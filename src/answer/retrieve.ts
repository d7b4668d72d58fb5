/**
 * Passage retrieval for follow-up questions: BM25 over short windows of sentences of the
 * brief's sources. Besides the BM25 score, each passage carries how much of the question it
 * covers (IDF-weighted share of the question's terms), which is what decides whether the
 * sources answer the question at all: a term no source contains weighs the most.
 */
import { splitSentences } from '../text/sentences.ts';
import { tokenize } from '../text/tokenize.ts';

export interface RetrievalSource {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

export interface Passage {
  /** Id of the source the passage comes from. */
  readonly sourceId: string;
  readonly text: string;
  readonly score: number;
  /** IDF-weighted share (0–1) of the question's terms that the passage contains. */
  readonly coverage: number;
}

export interface Retrieval {
  /** Best first, not overlapping one another. */
  readonly passages: readonly Passage[];
  /**
   * IDF-weighted share (0–1) of the question's terms found in the passages together: low
   * when the question is about something the sources never mention.
   */
  readonly coverage: number;
}

export interface RetrieveOptions {
  /** Passages returned at most (default 5). */
  readonly limit?: number;
  /** Sentences per passage window (default 2). */
  readonly window?: number;
}

const K1 = 1.2;
const B = 0.75;

interface Window {
  readonly sourceId: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly tf: ReadonlyMap<string, number>;
  readonly length: number;
}

const NOTHING: Retrieval = { passages: [], coverage: 0 };

/** The best passages for a question, and how much of the question they cover. */
export function retrievePassages(question: string, sources: readonly RetrievalSource[], options: RetrieveOptions = {}): Retrieval {
  const limit = options.limit ?? 5;
  const size = Math.max(1, options.window ?? 2);
  const queryTerms = [...new Set(tokenize(question))];
  if (queryTerms.length === 0) return NOTHING;

  const windows: Window[] = [];
  for (const source of sources) {
    const sentences = splitSentences(source.text);
    // Windows of `size` sentences, stride 1, so an answer spanning two sentences is one passage.
    const last = Math.max(0, sentences.length - size);
    for (let start = 0; start <= last; start++) {
      const text = sentences.slice(start, start + size).join(' ');
      const tokens = tokenize(`${start === 0 ? `${source.title} ` : ''}${text}`);
      if (tokens.length === 0) continue;
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      windows.push({ sourceId: source.id, start, end: start + size, text, tf, length: tokens.length });
    }
  }
  if (windows.length === 0) return NOTHING;

  const avgLength = windows.reduce((sum, w) => sum + w.length, 0) / windows.length;
  const idf = new Map<string, number>();
  const absent: string[] = [];
  for (const term of queryTerms) {
    const df = windows.filter((w) => w.tf.has(term)).length;
    if (df === 0) absent.push(term);
    else idf.set(term, Math.log(1 + (windows.length - df + 0.5) / (df + 0.5)));
  }
  // A term no source contains would get the highest IDF of all, so one generic word the
  // sources happen not to use ("how big is the gap") would sink the coverage; it weighs as
  // much as an average present term instead.
  const present = [...idf.values()];
  const meanIdf = present.length > 0 ? present.reduce((a, b) => a + b, 0) / present.length : 1;
  for (const term of absent) idf.set(term, meanIdf);
  const totalIdf = queryTerms.reduce((sum, t) => sum + idf.get(t)!, 0);

  const scored = windows
    .map((w) => {
      let score = 0;
      let covered = 0;
      for (const term of queryTerms) {
        const f = w.tf.get(term);
        if (f === undefined) continue;
        const weight = idf.get(term)!;
        covered += weight;
        score += (weight * f * (K1 + 1)) / (f + K1 * (1 - B + (B * w.length) / avgLength));
      }
      return { w, score, coverage: totalIdf > 0 ? covered / totalIdf : 0 };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.w.start - b.w.start);

  const chosen: typeof scored = [];
  for (const s of scored) {
    const overlaps = chosen.some((c) => c.w.sourceId === s.w.sourceId && c.w.start < s.w.end && s.w.start < c.w.end);
    if (!overlaps) chosen.push(s);
    if (chosen.length >= limit) break;
  }
  const covered = queryTerms.filter((t) => chosen.some((s) => s.w.tf.has(t)));
  return {
    passages: chosen.map((s) => ({ sourceId: s.w.sourceId, text: s.w.text, score: s.score, coverage: s.coverage })),
    coverage: totalIdf > 0 ? covered.reduce((sum, t) => sum + idf.get(t)!, 0) / totalIdf : 0,
  };
}
