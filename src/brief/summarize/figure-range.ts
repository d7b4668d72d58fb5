/**
 * What a figure claims, as a range of values, and what part it plays in its sentence. Two
 * sources disagree on a number only when their ranges do not meet: "about 10,000" and
 * "10,503" agree, "some 2,700 pages" and "2,702 pages" agree, "9.2 million" and "9.21 million"
 * agree; "two months" and "three months" do not. A bound reaches only a little past its
 * number: "more than $920 billion" and "$928 billion" agree, but "at least 12 killed" and "a
 * death toll of 15" are two different counts, which a reader of the brief needs to see even
 * though both can be true. A value the sentence gives as a forecast
 * ("870,000 expected") or as the earlier reading ("up from 8,200") is not the figure the story
 * reports, so it is never set against one.
 */
import type { FigureMention } from './figures.ts';

/** The values a figure allows: [low, high]. */
export interface ValueRange {
  readonly low: number;
  readonly high: number;
}

/** "reported": the story's own reading; "baseline": an earlier or compared one; "expected": a forecast. */
export type FigureRole = 'reported' | 'baseline' | 'expected';

const LOWER_BOUND = /^(?:at least|more than|over|above|just over|upwards of)\b/i;
const UPPER_BOUND = /^(?:less than|fewer than|under|below|up to|at most|as many as|as much as|nearly|almost|just under)\b/i;
const APPROXIMATE = /^(?:about|around|roughly|approximately|some|an estimated)\b/i;
const APPROXIMATE_BEFORE = /\b(?:about|around|roughly|approximately|some|an estimated)\s*$/i;
/** A plain value may be rounded by up to half its last digit, but never more than this share. */
const ROUNDING_SHARE = 0.05;
/** "about 10,000" allows this share either way. */
const APPROXIMATE_SHARE = 0.1;

/** The range a figure allows, or undefined when it has no numeric value. */
export function valueRange(f: FigureMention): ValueRange | undefined {
  const v = f.normalized;
  if (v === undefined) return undefined;
  const value = f.value.trim();
  const approximate = APPROXIMATE.test(value) || APPROXIMATE_BEFORE.test(textBefore(f, 20));
  const slack = Math.max(
    Math.min(roundingSlack(value, v), Math.abs(v) * ROUNDING_SHARE),
    approximate ? Math.abs(v) * APPROXIMATE_SHARE : 0,
  );
  // "more than 920" allows a little more than 920 (928 agrees), not anything above it.
  if (LOWER_BOUND.test(value)) return { low: v - slack, high: v + Math.max(slack, Math.abs(v) * ROUNDING_SHARE) };
  if (UPPER_BOUND.test(value)) return { low: v - Math.max(slack, Math.abs(v) * ROUNDING_SHARE), high: v + slack };
  return { low: v - slack, high: v + slack };
}

/** Which figures can be compared at all: counts with counts, months with months, euros with euros. */
export function figureClass(f: FigureMention): string {
  return f.kind === 'count' || f.kind === 'number' ? 'n' : `${f.kind}:${f.unit ?? ''}`;
}

/** True when no value satisfies both ranges. */
export function rangesConflict(a: ValueRange, b: ValueRange): boolean {
  return a.high < b.low || b.high < a.low;
}

/**
 * Half the last written digit, in the figure's scale: "9.2 million" → 50,000; "2,700" → 50;
 * "235,000" → 500. Trailing zeros count as rounding: a reporter who writes "2,700" means
 * "about".
 */
function roundingSlack(value: string, normalized: number): number {
  const digits = /(\d{1,3}(?:[,\u00a0\u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)/.exec(value)?.[1];
  if (digits === undefined) return 0;
  const plain = digits.replace(/[,\u00a0\u202f]/g, '');
  const written = Number(plain);
  if (!Number.isFinite(written) || written === 0) return 0;
  const scale = normalized / written;
  const decimals = plain.includes('.') ? plain.length - plain.indexOf('.') - 1 : 0;
  const trailingZeros = decimals > 0 ? 0 : (/0+$/.exec(plain)?.[0].length ?? 0);
  const unit = decimals > 0 ? 10 ** -decimals : 10 ** trailingZeros;
  return (unit / 2) * Math.abs(scale);
}

const BASELINE =
  /\b(?:from|than|compared (?:with|to)|revised (?:up|down)\w* to|(?:previous(?:ly)?|prior|earlier|last (?:week|month|year)'?s?)(?:\s+[\p{L}-]+){0,2}(?:\s+(?:of|was|at|stood at))?)\s*(?:an? |the |a revised )?$/iu;
const EXPECTED = /\b(?:expect\w*|forecast\w*|predict\w*|projected|consensus|anticipat\w*|estimates? of)\b[^.;]{0,30}$/i;

/** What part the figure plays: the story's reading, an earlier or compared one, or a forecast. */
export function figureRole(f: FigureMention): FigureRole {
  const before = textBefore(f, 40);
  if (BASELINE.test(before)) return 'baseline';
  if (EXPECTED.test(before)) return 'expected';
  // "870,000 jobs expected": the forecast named right after the value.
  if (/^\s*(?:\w+\s)?(?:expected|forecast|predicted|anticipated)\b/i.test(textAfter(f, 24))) return 'expected';
  return 'reported';
}

function textBefore(f: FigureMention, chars: number): string {
  const at = f.sentence.indexOf(f.value);
  return at < 0 ? '' : f.sentence.slice(Math.max(0, at - chars), at);
}

function textAfter(f: FigureMention, chars: number): string {
  const at = f.sentence.indexOf(f.value);
  return at < 0 ? '' : f.sentence.slice(at + f.value.length, at + f.value.length + chars);
}
