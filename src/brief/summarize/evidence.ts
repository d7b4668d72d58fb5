/**
 * Evidence selection: which sentences of a story's articles go into the prompt. Run before
 * prompting so that prompt tokens per story stay bounded however many articles cover it.
 *
 * Order of keeping, within a token budget:
 *  1. every sentence carrying a figure whose value no kept sentence has yet (figures are what
 *     verification checks and what readers scan for, so none may be lost to the budget);
 *  2. the best sentence of each article not yet represented, so every source can be cited
 *     (this pass may go past the budget, up to a hard cap);
 *  3. the rest by score: attributed claims, centrality (terms other articles share), lead
 *     position, and how many articles repeated the sentence.
 * Near-identical sentences across articles (syndication, wire copy) are kept once.
 */
import { createHash } from 'node:crypto';
import type { StoryArticle } from '../../core/types.ts';
import { tokenize } from '../../text/tokenize.ts';
import { findFigures } from './figures.ts';
import { escapeAttribute, escapeForFence } from '../../llm/json.ts';
import { estimateTokens } from '../../llm/budget.ts';
import { addressesMachine } from '../../text/instructions.ts';
import { splitSentences } from '../../text/sentences.ts';

/** Default evidence budget per prompt, in estimated tokens (fence headers included). */
export const DEFAULT_EVIDENCE_TOKENS = 2500;

export interface EvidenceArticle {
  readonly id: string;
  readonly title: string;
  readonly publisher?: string;
  readonly publishedAt?: string;
  /** Kept sentences, in the article's own order. */
  readonly sentences: readonly string[];
}

export interface Evidence {
  /** Every article of the input, in input order (some may have no sentence kept). */
  readonly articles: readonly EvidenceArticle[];
  /** The fenced text that goes into the prompt. */
  readonly text: string;
  /** Estimated tokens of `text`. */
  readonly tokens: number;
  /** Distinct figure values present in the kept sentences. */
  readonly figureValues: readonly string[];
  /** Sentences left out as near-duplicates of a kept one. */
  readonly duplicates: number;
  /** sha256 of `text`: the cache key's content part. */
  readonly hash: string;
}

interface Candidate {
  readonly article: number;
  readonly position: number;
  readonly text: string;
  readonly terms: ReadonlySet<string>;
  readonly figures: readonly string[];
  readonly tokens: number;
  /** Articles that carry this sentence or a near-identical one. */
  copies: number;
  score: number;
}

const ATTRIBUTION =
  /\b(said|says|told|according to|argued|argues|estimated|estimates|warned|warns|claimed|claims|reported|believes|stated|noted|wrote)\b|["“”]/i;
const MIN_TERMS = 4;
const DIGIT = /\d/;
const NEAR_DUPLICATE = 0.7;
const MAX_BUCKET_SCAN = 48;

function normalizeValue(value: string): string {
  return value.toLowerCase().replace(/\s+/g, '');
}

function headerOf(a: Pick<StoryArticle, 'id' | 'title' | 'publisher' | 'publishedAt'>): string {
  const attrs = [`id="${escapeAttribute(a.id)}"`, `title="${escapeAttribute(a.title)}"`];
  if (a.publisher) attrs.push(`publisher="${escapeAttribute(a.publisher)}"`);
  if (a.publishedAt) attrs.push(`published="${escapeAttribute(a.publishedAt.slice(0, 10))}"`);
  return `<article ${attrs.join(' ')}>`;
}

/** Fences articles' kept sentences as data: `<article id="a1" …>\n…\n</article>`. */
export function renderEvidence(articles: readonly EvidenceArticle[]): string {
  return articles.map((a) => `${headerOf(a)}\n${escapeForFence(a.sentences.join(' '))}\n</article>`).join('\n\n');
}

function candidatesOf(articles: readonly StoryArticle[]): Candidate[] {
  const out: Candidate[] = [];
  articles.forEach((article, ai) => {
    splitSentences(article.text).forEach((text, position) => {
      // A planted instruction is never evidence (text/instructions.ts); the brief stage has
      // already screened articles, this keeps direct callers safe too.
      if (addressesMachine(text)) return;
      const figures = findFigures(text).map((f) => f.value);
      const terms = new Set(tokenize(text).filter((t) => t.length > 1 || DIGIT.test(t)));
      if (terms.size < MIN_TERMS && figures.length === 0) return;
      out.push({
        article: ai,
        position,
        text,
        terms,
        figures,
        tokens: estimateTokens(text) + 1,
        copies: 1,
        score: 0,
      });
    });
  });
  return out;
}

/** Drops near-identical sentences, keeping the first (most relevant article); counts copies. */
function dedupe(candidates: readonly Candidate[]): { kept: Candidate[]; duplicates: number } {
  const df = new Map<string, number>();
  for (const c of candidates) for (const t of c.terms) df.set(t, (df.get(t) ?? 0) + 1);
  // Only sentences sharing one of their three rarest terms are compared: near-identical
  // sentences share them, and the comparisons stay near-linear.
  const index = new Map<string, Candidate[]>();
  const exact = new Map<string, Candidate>();
  const kept: Candidate[] = [];
  let duplicates = 0;
  for (const c of candidates) {
    const key = `${[...c.terms].sort().join(' ')}|${c.figures.join('|')}`;
    const rare = [...c.terms].sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0) || (a < b ? -1 : 1)).slice(0, 3);
    let original: Candidate | undefined = exact.get(key);
    const seen = new Set<Candidate>();
    for (const t of original ? [] : rare) {
      // Bounded scan of the most recent sentences sharing the term: exact copies were caught
      // by key above, and a small vocabulary must not make this quadratic.
      const bucket = index.get(t) ?? [];
      for (const other of bucket.slice(-MAX_BUCKET_SCAN)) {
        if (seen.has(other)) continue;
        seen.add(other);
        // Same words around a different number are different facts ("counted 100" / "counted 101").
        if (c.figures.some((v) => !other.figures.includes(v))) continue;
        if ([...c.terms].some((t) => DIGIT.test(t) && !other.terms.has(t))) continue;
        let shared = 0;
        for (const term of c.terms) if (other.terms.has(term)) shared++;
        const jaccard = shared / (c.terms.size + other.terms.size - shared || 1);
        if (jaccard >= NEAR_DUPLICATE) {
          original = other;
          break;
        }
      }
      if (original) break;
    }
    if (original) {
      if (original.article !== c.article) original.copies++;
      duplicates++;
      continue;
    }
    kept.push(c);
    exact.set(key, c);
    for (const t of rare) {
      const list = index.get(t) ?? [];
      list.push(c);
      index.set(t, list);
    }
  }
  return { kept, duplicates };
}

function score(candidates: readonly Candidate[], articleCount: number): void {
  const articlesWithTerm = new Map<string, Set<number>>();
  for (const c of candidates) {
    for (const t of c.terms) {
      const set = articlesWithTerm.get(t) ?? new Set<number>();
      set.add(c.article);
      articlesWithTerm.set(t, set);
    }
  }
  const others = Math.max(1, articleCount - 1);
  for (const c of candidates) {
    let central = 0;
    for (const t of c.terms) central += ((articlesWithTerm.get(t)?.size ?? 1) - 1) / others;
    central = c.terms.size > 0 ? central / c.terms.size : 0;
    c.score =
      (c.figures.length > 0 ? 3 : 0) +
      (ATTRIBUTION.test(c.text) ? 1.5 : 0) +
      2 * central +
      Math.max(0, 1.5 - 0.5 * c.position) +
      0.5 * Math.log2(c.copies);
  }
}

/**
 * Selects the evidence of a story within `budgetTokens` (estimated, fence headers included;
 * the one-sentence-per-article pass may stretch to `maxTokens`).
 * Figure sentences are kept first even if they alone exceed the budget, so no figure is lost;
 * callers split very large stories into chunks (map-reduce) before that happens.
 */
export function selectEvidence(
  articles: readonly StoryArticle[],
  options: {
    /** Evidence tokens to aim for (default 2,500). */
    readonly budgetTokens?: number;
    /** Hard cap the one-sentence-per-article pass may stretch to (default 1.6 × budget). */
    readonly maxTokens?: number;
  } = {},
): Evidence {
  const budget = options.budgetTokens ?? DEFAULT_EVIDENCE_TOKENS;
  const { kept: candidates, duplicates } = dedupe(candidatesOf(articles));
  score(candidates, articles.length);
  const byScore = [...candidates].sort((a, b) => b.score - a.score || a.article - b.article || a.position - b.position);

  const chosen = new Set<Candidate>();
  const represented = new Set<number>();
  const headerTokens = articles.map((a) => estimateTokens(headerOf(a)) + 4);
  let used = 0;
  const take = (c: Candidate): void => {
    chosen.add(c);
    used += c.tokens + (represented.has(c.article) ? 0 : headerTokens[c.article]!);
    represented.add(c.article);
  };
  const cost = (c: Candidate): number => c.tokens + (represented.has(c.article) ? 0 : headerTokens[c.article]!);

  const covered = new Set<string>();
  for (const c of byScore) {
    const fresh = c.figures.map(normalizeValue).filter((v) => !covered.has(v));
    if (fresh.length === 0) continue;
    take(c);
    for (const v of c.figures) covered.add(normalizeValue(v));
  }
  const bestOfArticle = new Map<number, Candidate>();
  for (const c of byScore) if (!bestOfArticle.has(c.article)) bestOfArticle.set(c.article, c);
  // Citability may stretch the budget up to a hard cap: a source the model never saw can't be cited.
  const cap = options.maxTokens ?? Math.round(budget * 1.6);
  for (const [ai, c] of [...bestOfArticle.entries()].sort((x, y) => x[0] - y[0])) {
    if (!represented.has(ai) && used + cost(c) <= cap) take(c);
  }
  for (const c of byScore) {
    if (!chosen.has(c) && used + cost(c) <= budget) take(c);
  }

  const evidenceArticles: EvidenceArticle[] = articles.map((a, ai) => ({
    id: a.id,
    title: a.title,
    ...(a.publisher !== undefined && { publisher: a.publisher }),
    ...(a.publishedAt !== undefined && { publishedAt: a.publishedAt }),
    sentences: candidates
      .filter((c) => c.article === ai && chosen.has(c))
      .sort((x, y) => x.position - y.position)
      .map((c) => c.text),
  }));
  const text = renderEvidence(evidenceArticles.filter((a) => a.sentences.length > 0));
  const figureValues = [...new Set([...chosen].flatMap((c) => c.figures))];
  return {
    articles: evidenceArticles,
    text,
    tokens: estimateTokens(text),
    figureValues,
    duplicates,
    hash: createHash('sha256').update(text).digest('hex'),
  };
}
