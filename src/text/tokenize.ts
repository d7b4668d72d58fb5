/**
 * Tokenizers: text → lowercase word stems without stopwords. Chinese, Japanese and Korean have
 * no spaces between words, so their runs become overlapping character bigrams, which match
 * about as well as a word segmenter for these purposes.
 *
 * Two profiles, kept apart on purpose for now:
 * - {@link tokenize}, for similarity between documents and passages (clustering, evidence
 *   selection, follow-up retrieval): numbers keep their separators, a richer stemmer.
 * - {@link contentTokens}, for matching what a summary says against what a source says
 *   (sentence scoring, verification, disagreements): typography folded first
 *   (normalizeForMatch), hyphenated words split, a lighter stemmer and its own stopwords.
 * They are not one because they measurably are not interchangeable: matching with the
 * similarity stemmer (which also drops a final -e and undoubles consonants, so "estimates" and
 * "estimated" meet but more unrelated words collide) loses a disagreement about a march's size
 * and swaps a figure on the shared test windows (disagreements 20/20 → 19/20), and the
 * similarity profile drops weekdays and "year", which the timing and figure finders need. The
 * clustering thresholds were tuned on {@link tokenize}; moving clustering to the matching
 * profile would be a re-tuning of its own, measured on every evaluation set.
 */
import { normalizeForMatch } from './normalize.ts';
import { stem, stemForMatch } from './stem.ts';
import { ENGLISH_STOPWORDS, MATCH_STOPWORDS } from './stopwords.ts';

// A number keeps its decimal point and thousands separators ("1.2", "194,000" → "194000"),
// unless letters follow it ("4o", "5g" stay one word).
const TOKEN = /\p{N}+(?:[.,]\p{N}+)*(?![\p{L}\p{M}\p{N}])|[\p{L}\p{M}\p{N}]+/gu;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const HAS_CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const DIGIT_START = /^\p{N}/u;

/** Lowercase tokens of `text`: stemmed English words without stopwords, numbers, CJK bigrams. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(TOKEN)) {
    const raw = match[0];
    if (DIGIT_START.test(raw) && (raw.includes(',') || raw.includes('.'))) {
      out.push(normalizeNumber(raw));
    } else if (HAS_CJK.test(raw)) {
      pushMixed(raw, out);
    } else {
      pushWord(raw, out);
    }
  }
  return out;
}

function pushWord(word: string, out: string[]): void {
  if (ENGLISH_STOPWORDS.has(word)) return;
  if (word.length === 1 && !/\p{N}/u.test(word)) return;
  out.push(stem(word));
}

/** A run mixing CJK and other letters: CJK parts as bigrams, the rest as words. */
function pushMixed(run: string, out: string[]): void {
  let last = 0;
  for (const m of run.matchAll(CJK_RUN)) {
    if (m.index > last) pushWord(run.slice(last, m.index), out);
    pushBigrams([...m[0]], out);
    last = m.index + m[0].length;
  }
  if (last < run.length) pushWord(run.slice(last), out);
}

/** A CJK run as overlapping character bigrams; a lone character stands for itself. */
function pushBigrams(chars: readonly string[], out: string[]): void {
  if (chars.length === 1) out.push(chars[0]!);
  for (let i = 0; i + 1 < chars.length; i += 1) out.push(chars[i]! + chars[i + 1]!);
}

/** "194,000" → "194000"; "1.5" stays; "1,5" (a European decimal) is left as written. */
function normalizeNumber(raw: string): string {
  if (/^\p{N}{1,3}(?:,\p{N}{3})+(?:\.\p{N}+)?$/u.test(raw)) return raw.replace(/,/g, '');
  return raw;
}

/**
 * Content tokens of a text: lower-cased words and numbers without stopwords, stemmed.
 * CJK runs become character bigrams so Chinese text compares too.
 */
export function contentTokens(text: string): string[] {
  const out: string[] = [];
  const norm = normalizeForMatch(text);
  for (const m of norm.matchAll(/[\u3400-\u9fff\uf900-\ufaff]+|[\p{L}\p{N}]+(?:[.'-][\p{L}\p{N}]+)*/gu)) {
    const word = m[0];
    if (/[\u3400-\u9fff]/.test(word)) {
      pushBigrams([...word], out);
      continue;
    }
    for (const part of word.includes('-') && !/\d/.test(word) ? word.split('-') : [word]) {
      const t = part.replace(/'s$/, '');
      if (t.length < 2 || MATCH_STOPWORDS.has(t)) continue;
      out.push(stemForMatch(t));
    }
  }
  return out;
}
