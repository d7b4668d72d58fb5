/**
 * Is this text an article at all? A folder of "articles" may hold a photo saved as .txt, a
 * core dump, or a copy of /etc/passwd: none of them may become a story. Two cheap checks,
 * linear in the text: binary content (NULs, control characters, undecodable bytes), and
 * prose (words separated by spaces, or CJK text) rather than records and paths.
 */

/** Characters examined: enough to judge, bounded for a 20 MB file. */
const SAMPLE = 64_000;
/** Share of control or replacement characters above which text is binary. */
const MAX_BINARY_SHARE = 0.02;
/** Word-like tokens an article has at least, and their least share of all tokens. */
const MIN_WORDS = 8;
const MIN_WORD_SHARE = 0.5;
const MIN_CJK = 30;

/** Controls other than tab, newline, form feed and carriage return; U+FFFD (undecodable bytes). */
function isBinaryChar(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f || code === 0xfffd;
}
/** A word: letters (with an inner apostrophe or hyphen), optional surrounding quotes and punctuation. */
const WORD = /^["'“‘(]*\p{L}[\p{L}\p{M}'’-]*[.,;:!?"'”’)]*$/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** Any character isBinaryChar counts: one native scan clears most texts. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const BINARY_CHAR = /[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]/;

/** True when decoded text looks like a binary file's bytes rather than text. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, SAMPLE);
  if (sample.length === 0 || !BINARY_CHAR.test(sample)) return false;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) if (isBinaryChar(sample.charCodeAt(i))) bad++;
  return bad / sample.length > MAX_BINARY_SHARE;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** True when the text reads as prose: enough words, and mostly words rather than records. */
export function looksLikeProse(text: string): boolean {
  const sample = text.slice(0, SAMPLE);
  if (NON_ASCII.test(sample) && (sample.match(CJK)?.length ?? 0) >= MIN_CJK) return true;
  let tokens = 0;
  let words = 0;
  // The tokens between runs of white space (as split(/\s+/) cuts them), each judged as it ends.
  let start = -1;
  for (let i = 0; i <= sample.length; i += 1) {
    const space = i === sample.length || isSpace(sample.charCodeAt(i));
    if (space && start >= 0) {
      tokens += 1;
      if (isWordToken(sample, start, i)) words += 1;
      start = -1;
    } else if (!space && start < 0) start = i;
  }
  return words >= MIN_WORDS && words / tokens >= MIN_WORD_SHARE;
}

/** White space as the regex class \s has it. */
function isSpace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * Whether text[from…to) is a WORD. Plain ASCII tokens, nearly all of them, are read by hand:
 * opening quotes or brackets, a letter, letters, apostrophes and hyphens, then closing marks.
 * A token with any other character goes to the pattern.
 */
function isWordToken(text: string, from: number, to: number): boolean {
  let phase = 0; // 0: opening marks, 1: the word, 2: closing marks
  for (let i = from; i < to; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return WORD.test(text.slice(from, to));
    const letter = (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
    if (phase === 0) {
      if (letter) phase = 1;
      else if (!OPENING.includes(code)) return false;
    } else if (phase === 1) {
      if (letter || code === 0x27 || code === 0x2d) continue;
      if (!CLOSING.includes(code)) return false;
      phase = 2;
    } else if (!CLOSING.includes(code)) return false;
  }
  return phase > 0;
}

/** The ASCII marks WORD allows before a word ("'(), and after it (.,;:!?"')). */
const OPENING = [0x22, 0x27, 0x28];
const CLOSING = [0x2e, 0x2c, 0x3b, 0x3a, 0x21, 0x3f, 0x22, 0x27, 0x29];

/** Why `text` is not an article, or undefined when it may be one. */
export function notArticleReason(text: string): string | undefined {
  if (looksBinary(text)) return 'binary file, not an article';
  if (!looksLikeProse(text)) return 'not an article (no prose: records, paths or code rather than sentences)';
  return undefined;
}
