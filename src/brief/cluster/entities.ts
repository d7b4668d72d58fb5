/**
 * Named things two reports of one event share: multi-word capitalised names ("Supreme Court",
 * "Colin Powell") and numbers with their unit ("$1.2 trillion", "194,000 jobs", "29.4%").
 * They become extra, highly specific terms in a document's vector.
 */

// Two or more capitalised words in a row, allowing "of"/"de"/"al" inside ("Bank of China").
const NAME = /\p{Lu}[\p{L}\p{M}'’.-]*(?:\s+(?:(?:of|de|del|al|van|von|bin)\s+)?\p{Lu}[\p{L}\p{M}'’.-]*)+/gu;
/**
 * A run of name characters too long to be a word of a name. NAME is tried from every capital of a
 * run, each try reading to the run's end: one 200,000-capital "word" took 35 s. Such runs are
 * blanked first (one linear pass), so a try reads at most this far.
 */
const LONG_RUN_LENGTH = 65;
const LONG_RUN = new RegExp(`[\\p{L}\\p{M}'’.-]{${LONG_RUN_LENGTH},}`, 'gu');

/**
 * Whether a text has LONG_RUN_LENGTH characters in a row with no space or control character
 * among them, as any LONG_RUN match does: one pass over character codes, where LONG_RUN itself
 * is tried from every word of every text (a fifth of the entity work on ordinary news).
 */
function mayHaveLongRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text.charCodeAt(i) <= 0x20) run = 0;
    else if (++run >= LONG_RUN_LENGTH) return true;
  }
  return false;
}
const NUMBER_WITH_UNIT =
  /([$€£¥]\s?)?(\d[\d,]*(?:\.\d+)?)\s?(%|percent|per cent|million|billion|trillion|thousand|yuan|dollars|euros|pounds|people|jobs|votes|cases|deaths|years|months|days|hours|miles|km|tons|tonnes|gw|mw)?/giu;
/** Sentence-initial words that are capitalised only by position. */
const FUNCTION_WORDS = new Set([
  'The',
  'A',
  'An',
  'In',
  'On',
  'At',
  'But',
  'And',
  'As',
  'For',
  'It',
  'This',
  'That',
  'He',
  'She',
  'They',
  'We',
  'After',
  'When',
  'While',
  'If',
]);

/**
 * Chinese numbers with a unit, keyed like their English counterparts ("3个月" is "n:3 months"):
 * a Chinese report of an event shares its figures with the English ones, not its words. Months
 * need 个 ("5月" is May), and percentages may use the full-width sign.
 */
const CJK_NUMBER_WITH_UNIT = /(\d+(?:\.\d+)?)\s*(个月|天|周|小时|%|％)/gu;
const CJK_UNIT: Record<string, string> = { 个月: 'months', 天: 'days', 周: 'weeks', 小时: 'hours', '%': 'percent', '％': 'percent' };

/** Entity keys of a text, lowercased, prefixed "e:" (names) or "n:" (numbers with units). */
export function entities(text: string): string[] {
  const out: string[] = [];
  const names = mayHaveLongRun(text) ? text.replace(LONG_RUN, ' ') : text;
  for (const m of names.matchAll(NAME)) {
    const words = m[0].split(/\s+/);
    while (words.length > 0 && FUNCTION_WORDS.has(words[0]!)) words.shift();
    if (words.length < 2) continue;
    const name = words
      .join(' ')
      .replace(/[’']s$/u, '')
      .toLowerCase();
    out.push(`e:${name}`);
    // "Secretary of State Colin Powell" and "Colin Powell" are the same person.
    if (words.length >= 3) out.push(`e:${name.split(' ').slice(-2).join(' ')}`);
  }
  for (const m of text.matchAll(NUMBER_WITH_UNIT)) {
    const currency = m[1]?.trim() ?? '';
    const unit = m[3]?.toLowerCase().replace('per cent', 'percent').replace('%', 'percent') ?? '';
    if (currency === '' && unit === '') continue;
    out.push(`n:${currency}${m[2]!.replace(/,/g, '')}${unit === '' ? '' : ` ${unit}`}`);
  }
  if (/[\u3400-\u9fff]/.test(text)) for (const m of text.matchAll(CJK_NUMBER_WITH_UNIT)) out.push(`n:${m[1]} ${CJK_UNIT[m[2]!]}`);
  return out;
}
