/**
 * Verification: "cited or cut" (DESIGN.md, Promises 1). Every summarizer's draft passes
 * through here before anyone sees it. Pure: the same draft and articles give the same result.
 *
 * - every claim, figure and position keeps only citations to articles of its story, and is
 *   dropped when none is left;
 * - a figure's value must occur in a cited article; citations narrow to those that contain it;
 * - a claim or position must be supported by a cited article (token overlap with its best
 *   sentence), quoted text in it must occur verbatim, and its numbers must occur there too;
 * - a disagreement with fewer than two surviving positions is dropped;
 * - headline and summary lose numbers no story article contains.
 *
 * The articles are screened first (text/instructions.ts): a planted instruction is never
 * evidence, so its payload supports nothing.
 */
import type { Claim, Disagreement, Figure, Position, Story, StoryArticle, StoryDraft } from '../core/types.ts';
import { containsNormalized, normalizeForMatch, numbersIn } from '../text/normalize.ts';
import { contentTokens } from '../text/tokenize.ts';
import { screenInstructions } from '../text/instructions.ts';
import { splitSentences } from '../text/sentences.ts';

/** Something verification removed, with why; the caller logs the count. */
export interface DroppedItem {
  kind: 'claim' | 'figure' | 'position' | 'disagreement' | 'summary' | 'headline';
  text: string;
  reason: string;
}

/** Share of a claim's content tokens that must appear in one sentence of a cited article. */
export const SUPPORT_THRESHOLD = 0.5;

interface PreparedArticle {
  readonly id: string;
  readonly norm: string;
  /** Content-token sets of the article's sentences (title included). */
  readonly sentences: ReadonlyArray<ReadonlySet<string>>;
  readonly numbers: ReadonlySet<string>;
}

function prepare(article: StoryArticle): PreparedArticle {
  const full = `${article.title}\n${article.text}`;
  const sentences = splitSentences(full).map((s) => new Set(contentTokens(s)));
  return { id: article.id, norm: normalizeForMatch(full), sentences, numbers: new Set(numbersIn(full)) };
}

/** Best share of `tokens` found in one sentence of the article. */
function supportIn(article: PreparedArticle, tokens: readonly string[]): number {
  if (tokens.length === 0) return 1;
  const unique = [...new Set(tokens)];
  let best = 0;
  for (const sentence of article.sentences) {
    let hit = 0;
    for (const t of unique) if (sentence.has(t)) hit++;
    best = Math.max(best, hit / unique.length);
    if (best === 1) break;
  }
  return best;
}

/** Quoted passages of three words or more: they must be the source's words exactly. */
function quotesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/["“„«]([^"“”„«»]{3,}?)["”»]/g)) {
    const q = m[1]!.trim();
    if (q.split(/\s+/).length >= 3 || /[\u3400-\u9fff]{4,}/.test(q)) out.push(q);
  }
  return out;
}

type Check = { ok: true; ids: string[] } | { ok: false; reason: string };

/** Articles with planted instructions taken out: what verification (and summarizers) read. */
export function screenArticles(articles: readonly StoryArticle[]): StoryArticle[] {
  return articles.map((a) => {
    const { text, removed } = screenInstructions(a.text);
    return removed === 0 ? a : { ...a, text };
  });
}

export function verifyStory(story: StoryDraft, rawArticles: readonly StoryArticle[]): { story: Story; dropped: DroppedItem[] } {
  const articles = screenArticles(rawArticles);
  const prepared = new Map(articles.map((a) => [a.id, prepare(a)]));
  const dropped: DroppedItem[] = [];

  /** Known ids, deduplicated, in the draft's order. */
  const known = (ids: readonly string[]): string[] => [...new Set(ids)].filter((id) => prepared.has(id));

  /** Text that states something (claim or position): narrowed to the articles that support it. */
  const checkStatement = (text: string, ids: readonly string[]): Check => {
    const cited = known(ids);
    if (cited.length === 0) return { ok: false, reason: ids.length ? 'cites no article of this story' : 'cites nothing' };
    const tokens = contentTokens(text);
    const quotes = quotesIn(text).map(normalizeForMatch);
    const numbers = numbersIn(text);
    const failures = new Set<string>();
    const supporting = cited.filter((id) => {
      const a = prepared.get(id)!;
      if (!quotes.every((q) => a.norm.includes(q))) return failures.add('quoted text not in a cited article'), false;
      if (!numbers.every((n) => a.numbers.has(n) || containsNormalized(a.norm, n))) return failures.add('number not in a cited article'), false;
      if (supportIn(a, tokens) < SUPPORT_THRESHOLD) return failures.add('not supported by a cited article'), false;
      return true;
    });
    if (supporting.length === 0) return { ok: false, reason: [...failures].join('; ') || 'not supported by a cited article' };
    return { ok: true, ids: supporting };
  };

  const claims: Claim[] = [];
  for (const claim of story.claims) {
    const check = checkStatement(claim.text, claim.articleIds);
    if (check.ok) claims.push({ text: claim.text, articleIds: check.ids });
    else dropped.push({ kind: 'claim', text: claim.text, reason: check.reason });
  }

  const figures: Figure[] = [];
  for (const figure of story.figures) {
    const cited = known(figure.articleIds);
    const value = normalizeForMatch(figure.value);
    if (cited.length === 0) {
      dropped.push({ kind: 'figure', text: figure.value, reason: figure.articleIds.length ? 'cites no article of this story' : 'cites nothing' });
      continue;
    }
    const containing = cited.filter((id) => containsNormalized(prepared.get(id)!.norm, value));
    if (value === '' || containing.length === 0) {
      dropped.push({ kind: 'figure', text: figure.value, reason: 'value not found in a cited article' });
      continue;
    }
    // The context sentence must not carry numbers of its own that no containing article has.
    const stray = numbersIn(figure.text).filter((n) => !containing.some((id) => prepared.get(id)!.numbers.has(n)));
    const text = stray.length === 0 ? figure.text : figure.value;
    figures.push({ value: figure.value, text, articleIds: containing });
  }

  const disagreements: Disagreement[] = [];
  for (const d of story.disagreements) {
    const positions: Position[] = [];
    for (const p of d.positions) {
      const check = checkStatement(p.text, p.articleIds);
      if (check.ok) positions.push({ text: p.text, articleIds: check.ids });
      else dropped.push({ kind: 'position', text: p.text, reason: check.reason });
    }
    if (positions.length >= 2) disagreements.push({ about: d.about, positions });
    else dropped.push({ kind: 'disagreement', text: d.about, reason: `only ${positions.length} position(s) survived` });
  }

  // Headline and summary: numbers must come from the story's articles.
  const all = [...prepared.values()];
  const inSomeArticle = (n: string): boolean => all.some((a) => a.numbers.has(n) || containsNormalized(a.norm, n));
  let headline = story.headline;
  if (!numbersIn(headline).every(inSomeArticle)) {
    dropped.push({ kind: 'headline', text: headline, reason: 'number not in any article of the story' });
    headline = articles[0]?.title ?? '';
  }
  const kept: string[] = [];
  for (const sentence of splitSentences(story.summary)) {
    if (numbersIn(sentence).every(inSomeArticle)) kept.push(sentence);
    else dropped.push({ kind: 'summary', text: sentence, reason: 'number not in any article of the story' });
  }
  let summary = kept.join(' ');
  if (summary === '' && story.summary.trim() !== '') {
    summary = splitSentences(articles[0]?.text ?? '')[0] ?? '';
  }

  return {
    story: {
      id: story.id,
      headline,
      summary,
      articleIds: known(story.articleIds.length ? story.articleIds : articles.map((a) => a.id)),
      claims,
      figures,
      disagreements,
    },
    dropped,
  };
}
