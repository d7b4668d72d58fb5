/**
 * Numbers as values, for "is this number in the source?" checks that tolerate how a number is
 * written but never a changed value: "3 months" = "three months", "1,130" = "1130",
 * "$1.2bn" = "$1.2 billion" = "1,200 million"; "1,130" ≠ "1,100", "3.1" ≠ "3.15".
 *
 * A mention's key is its value as written with its scale ("1.2 billion" → "1200000000").
 * A source also offers the bare mantissa of a scaled number ("1.2 billion" offers "1.2" too),
 * so a draft that writes the bare number is not cut; the reverse (a draft that adds a scale
 * the source lacks) is a changed value and is.
 */

/** One number found in a text. */
export interface NumberMention {
  /** Canonical value as written, scale applied ("1200000000", "3", "1.2.3" for versions). */
  readonly key: string;
  /** The bare number without its scale word, when it had one ("1.2" of "1.2 billion"). */
  readonly mantissa?: string;
  /** The text as written ("$1.2bn", "three", "1,130"). */
  readonly raw: string;
  readonly index: number;
}

const UNITS: Record<string, number> = {
  zero: 0,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = {
  hundred: 100,
  thousand: 1e3,
  million: 1e6,
  mn: 1e6,
  billion: 1e9,
  bn: 1e9,
  trillion: 1e12,
  tn: 1e12,
  万: 1e4,
  亿: 1e8,
  千: 1e3,
  百万: 1e6,
};
/**
 * The value of one number word ("seven" → 7, "forty" → 40, "a"/"an"/"one" → 1, "hundred" → 100);
 * undefined for any other word.
 */
export function numberWordValue(word: string): number | undefined {
  const w = word.toLowerCase();
  if (w === 'one' || w === 'a' || w === 'an') return 1;
  if (w === 'hundred') return 100;
  return Object.hasOwn(UNITS, w) ? UNITS[w] : Object.hasOwn(TENS, w) ? TENS[w] : undefined;
}

/** Scale letters that only count after a currency ("$5m", "€2k"): "100m" alone may be metres. */
const CURRENCY_SCALES: Record<string, number> = { m: 1e6, k: 1e3, b: 1e9 };

const CURRENCY = /[$€£¥₩₹]\s*$|\b(?:us|usd|eur|gbp|cny|rmb|hk|a|c|nz|s)\$?\s*$/i;

/** Shortest exact decimal string of a value (no float noise: 1.2e9 → "1200000000"). */
function canonical(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(12));
  return Number.isInteger(rounded) ? BigInt(Math.round(rounded)).toString() : String(rounded);
}

const WORD_NUMBER = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:a(?=[\s-]+(?:hundred|thousand|million|billion|trillion)(?![\p{L}]))|one|${[...Object.keys(UNITS), ...Object.keys(TENS)].join('|')})(?:[\s-]+(?:and\s+)?(?:${[...Object.keys(UNITS), ...Object.keys(TENS), 'one', 'hundred', 'thousand', 'million', 'billion', 'trillion'].join('|')}))*)(?![\p{L}\p{N}])`,
  'giu',
);

/**
 * Parses a run of number words ("nine thousand nine hundred and ninety-nine" → 9999).
 * Returns undefined for runs that are not a number by themselves ("a", "one" alone, which
 * mostly mean "a single" or "one of the …", not a figure).
 */
function parseWords(run: string): number | undefined {
  const words = run
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((w) => w !== 'and');
  if (words.length === 1 && (words[0] === 'a' || words[0] === 'one')) return undefined;
  if (words[0] === 'a' && !(words[1]! in SCALES)) return undefined;
  let total = 0;
  let current = 0;
  let sawNumber = false;
  for (const w of words) {
    if (w === 'a' || w === 'one') current += 1;
    else if (w in UNITS) current += UNITS[w]!;
    else if (w in TENS) current += TENS[w]!;
    else if (w === 'hundred') current = (current || 1) * 100;
    else if (w in SCALES) {
      total += (current || 1) * SCALES[w]!;
      current = 0;
    } else return undefined;
    sawNumber = true;
  }
  return sawNumber ? total + current : undefined;
}

const DIGITS = /(?<![\p{N}.,])(\d{1,3}(?:[,\u066c]\d{3})+|\d+)((?:\.\d+)+)?(?:st|nd|rd|th)?/gu;
const SCALE_AFTER = /^(?:[\s-]?(hundred|thousand|million|billion|trillion|mn|bn|tn)(?![\p{L}])|(百万|万|亿|千))/iu;
const LETTER_AFTER = /^(m|k|b)(?![\p{L}\p{N}])/iu;

/** Every number in a text, digits and number words, with its value key. */
export function numberMentions(text: string): NumberMention[] {
  const folded = text.normalize('NFKC').replace(/[\u00a0\u2007\u2009\u202f]/g, ' ');
  const out: NumberMention[] = [];
  for (const m of folded.matchAll(DIGITS)) {
    const [whole, intPart, fraction] = m;
    const index = m.index;
    const digits = intPart!.replace(/[,\u066c]/g, '');
    if (fraction !== undefined && fraction.split('.').length > 2) {
      // "1.2.3": a version, compared as written.
      out.push({ key: `${digits}${fraction}`, raw: whole, index });
      continue;
    }
    const base = Number(`${digits}${fraction ?? ''}`);
    const rest = folded.slice(index + whole.length);
    const scaleWord = SCALE_AFTER.exec(rest);
    const before = folded.slice(Math.max(0, index - 6), index);
    const letter = !scaleWord && CURRENCY.test(before) ? LETTER_AFTER.exec(rest) : null;
    const scale = scaleWord
      ? SCALES[(scaleWord[1] ?? scaleWord[2])!.toLowerCase()]!
      : letter
        ? CURRENCY_SCALES[letter[1]!.toLowerCase()]!
        : 1;
    const raw = folded.slice(index, index + whole.length + (scaleWord?.[0].length ?? letter?.[0].length ?? 0));
    out.push({ key: canonical(base * scale), ...(scale !== 1 && { mantissa: canonical(base) }), raw, index });
  }
  for (const m of folded.matchAll(WORD_NUMBER)) {
    const value = parseWords(m[0]);
    if (value === undefined) continue;
    out.push({ key: canonical(value), raw: m[0], index: m.index });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The value keys a source offers: every mention's key, plus the mantissa of scaled ones. */
export function numberKeys(text: string): Set<string> {
  const keys = new Set<string>();
  for (const m of numberMentions(text)) {
    keys.add(m.key);
    if (m.mantissa !== undefined) keys.add(m.mantissa);
  }
  return keys;
}

/** The numbers of `text` whose value `keys` (a source's {@link numberKeys}) does not hold. */
export function missingNumbers(text: string, keys: ReadonlySet<string>): NumberMention[] {
  return numberMentions(text).filter((m) => !keys.has(m.key));
}
