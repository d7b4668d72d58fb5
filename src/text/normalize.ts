/**
 * Text normalisation for comparing what a summary says with what a source says:
 * typography (spaces, dashes, quotes), thousands separators and "per cent" spellings are
 * folded so that "€3,100 million" in a draft matches "€3,100\u00a0million" in an article.
 */

/** Folds typography for matching; lower-cased, single-spaced. Not for display. */
export function normalizeForMatch(text: string): string {
  // Plain ASCII text (most of it) skips the Unicode folding.
  // eslint-disable-next-line no-control-regex -- the ASCII range, on purpose
  const folded = /[^\x00-\x7f]/.test(text)
    ? text
        .normalize('NFKC')
        .replace(/[\u00a0\u2007\u2009\u202f\u200b]/g, ' ')
        .replace(/[\u2010-\u2015\u2212]/g, '-')
        .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
        .replace(/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"')
    : text;
  if (!/\d/.test(folded)) return folded.replace(/\s+/g, ' ').toLowerCase().trim();
  return folded
    .replace(/(\d)[,\u066c](?=\d{3}(?!\d))/g, '$1')
    .replace(/(\d)\s*(?:per\s?cent|percent)\b/gi, '$1%')
    .replace(/(\d)\s+%/g, '$1%')
    .replace(/\s+/g, ' ')
    .toLowerCase()
    .trim();
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * True when `needle` occurs in `haystack` (both already normalised) on token edges, so that
 * "6 months" is not found inside "16 months" and "v2" not inside "v21".
 */
export function containsNormalized(haystack: string, needle: string): boolean {
  if (needle.length === 0) return false;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return false;
    const before = haystack[at - 1];
    const after = haystack[at + needle.length];
    const edgeBefore = before === undefined || !WORD_CHAR.test(needle[0]!) || !WORD_CHAR.test(before) || /[\u3000-\u9fff]/.test(before);
    const last = needle[needle.length - 1]!;
    const edgeAfter = after === undefined || !WORD_CHAR.test(last) || !WORD_CHAR.test(after) || /[\u3000-\u9fff]/.test(after);
    // "3.1" must not match the start of "3.15": a dot followed by a digit continues the number.
    const decimalContinues = /\d/.test(last) && after === '.' && /\d/.test(haystack[at + needle.length + 1] ?? '');
    const decimalBefore = /\d/.test(needle[0]!) && before === '.' && /\d/.test(haystack[at - 2] ?? '');
    if (edgeBefore && edgeAfter && !decimalContinues && !decimalBefore) return true;
    from = at + 1;
  }
}

/** Digit groups in a text ("1,479", "3.1", "5.6"), normalised, for "no invented numbers" checks. */
export function numbersIn(text: string): string[] {
  const norm = normalizeForMatch(text);
  return [...norm.matchAll(/\d+(?:\.\d+)*/g)].map((m) => m[0]);
}
