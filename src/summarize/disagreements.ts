/**
 * Disagreements — where sources differ, shown side by side, never averaged:
 * (a) the same quantity given different values by different articles;
 * (b) opposite assessments of the same question (polarity cues on sentences that share
 *     topic terms: widening/narrowing, can/cannot win, likely/unlikely, rise/fall);
 * (c) conflicting credit for who reported the story ("reported by AFP" vs "according to
 *     the South China Morning Post");
 * (d) within one article, a contrast between two named speakers ("A suggests X, but B says Y").
 * Agreement written differently ("3 months" / "three months") is not a disagreement.
 */
import type { Disagreement, Position } from '../core/types.ts';
import { speakerOf } from './claims.ts';
import type { FigureMention } from './figures.ts';
import { contentTokens, isStopword } from './normalize.ts';
import { jaccard, type PreparedStory, type StorySentence } from './story-text.ts';

/** A figure as found in the story: the mention and the articles that state that sentence. */
export interface LocatedFigure {
  readonly mention: FigureMention;
  readonly sentence: StorySentence;
}

const MAX_DISAGREEMENTS = 4;
const MAX_POSITION_CHARS = 240;

function clip(text: string): string {
  if (text.length <= MAX_POSITION_CHARS) return text;
  const cut = text.slice(0, MAX_POSITION_CHARS);
  return `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---- (a) one quantity, different values ------------------------------------------------

const QUANTITY_NOISE = new Set(['said', 'says', 'put', 'estimated', 'reported', 'according', 'currently', 'worth']);

const CASUALTY = /\b(?:kill\w*|dead|died|deaths?|death toll|fatalit\w*|lives|perished)\b/i;

function quantityWords(f: FigureMention): Set<string> {
  const words = new Set(
    (f.quantity ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w.length > 2 && !isStopword(w) && !QUANTITY_NOISE.has(w)),
  );
  // Casualty figures are named many ways ("death toll rose to 15", "killed 12 people"):
  // they all measure deaths.
  if (f.kind === 'count' || f.kind === 'number') {
    const at = f.sentence.indexOf(f.value);
    if (at >= 0 && CASUALTY.test(f.sentence.slice(Math.max(0, at - 70), at + f.value.length + 25))) {
      words.clear();
      words.add('deaths');
    }
  }
  return words;
}

interface FigureConflict {
  readonly values: string;
  readonly about: string;
  readonly byValue: Map<number, LocatedFigure[]>;
}

function classKey(f: FigureMention, value: number): string {
  const cls = f.kind === 'count' || f.kind === 'number' ? 'n' : f.kind === 'duration' ? `time:${f.unit ?? ''}` : `${f.kind}:${f.unit ?? ''}`;
  return `${cls}=${value}`;
}

function figureConflicts(story: PreparedStory, figures: readonly LocatedFigure[]): Disagreement[] {
  const usable = figures.filter((f) => f.mention.normalized !== undefined && quantityWords(f.mention).size > 0);
  const out: FigureConflict[] = [];
  // Every value each article states, by unit class, whatever it is said to measure.
  const valuesOf = new Map<string, Set<string>>();
  for (const f of figures) {
    if (f.mention.normalized === undefined) continue;
    for (const id of f.sentence.articleIds) {
      (valuesOf.get(id) ?? valuesOf.set(id, new Set()).get(id)!).add(classKey(f.mention, f.mention.normalized));
    }
  }
  // Buckets of comparable figures that name the same quantity: linear, no all-pairs.
  const buckets = new Map<string, LocatedFigure[]>();
  for (const f of usable) {
    const cls = classKey(f.mention, 0).slice(0, -2);
    for (const w of quantityWords(f.mention)) {
      const key = `${cls}|${w}`;
      (buckets.get(key) ?? buckets.set(key, []).get(key)!).push(f);
    }
  }
  const used = new Set<LocatedFigure>();
  for (const [key, bucket] of buckets) {
    if (out.length >= MAX_DISAGREEMENTS) break;
    const word = key.slice(key.indexOf('|') + 1);
    const byValue = new Map<number, LocatedFigure[]>();
    for (const f of bucket) {
      if (used.has(f)) continue;
      const list = byValue.get(f.mention.normalized!) ?? [];
      list.push(f);
      byValue.set(f.mention.normalized!, list);
    }
    if (byValue.size < 2) continue;
    // Only values from different articles disagree, and only when each side lacks the other's
    // value: one article giving "3 then 6 months" states a forecast, not a conflict.
    const holders = new Map([...byValue].map(([v, fs]) => [v, new Set(fs.flatMap((f) => f.sentence.articleIds))]));
    const values = [...byValue.keys()].sort((x, y) => holders.get(y)!.size - holders.get(x)!.size || x - y).slice(0, 4);
    const base = bucket[0]!;
    const states = (id: string, v: number): boolean => valuesOf.get(id)?.has(classKey(base.mention, v)) ?? false;
    const distinct = values.some((v1) =>
      values.some((v2) => v2 !== v1 && [...holders.get(v1)!].some((a) => !states(a, v2)) && [...holders.get(v2)!].some((b) => !states(b, v1))),
    );
    if (!distinct) continue;
    for (const v of [...byValue.keys()]) if (!values.includes(v)) byValue.delete(v);
    for (const fs of byValue.values()) fs.forEach((f) => used.add(f));
    const words = new Set([word]);
    const valueKey = [...byValue.keys()].sort((x, y) => x - y).join('|');
    const earlier = out.find((o) => o.values === valueKey);
    if (earlier) {
      // The same two numbers under another name ("death toll" / "people killed"): one conflict.
      for (const [value, fs] of byValue) earlier.byValue.get(value)!.push(...fs);
      continue;
    }
    out.push({
      values: valueKey,
      about: words.has('deaths') ? 'Number of deaths' : capitalize(`${base.mention.quantity ?? word}: different figures`),
      byValue,
    });
  }
  // One position per value and wording: verification checks each position's text against the
  // articles it cites, so an article that gives the same value in its own words gets its own line.
  return out.map((o) => ({
    about: o.about,
    positions: [...o.byValue].flatMap(([, fs]): Position[] => {
      const bySentence = new Map<StorySentence, Set<string>>();
      for (const f of fs) {
        const ids = bySentence.get(f.sentence) ?? new Set<string>();
        f.sentence.articleIds.forEach((id) => ids.add(id));
        bySentence.set(f.sentence, ids);
      }
      const seen = new Set<string>();
      return [...bySentence]
        .map(([sentence, ids]) => ({ text: clip(sentence.text), articleIds: [...ids].filter((id) => !seen.has(id)) }))
        .filter((p) => {
          p.articleIds.forEach((id) => seen.add(id));
          return p.articleIds.length > 0;
        })
        .slice(0, 2);
    }),
  }));
}

// ---- (b) opposite assessments -----------------------------------------------------------

interface Axis {
  readonly label: string;
  readonly up: RegExp;
  readonly down: RegExp;
}

const AXES: Axis[] = [
  { label: 'widening or narrowing', up: /\b(?:widen\w*|grow\w*|larger|expand\w*|deepen\w*)\b/, down: /\b(?:narrow\w*|clos(?:e|es|ing)|shrink\w*|smaller|catch(?:ing)? up)\b/ },
  { label: 'ahead or behind', up: /\b(?:win|wins|winning|beat|beats|surpass\w*|overtake\w*|outpac\w*|ahead of)\b/, down: /\b(?:los(?:e|es|ing) (?:the|to|ground)|lag(?:s|ged|ging)?|trail(?:s|ed|ing)?|(?:fall\w*|falls|fell|is|are|was|were|remains?|stay\w*|left) behind|at a disadvantage)\b/ },
  { label: 'likely or unlikely', up: /\b(?:likely|probable|expected|confident)\b/, down: /\b(?:unlikely|improbable|doubt\w*|skeptic\w*|sceptic\w*)\b/ },
  { label: 'rising or falling', up: /\b(?:ris(?:e|es|ing)|rose|increas(?:e|es|ed|ing)|climb\w*|surg(?:e|es|ed|ing)|jump(?:s|ed)?)\b/, down: /\b(?:(?:fall|falls|falling|fell)(?! behind| short)|decreas(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|drop(?:s|ped)?|plung\w*|slump\w*)\b/ },
  { label: 'safe or unsafe', up: /\b(?:safe|secure|harmless)\b/, down: /\b(?:unsafe|dangerous|risky|harmful)\b/ },
];

const GLOBAL = new Map<RegExp, RegExp>();
/** The cue pattern with the g flag, compiled once. */
function globalOf(re: RegExp): RegExp {
  let g = GLOBAL.get(re);
  if (!g) GLOBAL.set(re, (g = new RegExp(re.source, 'g')));
  return g;
}

const NEGATION = /\b(?:not|no|never|cannot|can't|won't|couldn't|isn't|aren't|wasn't|unable|fail\w*)\b|\bless than \d+%? chance\b/;
const CONTRAST = /\b(?:but|however|yet|still|although|though|whereas)\b/i;

/**
 * Polarity of a sentence on an axis: +1, −1 or 0. A cue right after a negation flips; the
 * clause after "but" outweighs the one before ("losing the race but can still win" → win).
 */
export function polarity(sentence: string, axis: Axis): number {
  const lower = sentence.toLowerCase();
  const parts = lower.split(CONTRAST);
  let total = 0;
  parts.forEach((part, i) => {
    const weight = i === parts.length - 1 && parts.length > 1 ? 2 : 1;
    for (const [re, sign] of [[globalOf(axis.up), 1], [globalOf(axis.down), -1]] as const) {
      re.lastIndex = 0;
      for (const m of part.matchAll(re)) {
        const before = part.slice(Math.max(0, m.index - 24), m.index);
        total += (NEGATION.test(before) ? -sign : sign) * weight;
      }
    }
  });
  return Math.sign(total);
}

/** Single words of multi-word cues ("falls behind", "ahead of"): not topic terms. */
const CUE_PARTS = new Set(['behind', 'ahead', 'los', 'lose', 'losing', 'fall', 'fell', 'falling', 'disadvantage', 'remain', 'stay', 'left', 'still']);

function axisTokens(s: StorySentence, axis: Axis): Set<string> {
  return new Set([...s.tokenSet].filter((t) => !axis.up.test(t) && !axis.down.test(t) && !CUE_PARTS.has(t) && !/^\d/.test(t)));
}

function assessmentConflicts(story: PreparedStory): Disagreement[] {
  const out: Disagreement[] = [];
  // Candidates: the most central sentences, titles included, so the pass stays bounded.
  // Distinct titles only, and a bounded number of them: a thousand copies share one headline.
  const distinctTitles = new Map<string, [string, string]>();
  for (const [id, text] of story.titles) if (!distinctTitles.has(text) && distinctTitles.size < 60) distinctTitles.set(text, [id, text]);
  const titleSentences: StorySentence[] = [...distinctTitles.values()].map(([id, text], i) => {
    const set = new Set(contentTokens(text));
    const ids = [...story.titles].filter(([, t]) => t === text).map(([x]) => x);
    return { text, tokens: [...set], tokenSet: set, articleIds: ids.length ? ids : [id], articleId: id, position: -1 - i, heading: true, score: 1 };
  });
  const pool = [...story.sentences].sort((a, b) => b.score - a.score).slice(0, 150);
  const candidates = [...titleSentences, ...pool];
  // Terms in a third or more of the story's sentences are its general topic ("China", "AI"):
  // sharing only those does not make two sentences about the same question.
  const df = new Map<string, number>();
  for (const s of story.sentences) for (const t of s.tokenSet) df.set(t, (df.get(t) ?? 0) + 1);
  const inArticles = new Map<string, Set<string>>();
  for (const s of story.sentences) for (const t of s.tokenSet) for (const id of s.articleIds) (inArticles.get(t) ?? inArticles.set(t, new Set()).get(t)!).add(id);
  const nArticles = story.articles.length;
  const specific = (t: string): boolean => (df.get(t) ?? 0) <= Math.max(2, story.sentences.length * 0.3);
  // For the label: a term nearly every article uses ("Tencent" in a Tencent story) names nothing.
  const distinctive = (t: string): boolean => specific(t) && (nArticles < 3 || (inArticles.get(t)?.size ?? 0) < nArticles * 0.8);
  for (const axis of AXES) {
    const signed = candidates
      .map((s) => ({ s, p: polarity(s.text, axis), terms: axisTokens(s, axis) }))
      .filter((x) => x.p !== 0);
    // Bounded: the 60 most central sentences on each side (titles first), so pairs stay few.
    const ups = signed.filter((x) => x.p > 0).slice(0, 60);
    const downs = signed.filter((x) => x.p < 0).slice(0, 60);
    let best: { a: (typeof signed)[number]; b: (typeof signed)[number]; shared: string[]; weight: number } | undefined;
    for (const a of ups) {
      for (const b of downs) {
        const sameSource = a.s.articleIds.every((id) => b.s.articleIds.includes(id)) && b.s.articleIds.every((id) => a.s.articleIds.includes(id));
        // Within one article, two named speakers at odds count; one voice hedging does not.
        if (sameSource) {
          const sa = speakerOf(a.s.text);
          const sb = speakerOf(b.s.text);
          if (!sa || !sb || sa === sb) continue;
        }
        const shared = [...a.terms].filter((t) => b.terms.has(t) && !isStopword(t) && t.length > 2);
        const nSpecific = shared.filter(specific).length;
        const rare = shared.length === 1 && (df.get(shared[0]!) ?? 0) <= 3;
        if ((shared.length < 2 && !rare) || (nSpecific === 0 && shared.length < 4)) continue;
        const weight = shared.length + nSpecific + jaccard(a.terms, b.terms);
        if (!best || weight > best.weight) best = { a, b, shared: [...shared.filter(specific), ...shared.filter((t) => !specific(t))], weight };
      }
    }
    if (!best) continue;
    const terms = surfaceTerms(best.shared.filter(distinctive), `${best.a.s.text} ${best.b.s.text}`).slice(0, 2);
    const about = terms.length ? `${terms.join(', ')}: ${axis.label}?` : `${capitalize(axis.label)}?`;
    out.push({
      about,
      positions: [
        { text: clip(best.a.s.text), articleIds: [...best.a.s.articleIds] },
        { text: clip(best.b.s.text), articleIds: [...best.b.s.articleIds] },
      ],
    });
  }
  return out;
}

// ---- (c) who reported it ----------------------------------------------------------------

const MEDIA_WORD = /\b(?:Post|Times|News|Journal|Herald|Tribune|Guardian|Telegraph|Agency|Press|Reuters|Bloomberg|Xinhua|Daily|Gazette|Observer|Economist|Wire|Broadcasting|Television|Radio)\b/;
const CREDIT = [
  /\b(?:[Aa]ccording to |[Ii]n |[Cc]iting )?(?:a |an )(?:report|interview|article|story|dispatch) (?:by|in|from|with) (?:the )?\*?((?:\p{Lu}[\p{L}&.'-]*\s?){1,6})/u,
  /\b[Ss]peaking to (?:the )?\*?((?:\p{Lu}[\p{L}&.'-]*\s?){1,6})/u,
  /\b[Rr]eported by (?:the )?\*?((?:\p{Lu}[\p{L}&.'-]*\s?){1,6})/u,
  /\b[Aa]ccording to (?:the )?\*?((?:\p{Lu}[\p{L}&.'-]*\s?){1,6})/u,
  /\b(?:[Ii]nterviews?) with (?:the )?\*?((?:\p{Lu}[\p{L}&.'-]*\s?){1,6})/u,
  /\b(?:told|reports?|reported in) (?:the )?\*?((?:\p{Lu}[\p{L}&.'-]*\s?){1,6})/u,
  /(?:^|\.\s)((?:\p{Lu}[\p{L}&.'-]*\s?){1,6}) reported\b/u,
];

function outletKey(name: string): string {
  const words = name.replace(/^The\s/, '').split(/\s+/).filter(Boolean);
  return words.length === 1 ? words[0]!.toUpperCase() : words.map((w) => w[0]).join('').toUpperCase();
}

function reportingConflicts(story: PreparedStory): Disagreement[] {
  const credits = new Map<string, { name: string; sentences: StorySentence[]; ids: Set<string> }>();
  for (const s of story.sentences) {
    for (const re of CREDIT) {
      const m = re.exec(s.text);
      let name = m?.[1]?.replace(/\*/g, '').replace(/[.,;:'’]+\s*$/, '').replace(/\s+(?:on|in|at|that|and|said|reported)$/i, '').trim();
      if (!name) continue;
      name = name.replace(/\s(?:On|In|At|Thursday|Monday|Tuesday|Wednesday|Friday|Saturday|Sunday)\b.*$/, '').trim();
      const acronym = /^[A-Z]{2,6}$/.test(name);
      if (!acronym && !MEDIA_WORD.test(name)) continue;
      const key = outletKey(name);
      const entry = credits.get(key) ?? { name: name.replace(/^The\s/, 'the '), sentences: [], ids: new Set<string>() };
      if (s.articleIds.some((id) => !entry.ids.has(id))) entry.sentences.push(s);
      s.articleIds.forEach((id) => entry.ids.add(id));
      credits.set(key, entry);
      break;
    }
  }
  if (credits.size < 2) return [];
  const entries = [...credits.values()];
  const distinct = entries.some((a) => entries.some((b) => b !== a && [...a.ids].some((id) => !b.ids.has(id))));
  if (!distinct) return [];
  return [
    {
      about: 'Who reported it',
      // One line per wording: each position's text must be what its cited articles say.
      positions: entries.flatMap((e) => e.sentences.slice(0, 3).map((s) => ({ text: clip(s.text), articleIds: [...s.articleIds] }))),
    },
  ];
}

// ---- (d) two speakers, one article ------------------------------------------------------

function speakerContrasts(story: PreparedStory): Disagreement[] {
  const out: Disagreement[] = [];
  for (const s of story.sentences) {
    const m = /^(.{20,}?),?\s+but\s+(.{20,})$/i.exec(s.text);
    if (!m) continue;
    const left = speakerOf(m[1]!);
    const right = speakerOf(m[2]!);
    if (!left || !right || left === right) continue;
    out.push({
      about: `${left} vs ${right}`,
      positions: [
        { text: clip(m[1]!.trim()), articleIds: [...s.articleIds] },
        { text: clip(m[2]!.trim()), articleIds: [...s.articleIds] },
      ],
    });
    if (out.length >= 1) break;
  }
  return out;
}

/** All disagreements of a story, most telling first, at most four. */
export function findDisagreements(story: PreparedStory, figures: readonly LocatedFigure[]): Disagreement[] {
  const all = [...figureConflicts(story, figures), ...reportingConflicts(story), ...assessmentConflicts(story), ...speakerContrasts(story)];
  const seen = new Set<string>();
  return all
    .filter((d) => {
      const key = d.positions.map((p) => p.text).sort().join('|');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_DISAGREEMENTS);
}

/** Words too general to name what a disagreement is about. */
const GENERIC_LABEL_WORDS = new Set([
  'former', 'could', 'would', 'should', 'which', 'about', 'their', 'there', 'still', 'after', 'before', 'while',
  'said', 'says', 'saying', 'other', 'these', 'those', 'where', 'being', 'since', 'because', 'report', 'reported',
]);

/**
 * Stemmed terms back to the words the articles wrote ("llm" → "LLM", "gap" → "gap"), keeping
 * names, acronyms and longer content words; a label reads as the articles' own words.
 */
function surfaceTerms(stems: readonly string[], text: string): string[] {
  const out: string[] = [];
  for (const stem of stems) {
    if (stem.length < 3 || /^\d/.test(stem)) continue;
    const escaped = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const word = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped}[\\p{L}\\p{N}'’-]*)`, 'iu').exec(text)?.[1];
    if (!word || GENERIC_LABEL_WORDS.has(word.toLowerCase())) continue;
    if (!/\p{Lu}/u.test(word) && word.length < 5 && !['gap', 'war', 'ban', 'tax', 'law', 'vote', 'deal', 'race', 'odds'].includes(word.toLowerCase())) continue;
    if (!out.some((w) => w.toLowerCase() === word.toLowerCase())) out.push(word);
  }
  return out;
}
