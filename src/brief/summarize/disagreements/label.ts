/** Labels in the articles' own words, for what a disagreement is about, and the shared cap. */

/** Disagreements shown per story; detectors stop early once they have this many. */
export const MAX_DISAGREEMENTS = 5;

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Words too general to name what a disagreement is about. */
const GENERIC_LABEL_WORDS = new Set([
  'former',
  'could',
  'would',
  'should',
  'which',
  'about',
  'their',
  'there',
  'still',
  'after',
  'before',
  'while',
  'said',
  'says',
  'saying',
  'other',
  'these',
  'those',
  'where',
  'being',
  'since',
  'because',
  'report',
  'reported',
  'stated',
  'states',
  'currently',
  'according',
  'added',
  'also',
  'told',
  'noted',
  'argued',
  'warned',
]);

/**
 * Stemmed terms back to the words the articles wrote ("llm" → "LLM", "gap" → "gap"), keeping
 * names, acronyms and longer content words; a label reads as the articles' own words.
 */
export function surfaceTerms(stems: readonly string[], text: string): string[] {
  const out: string[] = [];
  for (const stem of stems) {
    if (stem.length < 3 || /^\d/.test(stem)) continue;
    const escaped = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const word = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped}[\\p{L}\\p{N}'’-]*)`, 'iu').exec(text)?.[1];
    if (!word || GENERIC_LABEL_WORDS.has(word.toLowerCase())) continue;
    if (
      !/\p{Lu}/u.test(word) &&
      word.length < 5 &&
      !['gap', 'war', 'ban', 'tax', 'law', 'vote', 'deal', 'race', 'odds'].includes(word.toLowerCase())
    )
      continue;
    if (!out.some((w) => w.toLowerCase() === word.toLowerCase())) out.push(word);
  }
  return out;
}
