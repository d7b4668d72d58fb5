/**
 * When something will happen, as different sources expect it: "back in service by
 * mid-December" / "not before March"; "first phase online in 2028" / "a connection is not
 * possible before 2031"; "by the end of March" / "not before the third quarter". Each
 * expectation becomes a span of months (by X: up to X; not before X: from X on; in X: X itself),
 * read against its article's publication date, and two expectations disagree when their spans
 * do not meet. A date the text itself sets aside ("not in summer 2027 as the agency had said",
 * "originally due in 2027") is a superseded plan, not an expectation.
 */
import type { Disagreement } from '../../../core/types.ts';
import { contentTokens } from '../../../text/tokenize.ts';
import type { PreparedStory } from '../story-text.ts';
import { focusedClause } from './figures.ts';
import { differentSources, GENERIC_WORDS, publisherLookup, statementsOf, storyCommonTokens, type Statement } from './statements.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const SEASONS: Record<string, [number, number]> = { spring: [2, 4], summer: [5, 7], autumn: [8, 10], fall: [8, 10], winter: [11, 13] };
const MONTH = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December)`;
const WHEN = String.raw`(?:(?:the )?(?:end|start|beginning|middle) of (?:the )?|mid-|early |late |the )?(?:${MONTH}|spring|summer|autumn|fall|winter|(?:first|second|third|fourth|1st|2nd|3rd|4th) quarter|Q[1-4]|Christmas|year-end|the end of the year)(?:,? (?:19|20)\d\d)?|(?:19|20)\d\d`;
/** "not before X", "no … before X", "won't … until X", "no earlier than X". */
const NOT_BEFORE = new RegExp(
  String.raw`\b(?:not|no|never|won't|will not|cannot|can't|isn't|doesn't|does not|unlikely)\b[^.;]{0,80}?\b(?:before|until|earlier than)\s+(${WHEN})`,
  'gi',
);
const BY = new RegExp(String.raw`\b(?:by|before|no later than)\s+(${WHEN})`, 'gi');
const IN = new RegExp(String.raw`\b(?:in|from|during)\s+(${WHEN})`, 'gi');
/** An expectation, not a report of the past: someone expects, aims, plans, or something will be. */
const EXPECTATION =
  /\b(?:expect(?:s|ed|ing|ation)?|aim(?:s|ed|ing)?|plan(?:s|ned|ning)?|target(?:s|ed|ing)?|will|would|could|should|due|scheduled|forecasts?|predict(?:s|ed|ion)?|hope(?:s|d)?|intend(?:s|ed)?|believe(?:s|d)?|think|likely|possible|not before|won't|cannot|on track|base case|central case)\b/i;
/** What is expected to happen: something opens, runs, resumes, is filed, connected or approved. */
const EVENT =
  /\b(?:open\w*|reopen\w*|service|online|operat\w*|start\w*|restart\w*|resum\w*|launch\w*|complet\w*|finish\w*|ready|connect\w*|fil(?:e|es|ed|ing)|submit\w*|approv\w*|deliver\w*|back|return\w*|export\w*|passengers?|running|ready|decision|vote|verdict|ruling)\b/i;
/** The text sets this date aside: the old plan, not anyone's expectation now. */
const SET_ASIDE =
  /\b(?:not in|instead of|rather than|originally|initially|had (?:been )?(?:said|planned|promised|scheduled)|was (?:due|supposed|scheduled)|previously|promis(?:e|ed)|were told)\b[^.;]{0,50}$/i;

interface Expectation {
  readonly statement: Statement;
  /** The time phrase as the reader should see it: "by mid-December", "not before March". */
  readonly phrase: string;
  readonly kind: 'not-before' | 'by' | 'in';
  readonly clause: string;
  /** Months since year 0: [from, to], inclusive. */
  readonly span: [number, number];
  readonly terms: Set<string>;
}

/** The month span a time phrase names, read after `ref` when it gives no year. */
function monthsOf(phrase: string, ref: Date): [number, number] | undefined {
  const p = phrase.toLowerCase();
  const year = /\b((?:19|20)\d\d)\b/.exec(p)?.[1];
  const refMonths = ref.getUTCFullYear() * 12 + ref.getUTCMonth();
  const anchored = (m0: number, m1: number): [number, number] => {
    if (year !== undefined) return [Number(year) * 12 + m0, Number(year) * 12 + m1];
    let y = ref.getUTCFullYear();
    if (y * 12 + m1 < refMonths) y += 1; // a month already past means next year's
    return [y * 12 + m0, y * 12 + m1];
  };
  const month = MONTHS.findIndex((m) =>
    new RegExp(`\\b${m}`).test(p.replace(/^(?:the )?(?:end|start|beginning|middle) of |^mid-|^early |^late /, '')),
  );
  if (month >= 0 && new RegExp(String.raw`\b${MONTH}`, 'i').test(phrase)) return anchored(month, month);
  const season = Object.keys(SEASONS).find((s) => p.includes(s));
  if (season) return anchored(...SEASONS[season]!);
  const quarter = /\b(?:(first|second|third|fourth|1st|2nd|3rd|4th) quarter|q([1-4]))\b/.exec(p);
  if (quarter) {
    const q =
      quarter[2] !== undefined
        ? Number(quarter[2])
        : ['first', 'second', 'third', 'fourth'].findIndex((w) => quarter[1]!.startsWith(w.slice(0, 3))) + 1 ||
          Number(quarter[1]!.charAt(0));
    return anchored((q - 1) * 3, (q - 1) * 3 + 2);
  }
  if (/christmas|year-end|end of the year/.test(p)) return anchored(11, 11);
  if (year !== undefined) return [Number(year) * 12, Number(year) * 12 + 11];
  return undefined;
}

function expectationsIn(statement: Statement, ref: Date, common: ReadonlySet<string>): Expectation[] {
  const text = statement.sentence.text;
  if (!EXPECTATION.test(text)) return [];
  const out: Expectation[] = [];
  const taken: Array<[number, number]> = [];
  const add = (m: RegExpMatchArray, kind: 'not-before' | 'by' | 'in'): void => {
    const at = m.index!;
    if (taken.some(([s, e]) => at < e && at + m[0].length > s)) return;
    if (SET_ASIDE.test(text.slice(Math.max(0, at - 60), at + (kind === 'in' ? 0 : m[0].indexOf(m[1]!))))) return;
    const months = monthsOf(m[1]!, ref);
    if (!months) return;
    taken.push([at, at + m[0].length]);
    const span: [number, number] =
      kind === 'not-before' ? [months[0], Number.POSITIVE_INFINITY] : kind === 'by' ? [Number.NEGATIVE_INFINITY, months[1]] : months;
    const clause = focusedClause(text, m[0]);
    const terms = new Set(
      contentTokens(clause).filter(
        (t) => !/\d/.test(t) && !GENERIC_WORDS.has(t) && !common.has(t) && !MONTHS.some((mo) => t.startsWith(mo)),
      ),
    );
    const phrase = `${kind === 'not-before' ? 'not before' : kind === 'by' ? 'by' : 'in'} ${m[1]!}`;
    out.push({ statement, phrase, kind, clause, span, terms });
  };
  for (const m of text.matchAll(NOT_BEFORE)) add(m, 'not-before');
  for (const m of text.matchAll(BY)) add(m, 'by');
  for (const m of text.matchAll(IN)) {
    // "in 2023" after a past-tense verb is history: a plain date counts only when an
    // expectation governs it from just before ("aims to bring … online in 2028").
    const lead = text.slice(Math.max(0, m.index! - 80), m.index!);
    if (!EXPECTATION.test(lead) || /\bhad\b|\b(?:was|were)\b[^.;]{0,30}$/.test(lead)) continue;
    add(m, 'in');
  }
  return out;
}

function disjoint(a: [number, number], b: [number, number]): boolean {
  return a[1] < b[0] || b[1] < a[0];
}

/** At most two timing disagreements per story: the pairs that share the most about what is expected. */
export function timingConflicts(story: PreparedStory): Disagreement[] {
  const statements = statementsOf(story);
  const publisherOf = publisherLookup(story);
  const common = storyCommonTokens(story);
  const dateOf = new Map(story.articles.map((a) => [a.id, a.publishedAt ? new Date(a.publishedAt) : new Date(0)]));
  const all: Expectation[] = [];
  for (const s of [...story.sentences].sort((x, y) => y.score - x.score).slice(0, 200)) {
    const ref = dateOf.get(s.articleId) ?? new Date(0);
    if (ref.getTime() <= 0) continue; // without a date, "by March" names no month
    all.push(...expectationsIn(statements.get(s)!, ref, common));
  }
  const pairs: Array<{ a: Expectation; b: Expectation; weight: number }> = [];
  for (let i = 0; i < all.length; i += 1) {
    for (let j = i + 1; j < all.length; j += 1) {
      const [a, b] = [all[i]!, all[j]!];
      if (!disjoint(a.span, b.span) || !differentSources(a.statement, b.statement, publisherOf)) continue;
      const shared = [...a.terms].filter((t) => b.terms.has(t)).length;
      // One side open-ended ("not before") against a bound or a date is the classic dispute;
      // two plain dates with nothing in common may be two different milestones.
      const openEnded =
        Number.isFinite(a.span[0]) !== Number.isFinite(b.span[0]) || Number.isFinite(a.span[1]) !== Number.isFinite(b.span[1]);
      if (shared === 0 && (!openEnded || !EVENT.test(a.clause) || !EVENT.test(b.clause))) continue;
      // "By X" against "not before Y" is the plainest dispute over timing.
      const opposed = (a.kind === 'by' && b.kind === 'not-before') || (a.kind === 'not-before' && b.kind === 'by');
      pairs.push({
        a,
        b,
        weight: shared + (openEnded ? 1 : 0) + (opposed ? 1.5 : 0) + a.statement.sentence.score + b.statement.sentence.score,
      });
    }
  }
  pairs.sort((p, q) => q.weight - p.weight);
  const out: Array<{ spans: string; d: Disagreement }> = [];
  const used = new Set<Expectation>();
  const spanKey = (e: Expectation): string => `${e.span[0]}..${e.span[1]}`;
  for (const { a, b } of pairs) {
    if (used.has(a) || used.has(b)) continue;
    used.add(a).add(b);
    const spans = [spanKey(a), spanKey(b)].sort().join('|');
    const earlier = out.find((o) => o.spans === spans);
    const positions = [a, b].map((e) => ({ text: e.clause, articleIds: [...e.statement.sentence.articleIds] }));
    if (earlier) {
      // The same two expectations in other articles' words: more positions, not another dispute.
      if (earlier.d.positions.length < 4) (earlier.d.positions as Array<{ text: string; articleIds: string[] }>).push(...positions);
      continue;
    }
    if (out.length >= 2) continue;
    out.push({ spans, d: { about: `When: ${a.phrase} or ${b.phrase}?`, positions } });
  }
  return out.map((o) => o.d);
}
