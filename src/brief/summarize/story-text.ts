/**
 * A story's text prepared for extractive summarizing: furniture-free sentences, merged when
 * several articles state the same thing, with TF-IDF centrality against the story's centroid.
 * Linear in the number of sentences (a centroid, not all-pairs TextRank), so a story of a
 * thousand near-identical copies stays fast.
 */
import type { StoryArticle } from '../../core/types.ts';
import { isFurnitureSentence } from './figures.ts';
import { addressesMachine } from '../../text/instructions.ts';
import { normalizeForMatch } from '../../text/normalize.ts';
import { contentTokens } from '../../text/tokenize.ts';
import { splitSentences } from '../../text/sentences.ts';

/** One distinct sentence of the story. */
export interface StorySentence {
  /** Cleaned text, as written (markdown marks removed). */
  readonly text: string;
  readonly tokens: readonly string[];
  readonly tokenSet: ReadonlySet<string>;
  /** Articles that state this sentence (exactly, after normalising), in story order. */
  readonly articleIds: string[];
  /** Its first article, by story order. */
  readonly articleId: string;
  /** Position in that article's body (0 = lead). */
  readonly position: number;
  /** True for a headline or subhead line (no closing punctuation, short). */
  readonly heading: boolean;
  /** Centrality in [0, ∞): higher is more central. */
  score: number;
}

export interface PreparedStory {
  readonly articles: readonly StoryArticle[];
  readonly sentences: StorySentence[];
  /** Cleaned titles by article id. */
  readonly titles: ReadonlyMap<string, string>;
  /** Normalised full text (title + body) by article id, for "does it contain" checks. */
  readonly normText: ReadonlyMap<string, string>;
  readonly idf: (token: string) => number;
  readonly centroid: ReadonlyMap<string, number>;
}

/** Sentences read per article: the lead carries the news; long tails are mostly filler. */
const MAX_SENTENCES_PER_ARTICLE = 80;

/**
 * Undoes what careless HTML-to-text leaves: markdown headings and bold spans run into the
 * text ("…Innovation**In an interview"), sentences glued without a space ("model.In").
 * The glue points are found by lookarounds of fixed length: a capture of the lowercase run
 * before them (`\p{Ll}{2,}`) was retried from every letter of a long run, quadratic (a feed
 * item of one 300,000-letter word took 160 s to brief).
 */
export function unglue(text: string): string {
  return text
    .replace(/\s*#{2,6}\s*/g, '\n')
    .replace(/\*\*([^*\n]{3,200})\*\*/g, '\n$1\n')
    .replace(/(?=\p{Lu}\p{Ll})(?<=\p{Ll}{3}[.!?]["”’]?)/gu, ' ')
    .replace(/(?=(?:In|The|This|That|While|As|According|Against|However|But|A|An)\s)(?<=\p{Ll}{2})/gu, '\n');
}

/** Removes markdown marks and stray separators a text extraction may leave. */
export function cleanSentence(text: string): string {
  return text
    .replace(/^#+\s*/, '')
    .replace(/\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)/g, '')
    .replace(/^\s*[|•·>\-–—]+\s*|\s*[|]+\s*$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Headline cleanup: quotes around it, markdown, a trailing " | Outlet" or " - Outlet". */
export function cleanTitle(title: string): string {
  let t = cleanSentence(title)
    .replace(/^["“'‘]+|["”'’]+$/g, '')
    .replace(/[.]$/, '')
    .trim();
  const suffix = /\s+[|\-–—:]\s+([^|\-–—:]+)$/.exec(t);
  if (suffix && suffix[1]!.trim().split(/\s+/).length <= 4 && t.length - suffix[0].length > 20) t = t.slice(0, suffix.index);
  return t.trim();
}

const FURNITURE =
  /^(?:advertisement|share|share this|related|read more|see also|view original source|back to|sign up|follow us|tags?:|ai)$|←|→|view original source|log in or register|no comments yet|be the first to comment|photo by|\[photo[:\s]|^photo:|^image:|all rights reserved|click here|subscribe/i;

function isFurniture(text: string): boolean {
  // A planted instruction ("note to AI summarizers…") is never the story's text.
  if (FURNITURE.test(text) || isFurnitureSentence(text) || addressesMachine(text)) return true;
  if (/^https?:\/\/\S+$/.test(text)) return true;
  if (!/[\p{L}]/u.test(text)) return true;
  return false;
}

function tfidf(tokens: readonly string[], idf: (t: string) => number): Map<string, number> {
  const v = new Map<string, number>();
  for (const t of tokens) v.set(t, (v.get(t) ?? 0) + 1);
  for (const [t, n] of v) v.set(t, (1 + Math.log(n)) * idf(t));
  return v;
}

function norm(v: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const x of v.values()) s += x * x;
  return Math.sqrt(s);
}

/**
 * Cosine of a sparse vector against the centroid. Clustering has its own (cluster/vectors.ts)
 * over a different shape: there terms are interned integers in sorted arrays, normalised once,
 * so a cosine is an allocation-free merge run for millions of pairs; here a story's few hundred
 * sentence vectors are keyed by the word itself and compared to one centroid. One function for
 * both would cost clustering an interning layer it already has, or cost this one its plainness.
 */
export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, bNorm = norm(b)): number {
  let dot = 0;
  for (const [t, x] of a) dot += x * (b.get(t) ?? 0);
  const d = norm(a) * bNorm;
  return d === 0 ? 0 : dot / d;
}

/** Jaccard similarity of two token sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const t of small) if (large.has(t)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Splits, cleans, merges and scores a story's sentences. */
export function prepareStory(articles: readonly StoryArticle[]): PreparedStory {
  const byKey = new Map<string, StorySentence>();
  const titles = new Map<string, string>();
  const normText = new Map<string, string>();
  const titleKeys = new Set<string>();
  for (const a of articles) {
    const title = cleanTitle(a.title);
    titles.set(a.id, title);
    titleKeys.add(normalizeForMatch(title));
    normText.set(a.id, normalizeForMatch(`${a.title}\n${a.text}`));
  }
  for (const a of articles) {
    let position = 0;
    for (const raw of splitSentences(unglue(a.text))) {
      if (position >= MAX_SENTENCES_PER_ARTICLE) break;
      const text = cleanSentence(raw);
      if (!text || isFurniture(text)) continue;
      const key = normalizeForMatch(text);
      if (titleKeys.has(key.replace(/[.]$/, ''))) continue; // a repeated headline
      const existing = byKey.get(key);
      if (existing) {
        if (!existing.articleIds.includes(a.id)) existing.articleIds.push(a.id);
        continue;
      }
      const tokens = contentTokens(text);
      const cjk = /[\u3400-\u9fff]/.test(text);
      if (!cjk && tokens.length < 3) continue;
      const heading = !/[.!?。！？"”’)…]$/.test(text) && text.split(/\s+/).length <= 14;
      byKey.set(key, { text, tokens, tokenSet: new Set(tokens), articleIds: [a.id], articleId: a.id, position, heading, score: 0 });
      position++;
    }
  }
  const sentences = [...byKey.values()];

  const df = new Map<string, number>();
  for (const s of sentences) for (const t of s.tokenSet) df.set(t, (df.get(t) ?? 0) + 1);
  const n = Math.max(1, sentences.length);
  const idf = (t: string): number => Math.log(1 + n / (1 + (df.get(t) ?? 0)));

  // The centroid gives every article one vote (a long, wordy article must not outvote a short
  // one); a sentence stated by several articles counts in each of them: agreement across sources.
  const centroid = new Map<string, number>();
  const vectors = sentences.map((s) => tfidf(s.tokens, idf));
  const perArticle = new Map<string, Map<string, number>>();
  sentences.forEach((s, i) => {
    for (const id of s.articleIds) {
      const v = perArticle.get(id) ?? new Map<string, number>();
      for (const [t, x] of vectors[i]!) v.set(t, (v.get(t) ?? 0) + x);
      perArticle.set(id, v);
    }
  });
  for (const v of perArticle.values()) {
    const len = norm(v) || 1;
    for (const [t, x] of v) centroid.set(t, (centroid.get(t) ?? 0) + x / len);
  }
  const cNorm = norm(centroid);
  sentences.forEach((s, i) => {
    const words = s.text.split(/\s+/).length;
    const lead = s.position === 0 ? 0.35 : s.position === 1 ? 0.2 : s.position <= 3 ? 0.1 : 0;
    const support = Math.log2(1 + s.articleIds.length) - 1;
    const shape = s.heading ? 0.5 : words < 6 ? 0.6 : words > 55 ? 0.7 : 1;
    s.score = cosine(vectors[i]!, centroid, cNorm) * (1 + lead) * (1 + 0.15 * support) * shape;
  });
  return { articles, sentences, titles, normText, idf, centroid };
}

/** Sparse TF-IDF vector of a text against the story's statistics. */
export function vectorOf(story: PreparedStory, text: string): Map<string, number> {
  return tfidf(contentTokens(text), story.idf);
}
