/**
 * A light English suffix stripper (an S-stemmer plus -ing/-ed and a final -e), enough to make
 * "tariffs"/"tariff" and "increased"/"increasing"/"increase" meet. Not Porter: cheap and
 * predictable beats linguistically exact for similarity.
 */
const VOWEL = /[aeiouy]/;

/** The stem of one lowercase word; words with digits or of 3 letters or fewer are kept. */
export function stem(word: string): string {
  const n = word.length;
  if (n <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && n > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);

  if (w.endsWith('ing') && w.length > 5 && VOWEL.test(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4 && VOWEL.test(w.slice(0, -2))) w = undouble(w.slice(0, -2));

  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** "stopp" → "stop", but "fall" and "miss" stay. */
function undouble(w: string): string {
  const last = w[w.length - 1];
  if (last !== undefined && last === w[w.length - 2] && !'lsz'.includes(last) && !VOWEL.test(last)) return w.slice(0, -1);
  return w;
}

/**
 * The matching tokenizer's stemmer, lighter still: enough that "models"/"model" and
 * "widening"/"widen" meet (words of 4 letters or fewer are kept).
 */
export function stemForMatch(token: string): string {
  if (token.length <= 4) return token;
  if (token.endsWith('ies') && token.length > 5) return token.slice(0, -3) + 'y';
  if (token.endsWith('ing') && token.length > 6) return token.slice(0, -3);
  if (token.endsWith('ed') && token.length > 5) return token.slice(0, -2);
  if (token.endsWith('es') && /(?:ss|x|ch|sh)es$/.test(token)) return token.slice(0, -2);
  if (token.endsWith('s') && !token.endsWith('ss') && !token.endsWith('us')) return token.slice(0, -1);
  return token;
}
