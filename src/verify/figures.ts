/**
 * Where a figure's value occurs in a source, tolerating how it is written but never a changed
 * value: "3 months" is found in "three months", "$1.2bn" in "$1.2 billion", "1,130 jobs" in
 * "1130 jobs"; "25%" is not found in "20%", nor "$1.2bn" in "€1.2 billion".
 */
import { containsNormalized, normalizeForMatch } from '../text/normalize.ts';
import { contentTokens } from '../text/tokenize.ts';
import { numberMentions } from '../text/numbers.ts';
import type { PreparedSource } from './support.ts';

const CURRENCIES: ReadonlyArray<[RegExp, RegExp]> = [
  [/\$|\bus?d\b|\bdollars?\b/i, /\$|\busd\b|\bdollars?\b/i],
  [/€|\beur\b|\beuros?\b/i, /€|\beur\b|\beuros?\b/i],
  [/£|\bgbp\b|\bpounds?\b/i, /£|\bgbp\b|\bpounds?\b|\bsterling\b/i],
  [/¥|\b(?:cny|rmb|jpy)\b|\byuan\b|\byen\b|元/i, /¥|\b(?:cny|rmb|jpy)\b|\byuan\b|\byen\b|\brenminbi\b|元/i],
  [/₹|\binr\b|\brupees?\b/i, /₹|\binr\b|\brupees?\b/i],
  [/₩|\bkrw\b/i, /₩|\bkrw\b|\bwon\b/i],
];
const PERCENT = /%|per\s?cent/i;
/** Words of a value that say its scale or currency, not what it counts. */
const NOT_UNITS = new Set([
  'hundred',
  'thousand',
  'million',
  'billion',
  'trillion',
  'mn',
  'bn',
  'tn',
  'usd',
  'eur',
  'gbp',
  'cny',
  'rmb',
  'dollar',
  'euro',
  'pound',
  'yuan',
  'yen',
  'us',
]);

/** The source sentence that states the value, or undefined when none does. */
export function sentenceWithValue(value: string, source: PreparedSource): string | undefined {
  const literal = normalizeForMatch(value);
  if (literal === '') return undefined;
  const mentions = numberMentions(value);
  let units: string[] | undefined;
  for (let i = 0; i < source.sentences.length; i++) {
    const sentence = source.sentences[i]!;
    if (containsNormalized(normalizeForMatch(sentence), literal)) return sentence;
    if (mentions.length === 0 || !mentions.every((m) => source.sentenceNumbers[i]!.has(m.key))) continue;
    units ??= contentTokens(mentions.reduce((v, m) => v.replace(m.raw, ' '), value)).filter((t) => !NOT_UNITS.has(t) && !/^\d/.test(t));
    if (!units.every((t) => source.sentenceTokens[i]!.has(t))) continue;
    if (PERCENT.test(value) && !PERCENT.test(sentence)) continue;
    if (CURRENCIES.some(([inValue, inSentence]) => inValue.test(value) && !inSentence.test(sentence))) continue;
    return sentence;
  }
  return undefined;
}
