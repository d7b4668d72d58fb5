/**
 * The prose and binary checks (collect/article-shape.ts) read text by hand for speed; they must
 * judge exactly as the patterns they stand for: split on \s+, each token tested against WORD,
 * and a count of control characters. Random texts over an alphabet of the characters where a
 * hand-written reader could go wrong (quotes, apostrophes, hyphens, accents, combining marks,
 * Unicode spaces, CJK, controls) are judged both ways.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksBinary, looksLikeProse } from '../src/collect/article-shape.ts';

/** The definitions the checks implement, written as patterns. */
const WORD = /^["'“‘(]*\p{L}[\p{L}\p{M}'’-]*[.,;:!?"'”’)]*$/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
function proseByPattern(text: string): boolean {
  const sample = text.slice(0, 64_000);
  if ((sample.match(CJK)?.length ?? 0) >= 30) return true;
  const tokens = sample.split(/\s+/).filter((t) => t !== '');
  const words = tokens.filter((t) => WORD.test(t)).length;
  return words >= 8 && words / tokens.length >= 0.5;
}
function binaryByCount(text: string): boolean {
  const sample = text.slice(0, 64_000);
  if (sample.length === 0) return false;
  // eslint-disable-next-line no-control-regex -- control characters are what it counts
  const bad = [...sample].filter((c) => /[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]/.test(c)).length;
  return bad / sample.length > 0.02;
}

const WORDS = ['harbour', 'Crews', "don't", 'x-ray', 'café', 'naïve', 'e\u0301', 'Zoë', 'rock’n’roll', 'Ünal', 'IMO-2'];
const MARKS = ['"', "'", '“', '”', '‘', '’', '(', ')', '.', ',', ';', ':', '!', '?', '-', '–', '/', '@', '#', '_', '[', '`', '42', '3.5'];
const OTHER = ['港口', 'カ', '한', '\x00', '\x07', '\x7f', '\ufffd', '\u200b'];
const SPACES = [' ', ' ', ' ', '\n', '\t', '\u00a0', '\u2003', '\u3000', '\u2028', '\ufeff', '\v', '\r\n'];

/** Texts of tokens: words with marks around or inside them, junk, and every kind of space between. */
function randomTexts(count: number, seed: number): string[] {
  let state = seed;
  const next = (n: number): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % n;
  const pick = (list: readonly string[]): string => list[next(list.length)]!;
  const token = (junk: number): string => {
    if (next(10) < junk) return Array.from({ length: 1 + next(3) }, () => pick(next(2) ? MARKS : OTHER)).join('');
    const before = next(3) === 0 ? pick(MARKS) : '';
    const inside = next(6) === 0 ? pick(MARKS) + pick(WORDS) : '';
    const after = next(3) === 0 ? pick(MARKS) + (next(2) ? pick(MARKS) : '') : '';
    return before + pick(WORDS) + inside + after;
  };
  return Array.from({ length: count }, () => {
    const junk = next(8);
    return Array.from({ length: 3 + next(30) }, () => token(junk) + pick(SPACES)).join('');
  });
}

/**
 * `fast` answers as `reference` on 20,000 random texts, and both answers occur often, or the
 * comparison proves little.
 */
function agreesOnRandomTexts(seed: number, fast: (text: string) => boolean, reference: (text: string) => boolean, what: string): void {
  const texts = randomTexts(20_000, seed);
  let yes = 0;
  for (const text of texts) {
    const expected = reference(text);
    assert.equal(fast(text), expected, JSON.stringify(text));
    if (expected) yes += 1;
  }
  assert.ok(yes > 1_000 && yes < texts.length - 1_000, `${yes} of ${texts.length} read as ${what}`);
}

test('looksLikeProse judges every text as splitting on \\s+ and testing each token would', () => {
  agreesOnRandomTexts(7, looksLikeProse, proseByPattern, 'prose');
});

test('looksBinary judges every text as counting control characters would', () => {
  agreesOnRandomTexts(11, looksBinary, binaryByCount, 'binary');
});
