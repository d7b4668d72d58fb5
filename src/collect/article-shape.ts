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

/** True when decoded text looks like a binary file's bytes rather than text. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, SAMPLE);
  if (sample.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) if (isBinaryChar(sample.charCodeAt(i))) bad++;
  return bad / sample.length > MAX_BINARY_SHARE;
}

/** True when the text reads as prose: enough words, and mostly words rather than records. */
export function looksLikeProse(text: string): boolean {
  const sample = text.slice(0, SAMPLE);
  if ((sample.match(CJK)?.length ?? 0) >= MIN_CJK) return true;
  const tokens = sample.split(/\s+/).filter((t) => t !== '');
  const words = tokens.filter((t) => WORD.test(t)).length;
  return words >= MIN_WORDS && words / tokens.length >= MIN_WORD_SHARE;
}

/** Why `text` is not an article, or undefined when it may be one. */
export function notArticleReason(text: string): string | undefined {
  if (looksBinary(text)) return 'binary file, not an article';
  if (!looksLikeProse(text)) return 'not an article (no prose: records, paths or code rather than sentences)';
  return undefined;
}
