/**
 * Verification: "cited or cut" (docs/contracts.md, promise 1), for every field of a story a reader
 * sees. Every summarizer's draft passes through here before anyone sees it. Pure: the same
 * draft and articles give the same result.
 *
 * The articles are screened first (text/instructions.ts): a planted instruction is never
 * evidence, so its payload supports nothing. Then, with "found" meaning numbers by value
 * (formatting tolerated, never a changed value), quotations word for word, attributed names
 * word by word (verify/support.ts):
 *
 * | field                | checked against                          | when it fails            |
 * | -------------------- | ---------------------------------------- | ------------------------ |
 * | headline             | numbers, quotes, names in the story's articles | rewritten from the articles (extractive headline) |
 * | summary, per sentence| the same                                 | sentence cut; all cut → extractive summary |
 * | claim                | citations limited to the story; one cited article must hold its numbers, quotes and names and a sentence saying most of it; citations narrow to those | cut |
 * | figure value         | a cited article states the value (verify/figures.ts); citations narrow to those | cut |
 * | figure sentence      | as a claim, against the articles stating the value | rewritten: the article's own sentence with the value |
 * | disagreement position| as a claim                               | cut; < 2 positions left → disagreement cut |
 * | disagreement label   | numbers, quotes, names in its positions' articles | rewritten to a neutral label |
 */
import type { Claim, Disagreement, Figure, Position, Story, StoryArticle, StoryDraft } from '../core/types.ts';
import { screenInstructions } from '../text/instructions.ts';
import { normalizeForMatch } from '../text/normalize.ts';
import { splitSentences } from '../text/sentences.ts';
import { summarizeExtractive } from './summarize/extractive.ts';
import { sentenceWithValue } from '../verify/figures.ts';
import { checkStatement, describe, prepareSource, problemsInAny, type PreparedSource } from '../verify/support.ts';

export { SUPPORT_THRESHOLD } from '../verify/support.ts';

/** Something verification removed or rewrote, with why; the caller logs and counts them. */
export interface DroppedItem {
  kind: 'claim' | 'figure' | 'figure-text' | 'position' | 'disagreement' | 'about' | 'summary' | 'headline';
  /** Cut: gone. Rewritten: replaced by the articles' own words. */
  action: 'cut' | 'rewritten';
  text: string;
  reason: string;
}

/** The label a disagreement gets when the model's own label can't be verified. */
export const NEUTRAL_LABEL = 'What the sources disagree on';

/**
 * The same claim or figure once, citing every article any copy cited: a rewritten figure
 * sentence can turn one item into a copy of another.
 */
function once<T extends { readonly articleIds: readonly string[] }>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const seen = byKey.get(k);
    byKey.set(k, seen ? { ...seen, articleIds: [...new Set([...seen.articleIds, ...item.articleIds])] } : item);
  }
  return [...byKey.values()];
}

/** Articles with planted instructions taken out: what verification (and summarizers) read. */
export function screenArticles(articles: readonly StoryArticle[]): StoryArticle[] {
  return articles.map((a) => {
    const { text, removed } = screenInstructions(a.text);
    return removed === 0 ? a : { ...a, text };
  });
}

export function verifyStory(story: StoryDraft, rawArticles: readonly StoryArticle[]): { story: Story; dropped: DroppedItem[] } {
  const articles = screenArticles(rawArticles);
  const prepared = new Map(articles.map((a) => [a.id, prepareSource(a.id, `${a.title}\n${a.text}`)]));
  const all = [...prepared.values()];
  const dropped: DroppedItem[] = [];
  const cut = (kind: DroppedItem['kind'], text: string, reason: string): void => {
    dropped.push({ kind, action: 'cut', text, reason });
  };

  /** Cited sources of this story, deduplicated, in the draft's order. */
  const cited = (ids: readonly string[]): PreparedSource[] =>
    [...new Set(ids)].flatMap((id) => {
      const source = prepared.get(id);
      return source ? [source] : [];
    });
  const noCitation = (ids: readonly string[]): string => (ids.length ? 'cites no article of this story' : 'cites nothing');

  /** A claim or position: kept with the citations that support it, else cut. */
  const statement = (kind: 'claim' | 'position', item: Claim | Position): Claim | undefined => {
    const sources = cited(item.articleIds);
    if (sources.length === 0) return (cut(kind, item.text, noCitation(item.articleIds)), undefined);
    const check = checkStatement(item.text, sources);
    if (!check.ok) return (cut(kind, item.text, describe(check.problems)), undefined);
    return { text: item.text, articleIds: check.ids };
  };

  const claims = story.claims.flatMap((c) => statement('claim', c) ?? []);

  const figures: Figure[] = [];
  for (const figure of story.figures) {
    const sources = cited(figure.articleIds);
    if (sources.length === 0) {
      cut('figure', figure.value, noCitation(figure.articleIds));
      continue;
    }
    const stating = sources.flatMap((s) => {
      const sentence = sentenceWithValue(figure.value, s);
      return sentence === undefined ? [] : [{ source: s, sentence }];
    });
    if (stating.length === 0) {
      cut('figure', figure.value, 'value not found in a cited article');
      continue;
    }
    let text = figure.text;
    const check = checkStatement(
      text,
      stating.map((s) => s.source),
    );
    if (!check.ok) {
      dropped.push({ kind: 'figure-text', action: 'rewritten', text, reason: describe(check.problems) });
      text = stating[0]!.sentence;
    }
    figures.push({ value: figure.value, text, articleIds: stating.map((s) => s.source.id) });
  }

  const disagreements: Disagreement[] = [];
  for (const d of story.disagreements) {
    const positions = d.positions.flatMap((p) => statement('position', p) ?? []);
    if (positions.length < 2) {
      cut('disagreement', d.about, `only ${positions.length} position(s) survived`);
      continue;
    }
    let about = d.about;
    const problems = problemsInAny(about, cited(positions.flatMap((p) => p.articleIds)));
    if (problems.length > 0) {
      dropped.push({ kind: 'about', action: 'rewritten', text: about, reason: describe(problems) });
      about = NEUTRAL_LABEL;
    }
    disagreements.push({ about, positions });
  }

  // Headline and summary speak for the whole story: checked against all its articles, and
  // rewritten from them (the extractive summarizer's pick) when nothing of the draft's is left.
  let fallback: StoryDraft | undefined;
  const extractive = (): StoryDraft => (fallback ??= summarizeExtractive({ id: story.id, articles }));
  let headline = story.headline;
  const headlineProblems = problemsInAny(headline, all);
  if (headlineProblems.length > 0 || headline.trim() === '') {
    dropped.push({ kind: 'headline', action: 'rewritten', text: headline, reason: describe(headlineProblems) || 'empty' });
    headline = extractive().headline;
  }
  const kept: string[] = [];
  for (const sentence of splitSentences(story.summary)) {
    const problems = problemsInAny(sentence, all);
    if (problems.length === 0) kept.push(sentence);
    else cut('summary', sentence, describe(problems));
  }
  let summary = kept.join(' ');
  if (summary === '' && story.summary.trim() !== '') {
    dropped.push({ kind: 'summary', action: 'rewritten', text: story.summary, reason: 'no sentence of the summary could be verified' });
    summary = extractive().summary;
  }

  return {
    story: {
      id: story.id,
      headline,
      summary,
      articleIds: [...new Set(story.articleIds.length ? story.articleIds : articles.map((a) => a.id))].filter((id) => prepared.has(id)),
      claims: once(claims, (c) => normalizeForMatch(c.text)),
      figures: once(figures, (f) => `${normalizeForMatch(f.value)}\u0000${normalizeForMatch(f.text)}`),
      disagreements,
    },
    dropped,
  };
}

/** "verification cut 3 items and rewrote 1 …": the note a brief shows for a story, if any. */
export function verificationNote(dropped: readonly DroppedItem[]): string | undefined {
  const cuts = dropped.filter((d) => d.action === 'cut').length;
  const rewrites = dropped.length - cuts;
  if (dropped.length === 0) return undefined;
  const items = (n: number): string => `${n} item${n === 1 ? '' : 's'}`;
  const parts = [cuts > 0 && `cut ${items(cuts)}`, rewrites > 0 && `rewrote ${items(rewrites)} from the articles`].filter(Boolean);
  return `verification ${parts.join(' and ')}: numbers, quotes, names or citations the cited articles do not support`;
}
