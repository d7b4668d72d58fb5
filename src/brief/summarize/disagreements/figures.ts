/**
 * The same quantity given different values by different sources, in whatever words each uses:
 * "jumped 38% from Monday's level" / "rose 31% day on day"; "organisers said some 4,500 people
 * joined a march" / "police put the crowd at about 1,800". Values are compared as ranges (so
 * rounding agrees: "1.1 gigawatts" and "1,130 megawatts"), and a pair is set side by side only
 * when both readings are the story's own (not last year's figure, not a forecast against an
 * actual, not a value an article corrects), measured at the same point (not a premarket gain
 * against a close), said of the same thing (their clauses share what they are about) and held
 * by different sources (two outlets in their own voice, or two holders one article quotes).
 */
import type { Disagreement } from '../../../core/types.ts';
import { stemForMatch as stem } from '../../../text/stem.ts';
import { contentTokens } from '../../../text/tokenize.ts';
import { figureClass, figureRole, rangesConflict, valueRange, type ValueRange } from '../figure-range.ts';
import type { FigureMention } from '../figures.ts';
import type { PreparedStory, StorySentence } from '../story-text.ts';
import { correctedValues, isCorrectionNote } from './corrections.ts';
import { capitalize, surfaceTerms } from './label.ts';
import {
  clauseAround,
  differentSources,
  GENERIC_WORDS,
  publisherLookup,
  statementsOf,
  storyCommonTokens,
  type Statement,
} from './statements.ts';

/** A figure as found in the story: the mention and the articles that state that sentence. */
export interface LocatedFigure {
  readonly mention: FigureMention;
  readonly sentence: StorySentence;
}

/** Values further apart than this factor measure different things (11,000 athletes, 567 athletes). */
const MAX_VALUE_RATIO = 5;
/** Readings compared per class: the pass stays bounded on a story of a thousand copies. */
const MAX_PER_CLASS = 60;
/** Figure conflicts reported per story. */
const MAX_FIGURE_CONFLICTS = 3;

/** SI-prefixed units read as one scale, so "1.1 gigawatts" meets "1,130 megawatts". */
const SI_UNIT = /^(kilo|mega|giga|tera)?(watt-hours?|watts?|tonnes?|tons?)$/i;
const SI_SCALE: Record<string, number> = { kilo: 1e3, mega: 1e6, giga: 1e9, tera: 1e12 };

/** Words that tell at which point a quantity was measured; two readings at different points are two quantities. */
const POINTS: ReadonlyArray<[string, RegExp]> = [
  ['premarket', /\bpre-?market\b/i],
  ['intraday', /\b(?:intraday|as much as|at one point|in early trading|at its (?:high|peak))\b/i],
  ['close', /\b(?:closed (?:up|down|at|higher|lower)|closing (?:price|level|gain)|at the close|ended the day)\b/i],
  ['phase', /\b(?:first|initial|second) phase\b|\bphase (?:one|two|1|2)\b/i],
  ['whole', /\b(?:full build-?out|in total|overall|eventually|whole project|all four|all phases)\b/i],
  ['secondary', /\b(?:secondary endpoint|alone|by itself)\b/i],
];

/** Words either side of a figure that say what it measures ("SE2 bidding zone jumped 38% from Monday's level"). */
const NEAR_WORDS = 6;
/** Ways of naming one kind of quantity: money a measure brings in, what a project costs. */
const FAMILIES: ReadonlyArray<[string, RegExp]> = [
  [
    '~revenue',
    /\b(?:raise|raises|raising|net|nets|bring in|brings in|generate|generates|yield|yields|earn|earns|collect|collects|revenue|revenues)\b/i,
  ],
  ['~cost', /\b(?:cost|costs|budget|budgeted|price tag|bill|spending|spent)\b/i],
  ['~shortfall', /\b(?:gap|shortfall|deficit|hole)\b/i],
  ['~evacuation', /\b(?:evacuat\w*|displaced|left (?:their|his|her) homes?|moved out|fled)\b/i],
  ['~deaths', /\b(?:kill\w*|dead|died|deaths?|death toll|fatalit\w*|lives|perished)\b/i],
];
/** What a disagreement over a family's quantity is about, in a reader's words. */
const FAMILY_LABELS: ReadonlyArray<[string, string]> = [
  ['~deaths', 'Number of deaths'],
  ['~evacuation', 'How many were evacuated'],
  ['~revenue', 'How much it brings in'],
  ['~cost', 'What it costs'],
  ['~shortfall', 'How large the gap is'],
];
/** Content words either side that name the figure's own kind (its head), for telling "raise $14 million" from "a budget gap of $38 million". */
const HEAD_WORDS = 3;

/** Words that name a kind of measure, not the thing measured. */
const MEASURE_WORDS = new Set(
  ['capacity', 'size', 'value', 'amount', 'level', 'rate', 'share', 'total', 'volume', 'worth', 'number'].map(stem),
);

/** Counted things that are one thing under different names. */
const NOUN_FAMILY: Record<string, string> = {
  vessel: 'ship',
  ship: 'ship',
  boat: 'ship',
  protester: 'crowd',
  marcher: 'crowd',
  demonstrator: 'crowd',
  attendee: 'crowd',
};
/** A gathering's size is named many ways ("crowd", "people joined a march", "attended the rally"). */
const GATHERING = /\b(?:crowd|rally|rallies|march(?:ed|es)?|protest\w*|demonstrat\w*|turnout|attend\w*|joined)\b/i;

interface Reading {
  readonly f: LocatedFigure;
  readonly statement: Statement;
  readonly cls: string;
  readonly value: number;
  readonly range: ValueRange;
  readonly clause: string;
  readonly context: Set<string>;
  /** The kinds of quantity its nearest words name (money raised, a cost, a shortfall). */
  readonly heads: Set<string>;
  readonly points: Set<string>;
  readonly noun?: string;
  readonly role: string;
}

function scaled(f: FigureMention): { cls: string; value: number; range: ValueRange } | undefined {
  const range = valueRange(f);
  if (range === undefined || f.normalized === undefined) return undefined;
  let cls = figureClass(f);
  if (f.kind === 'percent' && /percentage points?/i.test(f.value)) cls = 'pp';
  const si = f.kind === 'count' && f.unit !== undefined ? SI_UNIT.exec(f.unit) : null;
  if (si) {
    const k = SI_SCALE[(si[1] ?? '').toLowerCase()] ?? 1;
    const base = si[2]!.toLowerCase().replace(/s$/, '').replace('ton', 'tonne').replace('tonnee', 'tonne');
    return { cls: `si:${base}`, value: f.normalized * k, range: { low: range.low * k, high: range.high * k } };
  }
  return { cls, value: f.normalized, range };
}

/** "last year", "in 2023", "up from": the figure is an earlier reading, whatever comes before it. */
const BASELINE_AFTER =
  /^[\s,]*(?:[\p{L}-]+\s){0,4}?(?:last year|the year before|a year (?:earlier|ago|before)|in (?:19|20)\d\d\b|previously|at the time|this year)/iu;
const BASELINE_BEFORE =
  /\b(?:originally|initially|had (?:been )?(?:said|planned|expected|estimated)|was (?:supposed|due)|this year'?s|last year'?s|the \d{4} estimate|before the)\b[^.;]{0,40}$/i;
const NOMINAL_BEFORE = /\b(?:design(?:ed)?(?: to)?|capacity of|rated at|nameplate)\b[^.;]{0,40}$/i;

function roleOf(f: LocatedFigure): string {
  const at = f.sentence.text.indexOf(f.mention.value);
  const before = at < 0 ? '' : f.sentence.text.slice(Math.max(0, at - 60), at);
  const after = at < 0 ? '' : f.sentence.text.slice(at + f.mention.value.length, at + f.mention.value.length + 40);
  if (BASELINE_AFTER.test(after) || BASELINE_BEFORE.test(before)) return 'baseline';
  if (NOMINAL_BEFORE.test(before)) return 'nominal';
  return figureRole(f.mention);
}

/**
 * The clause of a figure, without the other figures its sentence gives after a comma ("€42 per
 * container, up from €29 this year" → "€42 per container"): a position or a figure line carries
 * its own value, so a reader never sees two values side by side that no one set against each other.
 */
export function focusedClause(text: string, value: string): string {
  const at = Math.max(0, text.indexOf(value));
  const clause = clauseAround(text, at, at + value.length);
  const offset = clause.replace(/…$/, '').indexOf(value);
  if (offset < 0) return clause;
  const head = clause.slice(0, offset);
  const tail = clause.slice(offset + value.length);
  const parts = tail.split(/(?=,\s)/);
  let kept = '';
  for (const part of parts) {
    if (/\d/.test(part) && kept !== '') break;
    if (/\d/.test(part) && /^,/.test(part)) break;
    kept += part;
  }
  const cutHead =
    head.lastIndexOf(', ') >= 0 && /\d/.test(head.slice(0, head.lastIndexOf(', '))) ? head.slice(head.lastIndexOf(', ') + 2) : head;
  const out = `${cutHead}${value}${kept}`.trim();
  if (out.split(/\s+/).length < 5) return clause;
  const capped = out.charAt(0).toUpperCase() + out.slice(1);
  return /[.!?"”…]$/.test(capped) ? capped : `${capped.replace(/[,;:]$/, '')}…`;
}

/** The words around a figure up to NEAR_WORDS content words either side, within its sentence part. */
function nearText(text: string, value: string, limit = NEAR_WORDS): string {
  const at = Math.max(0, text.indexOf(value));
  const take = (words: string[]): string[] => {
    const out: string[] = [];
    let content = 0;
    for (const w of words) {
      out.push(w);
      if (contentTokens(w).length > 0) content += 1;
      if (content >= limit) break;
    }
    return out;
  };
  const before = take(text.slice(0, at).split(/[;]/).pop()!.split(/\s+/).reverse()).reverse().join(' ');
  const after = take(
    text
      .slice(at + value.length)
      .split(/[;]/)[0]!
      .split(/\s+/),
  ).join(' ');
  return `${before} ${after}`;
}

function readingOf(f: LocatedFigure, statement: Statement, common: ReadonlySet<string>): Reading | undefined {
  const s = scaled(f.mention);
  if (s === undefined || f.mention.kind === 'date' || f.mention.kind === 'version' || f.mention.kind === 'ratio') return undefined;
  const text = f.sentence.text;
  // An end of a range ("a range of $15 to $17", "between 3 and 5") is not a reading of its own.
  const at = text.indexOf(f.mention.value);
  if (
    at >= 0 &&
    (/^\s*(?:to|-|–|and)\s*[$€£¥]?\d/.test(text.slice(at + f.mention.value.length)) ||
      /\b(?:between|from)\s*$|\d\s*(?:to|-|–)\s*$/.test(text.slice(Math.max(0, at - 12), at)))
  )
    return undefined;
  const clause = focusedClause(text, f.mention.value);
  const valueTokens = new Set(contentTokens(f.mention.value));
  const near = nearText(text, f.mention.value);
  const context = new Set(
    contentTokens(near).filter((t) => !/^\d[\d.,]*$/.test(t) && !GENERIC_WORDS.has(t) && !valueTokens.has(t) && !common.has(t)),
  );
  for (const [family, re] of FAMILIES) if (re.test(near) || re.test(clause)) context.add(family);
  const headText = nearText(text, f.mention.value, HEAD_WORDS);
  const heads = new Set(FAMILIES.filter(([, re]) => re.test(headText)).map(([family]) => family));
  const rawNoun =
    f.mention.kind === 'count' && f.mention.unit !== undefined && !SI_UNIT.test(f.mention.unit)
      ? stem(f.mention.unit.toLowerCase())
      : undefined;
  const gathering = GATHERING.test(clause);
  let noun =
    rawNoun === undefined
      ? undefined
      : rawNoun === 'people' || rawNoun === 'person'
        ? gathering
          ? 'crowd'
          : 'people'
        : (NOUN_FAMILY[rawNoun] ?? rawNoun);
  if (gathering && (noun === undefined || noun === 'crowd')) {
    noun = 'crowd';
    context.add('~gathering');
  }
  const points = new Set(POINTS.filter(([, re]) => re.test(clause)).map(([p]) => p));
  return {
    f,
    statement,
    cls: s.cls,
    value: s.value,
    range: s.range,
    clause,
    context,
    heads,
    points,
    role: roleOf(f),
    ...(noun !== undefined && { noun }),
  };
}

function sameQuantity(a: Reading, b: Reading): string[] | undefined {
  if (a.cls !== b.cls || a.role !== b.role || a.role === 'baseline') return undefined;
  if (a.noun !== undefined && b.noun !== undefined && a.noun !== b.noun) return undefined;
  if (a.points.size > 0 && b.points.size > 0 && ![...a.points].some((p) => b.points.has(p))) return undefined;
  if (
    a.points.size + b.points.size > 0 &&
    (a.points.has('premarket') || b.points.has('premarket') || a.points.has('intraday') || b.points.has('intraday'))
  ) {
    if (![...a.points].some((p) => b.points.has(p))) return undefined;
  }
  if (a.heads.size > 0 && b.heads.size > 0 && ![...a.heads].some((h) => b.heads.has(h))) return undefined;
  const shared = [...a.context].filter((t) => b.context.has(t));
  // "Capacity" or "size" alone says what kind of measure, not of what: a link's 800 megawatts
  // and a wind farm's 1,130 are two capacities.
  return shared.some((t) => !MEASURE_WORDS.has(t)) ? shared : undefined;
}

/** Other readings of the same class in the same sentence. */
function crowdOf(r: Reading, list: readonly Reading[]): number {
  return list.filter((o) => o !== r && o.f.sentence === r.f.sentence && o.f.mention.value !== r.f.mention.value).length;
}

export function figureConflicts(story: PreparedStory, figures: readonly LocatedFigure[]): Disagreement[] {
  const statements = statementsOf(story);
  const publisherOf = publisherLookup(story);
  const corrected = correctedValues(story);
  const common = storyCommonTokens(story);
  const readings: Reading[] = [];
  for (const f of figures) {
    if (isCorrectionNote(f.sentence.text)) continue;
    const r = readingOf(f, statements.get(f.sentence)!, common);
    if (r === undefined || corrected.has(`${r.cls}|${r.value}`)) continue;
    readings.push(r);
  }
  // What each article states of each class, in its own voice: an article that gives both
  // values itself (a phase and the whole, last year and this) is not at odds with itself.
  const ownVoice = new Map<string, Reading[]>();
  for (const r of readings) {
    if (r.statement.holder !== undefined) continue;
    for (const id of r.f.sentence.articleIds) (ownVoice.get(id) ?? ownVoice.set(id, []).get(id)!).push(r);
  }
  const standsApart = (x: Reading, other: Reading): boolean =>
    x.statement.holder !== undefined ||
    x.f.sentence.articleIds.some((id) => !(ownVoice.get(id) ?? []).some((o) => o.cls === x.cls && !rangesConflict(o.range, other.range)));
  const byClass = new Map<string, Reading[]>();
  for (const r of readings) {
    const list = byClass.get(r.cls) ?? byClass.set(r.cls, []).get(r.cls)!;
    if (list.length < MAX_PER_CLASS) list.push(r);
  }
  const found: Array<{ a: Reading; b: Reading; shared: string[]; weight: number }> = [];
  for (const list of byClass.values()) {
    for (let i = 0; i < list.length; i += 1) {
      for (let j = i + 1; j < list.length; j += 1) {
        const [a, b] = [list[i]!, list[j]!];
        if (!rangesConflict(a.range, b.range)) continue;
        const [x, y] = [Math.abs(a.value), Math.abs(b.value)];
        if (Math.max(x, y) > MAX_VALUE_RATIO * Math.min(x, y)) continue;
        const shared = sameQuantity(a, b);
        if (!shared) continue;
        if (!differentSources(a.statement, b.statement, publisherOf) || !standsApart(a, b) || !standsApart(b, a)) continue;
        // A sentence of several values of one kind ("14.9% on the drug and 18.0% on placebo")
        // leaves it unclear which one a reader should compare; a kind of figure few readings
        // share ("percentage points") pins the quantity down.
        const crowded = crowdOf(a, list) + crowdOf(b, list);
        const weight =
          shared.length +
          (a.statement.holder !== b.statement.holder ? 0.5 : 0) +
          Math.min(a.f.sentence.score, 1) +
          Math.min(b.f.sentence.score, 1) -
          0.5 * crowded +
          1 / list.length;
        found.push({ a, b, shared, weight });
      }
    }
  }
  found.sort((p, q) => q.weight - p.weight);
  const out: Disagreement[] = [];
  const usedValues = new Set<string>();
  for (const { a, b, shared } of found) {
    const key = [a.value, b.value].sort((m, n) => m - n).join('|');
    if (usedValues.has(key) || usedValues.has(`${a.cls}|${a.value}`) || usedValues.has(`${b.cls}|${b.value}`)) continue;
    usedValues.add(key).add(`${a.cls}|${a.value}`).add(`${b.cls}|${b.value}`);
    const terms = surfaceTerms(
      shared.filter((t) => !t.startsWith('~') && !common.has(t)),
      `${a.clause} ${b.clause}`,
    ).slice(0, 2);
    const family = FAMILY_LABELS.find(([f]) => a.context.has(f) && b.context.has(f))?.[1];
    const what = family ?? (a.noun === 'crowd' ? 'How many took part' : terms.length > 0 ? capitalize(terms.join(', ')) : 'The figure');
    // Other articles that give the same value for the same quantity in their own words join
    // its side (at most two positions a side), so each source is cited for what it says.
    const side = (self: Reading, other: Reading): Reading[] => {
      const list = [self];
      const cited = new Set(self.f.sentence.articleIds);
      for (const r of byClass.get(self.cls) ?? []) {
        if (list.length >= 2) break;
        if (
          r.f.sentence.articleIds.every((id) => cited.has(id)) ||
          rangesConflict(r.range, self.range) ||
          !rangesConflict(r.range, other.range)
        )
          continue;
        if (!sameQuantity(r, other)) continue;
        list.push(r);
        r.f.sentence.articleIds.forEach((id) => cited.add(id));
      }
      return list;
    };
    out.push({
      about: `${what}: ${a.f.mention.value} or ${b.f.mention.value}?`,
      positions: [...side(a, b), ...side(b, a)].map((r) => ({ text: r.clause, articleIds: [...r.f.sentence.articleIds] })),
    });
    if (out.length >= MAX_FIGURE_CONFLICTS) break;
  }
  return out;
}

/** A few words either side of a value ("…closer to $1.5 billion, citing the need…"), for a figure line whose sentence is shown elsewhere. */
export function phraseAround(text: string, value: string, words: number): string {
  const at = text.indexOf(value);
  if (at < 0) return value;
  const tokens = [...text.matchAll(/\S+/g)];
  const first = tokens.findIndex((t) => t.index! + t[0].length > at);
  const last = tokens.findIndex((t) => t.index! + t[0].length >= at + value.length);
  const from = Math.max(0, first - words);
  const to = Math.min(tokens.length - 1, (last < 0 ? first : last) + words);
  const phrase = tokens
    .slice(from, to + 1)
    .map((t) => t[0])
    .join(' ')
    .replace(/[,;:]$/, '');
  return `${from > 0 ? '…' : ''}${phrase}${to < tokens.length - 1 ? '…' : ''}`;
}
