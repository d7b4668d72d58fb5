/**
 * The tokenizer every similarity measure shares: Unicode-aware, lowercase, letters and digits.
 * Chinese, Japanese and Korean have no spaces between words, so their runs become overlapping
 * character bigrams, which match about as well as a word segmenter for similarity purposes.
 */
import { ENGLISH_STOPWORDS } from './stopwords.ts';
import { stem } from './stem.ts';

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
    const cjk = [...m[0]];
    if (cjk.length === 1) out.push(cjk[0]!);
    for (let i = 0; i + 1 < cjk.length; i += 1) out.push(cjk[i]! + cjk[i + 1]!);
    last = m.index + m[0].length;
  }
  if (last < run.length) pushWord(run.slice(last), out);
}

/** "194,000" → "194000"; "1.5" stays; "1,5" (a European decimal) is left as written. */
function normalizeNumber(raw: string): string {
  if (/^\p{N}{1,3}(?:,\p{N}{3})+(?:\.\p{N}+)?$/u.test(raw)) return raw.replace(/,/g, '');
  return raw;
}
