/**
 * Text normalisation for comparing what a summary says with what a source says:
 * typography (spaces, dashes, quotes), thousands separators and "per cent" spellings are
 * folded so that "€3,100 million" in a draft matches "€3,100\u00a0million" in an article.
 */

/** Folds typography for matching; lower-cased, single-spaced. Not for display. */
export function normalizeForMatch(text: string): string {
  // Plain ASCII text (most of it) skips the Unicode folding.
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
    const edgeAfter =
      after === undefined ||
      !WORD_CHAR.test(last) ||
      !WORD_CHAR.test(after) ||
      /[\u3000-\u9fff]/.test(after);
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

const STOPWORDS = new Set(
  (
    'a an the and or but if then than that this these those there their they them it its is are was were be been being ' +
    'of in on at to for from by with as about into over under after before between through during without within ' +
    'he she his her him we us our you your i me my not no nor so too very can could would should will shall may might must ' +
    'do does did done has have had having also just only more most much many some any all each other such own same ' +
    'what which who whom whose when where why how said says say saying told according while whereas however yet still ' +
    'one two new per up out off again further once here both few s t don now even being its itself who\'s'
  ).split(/\s+/),
);

/** True for function words that carry no topic. */
export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

/** Light stemming: enough that "models"/"model" and "widening"/"widen" meet. */
export function stem(token: string): string {
  if (token.length <= 4) return token;
  if (token.endsWith('ies') && token.length > 5) return token.slice(0, -3) + 'y';
  if (token.endsWith('ing') && token.length > 6) return token.slice(0, -3);
  if (token.endsWith('ed') && token.length > 5) return token.slice(0, -2);
  if (token.endsWith('es') && /(?:ss|x|ch|sh)es$/.test(token)) return token.slice(0, -2);
  if (token.endsWith('s') && !token.endsWith('ss') && !token.endsWith('us')) return token.slice(0, -1);
  return token;
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
      if (word.length === 1) out.push(word);
      for (let i = 0; i + 1 < word.length; i++) out.push(word.slice(i, i + 2));
      continue;
    }
    for (const part of word.includes('-') && !/\d/.test(word) ? word.split('-') : [word]) {
      const t = part.replace(/'s$/, '');
      if (t.length < 2 || isStopword(t)) continue;
      out.push(stem(t));
    }
  }
  return out;
}
