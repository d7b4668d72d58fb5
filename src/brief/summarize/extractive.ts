/**
 * The extractive summarizer: offline, deterministic, no keys. It picks the story's own
 * sentences — the most central title as headline, 1–3 central sentences as summary, key
 * claims, figures with their context and sources, and disagreements — every item citing the
 * articles that state it. Verification (brief/verify.ts) still runs after it.
 */
import { ZERO_USAGE, type Figure, type StoryDraft, type StoryInput, type SummarizeResult, type Summarizer } from '../../core/types.ts';
import { pickClaims } from './claims.ts';
import { correctedValues, correctionNotes, isCorrectionNote } from './disagreements/corrections.ts';
import { findDisagreements, type LocatedFigure } from './disagreements/index.ts';
import { focusedClause, phraseAround } from './disagreements/figures.ts';
import { figureClass } from './figure-range.ts';
import { findFigures, type FigureKind, type FigureMention } from './figures.ts';
import { containsNormalized, normalizeForMatch } from '../../text/normalize.ts';
import { cosine, jaccard, prepareStory, vectorOf, type PreparedStory, type StorySentence } from './story-text.ts';

/**
 * Figure lines per story: a lone article's few numbers, up to fourteen for a story many outlets
 * covered (a day's main story carries a dozen: the capacity, the price jump, the repair cost,
 * the dates; at one line each they stay a quick read).
 */
function maxFigures(articles: number): number {
  return Math.min(16, 8 + 2 * (articles - 1));
}
const MAX_FIGURES_PER_KIND = 10;
/** Added to the standing of a value a disagreement quotes: the figures list states both sides. */
const DISPUTED_BONUS = 1;
/** Added to a figure's standing per further article that states it (up to four). */
const CORROBORATION_BONUS = 0.25;
const MAX_SUMMARY_CHARS = 480;

/** How much a kind of figure tells a reader; bare numbers and dates the least. */
const KIND_WEIGHT: Record<FigureKind, number> = {
  percent: 1,
  money: 1,
  duration: 1,
  count: 0.9,
  ratio: 0.9,
  version: 0.8,
  date: 0.4,
  number: 0.35,
};

function pickHeadline(story: PreparedStory): string {
  let best = '';
  let bestScore = -1;
  for (const a of story.articles) {
    const title = story.titles.get(a.id) ?? '';
    if (!title) continue;
    const score = cosine(vectorOf(story, title), story.centroid);
    if (score > bestScore + 1e-9) {
      best = title;
      bestScore = score;
    }
  }
  if (best) return best;
  const lead = story.sentences[0]?.text ?? '';
  return lead.length > 120 ? `${lead.slice(0, lead.lastIndexOf(' ', 117))}…` : lead;
}

/** Words in a row two summary sentences may share: "Liu Wei, the former head of Tencent's Hunyuan model team" twice reads as a stutter. */
const LONG_PHRASE_WORDS = 6;

function sharesLongPhrase(a: string, b: string): boolean {
  const words = (t: string): string[] =>
    normalizeForMatch(t)
      .split(/[^\p{L}\p{N}']+/u)
      .filter(Boolean);
  const wa = words(a);
  const shingles = new Set<string>();
  for (let i = 0; i + LONG_PHRASE_WORDS <= wa.length; i += 1) shingles.add(wa.slice(i, i + LONG_PHRASE_WORDS).join(' '));
  const wb = words(b);
  for (let i = 0; i + LONG_PHRASE_WORDS <= wb.length; i += 1) if (shingles.has(wb.slice(i, i + LONG_PHRASE_WORDS).join(' '))) return true;
  return false;
}

function pickSummary(story: PreparedStory, quoted: ReadonlySet<string> = new Set()): StorySentence[] {
  const ranked = story.sentences
    .filter((s) => !s.heading && !s.text.endsWith('?') && ![...quoted].some((q) => normalizeForMatch(s.text).includes(q)))
    .sort((a, b) => b.score - a.score || a.position - b.position);
  const chosen: StorySentence[] = [];
  let chars = 0;
  for (const s of ranked) {
    if (chosen.length >= 3) break;
    if (chosen.some((c) => jaccard(c.tokenSet, s.tokenSet) >= 0.35 || sharesLongPhrase(c.text, s.text))) continue;
    if (chosen.length > 0 && chars + s.text.length > MAX_SUMMARY_CHARS) continue;
    chosen.push(s);
    chars += s.text.length + 1;
    if (chars > MAX_SUMMARY_CHARS * 0.6) break;
  }
  if (chosen.length === 0 && story.sentences[0]) chosen.push(story.sentences[0]);
  return chosen;
}

/**
 * Every figure mention in the story's sentences, with where it was found — except values a
 * correction note retracts (wherever they still appear) and the note's own bookkeeping.
 */
function locateFigures(story: PreparedStory): LocatedFigure[] {
  const retracted = correctedValues(story);
  const out: LocatedFigure[] = [];
  for (const sentence of story.sentences) {
    if (isCorrectionNote(sentence.text)) continue;
    const mentions = findFigures(sentence.text);
    // A sentence that still carries a retracted value is the uncorrected version: none of its
    // figures is shown with it as context.
    if (mentions.some((m) => m.normalized !== undefined && retracted.has(`${figureClass(m)}|${m.normalized}`))) continue;
    for (const mention of mentions) out.push({ mention, sentence });
  }
  return out;
}

function digitsOf(value: string): string {
  return /\d[\d,.]*/.exec(normalizeForMatch(value))?.[0]?.replace(/,/g, '') ?? '';
}

/** A corrected figure is shown with its correction ("…to 4,122, not 4,212"), so a reader sees what changed. */
function withCorrections(story: PreparedStory, figures: Figure[]): Figure[] {
  const notes = correctionNotes(story);
  if (notes.length === 0) return figures;
  return figures.map((f) => {
    const note = notes.find((n) => digitsOf(n.right) !== '' && digitsOf(n.right) === digitsOf(f.value));
    return note ? { ...f, text: note.note, articleIds: [...new Set([...f.articleIds, ...note.articleIds])] } : f;
  });
}

/** Bare years rank below every other figure. */
const BARE_YEAR_WEIGHT = 0.15;

function isBareYear(f: FigureMention): boolean {
  return f.kind === 'date' && /^\d{4}$/.test(f.value);
}

/** Figures that state one value of one kind of quantity share this key; the qualifier is part of it. */
function sameFigureKey(f: FigureMention): string | undefined {
  if (f.normalized === undefined) return undefined;
  const qualifier = /^[^\d$€£¥₩₹]*/.exec(f.value)?.[0]?.trim().toLowerCase() ?? '';
  return `${figureClass(f)}|${qualifier}|${f.normalized}`;
}

/** The figures worth listing: one per value, context from its most central sentence. */
function pickFigures(story: PreparedStory, located: readonly LocatedFigure[], disputed: ReadonlySet<string>): Figure[] {
  const MAX_FIGURES = maxFigures(story.articles.length);
  const byValue = new Map<string, { best: LocatedFigure; score: number; sources: Set<string> }>();
  for (const f of located) {
    const key = normalizeForMatch(f.mention.value);
    const score = (isBareYear(f.mention) ? BARE_YEAR_WEIGHT : KIND_WEIGHT[f.mention.kind]) * (0.2 + f.sentence.score);
    const current = byValue.get(key) ?? { best: f, score, sources: new Set<string>() };
    if (score > current.score) Object.assign(current, { best: f, score });
    f.sentence.articleIds.forEach((id) => current.sources.add(id));
    byValue.set(key, current);
  }
  // A figure several outlets report is more likely the story's own number than one a single
  // article mentions in passing (the 69-30 vote over a line item of the bill).
  // A year every article mentions ("in 2020") is the story's setting, not its news.
  const standing = (v: { best: LocatedFigure; score: number; sources: Set<string> }): number =>
    v.score * (isBareYear(v.best.mention) ? 1 : 1 + CORROBORATION_BONUS * Math.min(v.sources.size - 1, 4)) +
    (disputed.has(normalizeForMatch(v.best.mention.value)) ? DISPUTED_BONUS : 0);
  // One line per quantity: "21,570 homicides" and "21,570 murders" are one figure, listed in
  // the wording most articles use.
  const seen = new Set<string>();
  const all = [...byValue.entries()]
    .sort((a, b) => standing(b[1]) - standing(a[1]))
    .filter(([key, v]) => {
      const same = sameFigureKey(v.best.mention) ?? key;
      if (seen.has(same)) return false;
      seen.add(same);
      return true;
    });
  // No one kind fills the list while others wait: eight line items of a bill would push out
  // the vote that passed it. Left-over slots go back to the best of the rest.
  const perKind = new Map<string, number>();
  const ranked = all
    .filter(([, v]) => {
      const n = perKind.get(v.best.mention.kind) ?? 0;
      perKind.set(v.best.mention.kind, n + 1);
      return n < MAX_FIGURES_PER_KIND;
    })
    .slice(0, MAX_FIGURES);
  for (const entry of all) if (ranked.length < MAX_FIGURES && !ranked.includes(entry)) ranked.push(entry);
  // Keep the reading order of the story for figures of equal standing: sort chosen by first appearance.
  const order = new Map(story.sentences.map((s, i) => [s, i]));
  ranked.sort((a, b) => order.get(a[1].best.sentence)! - order.get(b[1].best.sentence)!);
  return ranked
    .map(([key, { best }]) => ({
      value: best.mention.value,
      // The figure's own clause, not its whole sentence: "€42 per container", not the surcharge
      // of this year that the sentence goes on to compare it with.
      text: focusedClause(best.sentence.text, best.mention.value),
      // Cite every article whose text contains the value — and only those.
      articleIds: story.articles.filter((a) => containsNormalized(story.normText.get(a.id)!, key)).map((a) => a.id),
    }))
    .filter((f) => f.articleIds.length > 0);
}

/** The synchronous, deterministic core: a story draft from the story's own sentences. */
export function summarizeExtractive(input: StoryInput): StoryDraft {
  const story = prepareStory(input.articles);
  const located = locateFigures(story);
  const disagreements = findDisagreements(story, located);
  // The summary tells the story; what a disagreement quotes is shown there, side by side.
  const quoted = new Set(disagreements.flatMap((d) => d.positions.map((p) => normalizeForMatch(p.text).replace(/(?:…|\.\.\.)$/, ''))));
  const summarySentences = pickSummary(story, quoted);
  const disputed = new Set(
    disagreements.flatMap((d) =>
      d.positions.flatMap((p) => located.filter((f) => p.text.includes(f.mention.value)).map((f) => normalizeForMatch(f.mention.value))),
    ),
  );
  const summary = summarySentences.map((s) => s.text).join(' ');
  // A sentence a disagreement quotes as a position is shown there, not again as a claim.
  const positions = new Set(disagreements.flatMap((d) => d.positions.map((p) => normalizeForMatch(p.text).replace(/(?:…|\.\.\.)$/, ''))));
  const claims = pickClaims(story, summarySentences).filter(
    (c) => ![...positions].some((p) => p.length > 30 && normalizeForMatch(c.text).includes(p)),
  );
  const figures = pickFigures(story, located, disputed);
  return {
    id: input.id,
    headline: pickHeadline(story),
    summary,
    articleIds: input.articles.map((a) => a.id),
    claims,
    figures: withCorrections(
      story,
      readOnce(figures, [summary, ...claims.map((c) => c.text), ...disagreements.flatMap((d) => d.positions.map((p) => p.text))]),
    ),
    disagreements,
  };
}

/**
 * A brief read in two minutes says each thing once: a figure whose clause the summary, a claim
 * or a disagreement already shows is given with just the words around its value, and two
 * figures of one clause share it only once.
 */
function readOnce(figures: readonly Figure[], shown: readonly string[]): Figure[] {
  const seen = shown.map((t) => normalizeForMatch(t));
  const used = new Set<string>();
  return figures.map((f) => {
    const key = normalizeForMatch(f.text).replace(/(?:…|\.\.\.)$/, '');
    const repeated = used.has(key) || seen.some((t) => t.includes(key) || (key.length > 40 && key.includes(t)));
    used.add(key);
    if (!repeated) return f;
    const phrase = phraseAround(f.text, f.value, 4);
    return { ...f, text: phrase };
  });
}

/** {@link Summarizer} over {@link summarizeExtractive}: no network, no tokens spent. */
export class ExtractiveSummarizer implements Summarizer {
  readonly name = 'extractive';

  summarize(story: StoryInput): Promise<SummarizeResult> {
    return Promise.resolve({ story: summarizeExtractive(story), usage: ZERO_USAGE });
  }
}
