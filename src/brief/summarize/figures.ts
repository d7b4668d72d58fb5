/**
 * Finding figures in a sentence: percentages, money, durations, counts, dates, ratios,
 * model/version numbers. Values are returned exactly as written, with the qualifier when it
 * changes the meaning ("less than 20%", "at least 3 months").
 */
import { numberWordValue } from '../../text/numbers.ts';
import { isStopword } from '../../text/stopwords.ts';

export type FigureKind = 'percent' | 'money' | 'duration' | 'count' | 'date' | 'ratio' | 'version' | 'number';

/** A figure found in a sentence. */
export interface FigureMention {
  /** Exactly as written in the text. */
  value: string;
  kind: FigureKind;
  sentence: string;
  /** What it measures, from the words around it ("gap", "chance", "death toll"). */
  quantity?: string;
  /** The number itself, scaled ("€3.1 billion" → 3.1e9, "three months" → 3). */
  normalized?: number;
  /** "%", a currency code, a time unit ("month"), or a counted noun ("jobs"). */
  unit?: string;
}

const WORD_NUM = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty';
const NUM = String.raw`\d{1,3}(?:[,\u00a0\u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const SCALE = String.raw`(?:thousand|million|billion|trillion|bn|mn|m|k)\b`;
const QUALIFIER = String.raw`(?:(?:at least|at most|more than|less than|fewer than|over|under|nearly|almost|about|around|roughly|approximately|up to|as many as|as much as|as few as|some|just over|just under|below|above)\s+)?`;
const CURRENCY_SYMBOL = String.raw`(?:US\$|HK\$|A\$|C\$|S\$|R\$|[$€£¥₩₹]|RMB\s?|CNY\s?|USD\s?|EUR\s?)`;
const CURRENCY_WORD = String.raw`(?:dollars?|euros?|yuan|renminbi|pounds?(?: sterling)?|yen|won|rupees?|francs?|USD|EUR|CNY|RMB|GBP|JPY)\b`;
const TIME_UNIT = String.raw`(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|quarters?)`;
const TIME_UNIT_RE = new RegExp(TIME_UNIT, 'i');
/** "one-year", "two-week": a spelled-out duration written as an adjective. */
const ADJECTIVE_DURATION = new RegExp(`^(?:${WORD_NUM}|a few|several)-`, 'i');
const MONTH = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?`;

interface Pattern {
  kind: FigureKind;
  re: RegExp;
}

// Order matters: earlier patterns claim their span first.
const PATTERNS: Pattern[] = [
  { kind: 'money', re: new RegExp(String.raw`${QUALIFIER}${CURRENCY_SYMBOL}\s?(?:${NUM})(?:\s?${SCALE})?`, 'gi') },
  {
    kind: 'money',
    re: new RegExp(String.raw`${QUALIFIER}(?:${NUM})(?:\s?${SCALE})?\s(?:US\s|Hong Kong\s|Australian\s)?${CURRENCY_WORD}`, 'gi'),
  },
  { kind: 'percent', re: new RegExp(String.raw`${QUALIFIER}(?:${NUM})\s?(?:%|per\s?cent\b|percent\b|percentage points?\b)`, 'gi') },
  {
    kind: 'date',
    re: new RegExp(String.raw`\b(?:${MONTH}\s\d{1,2}(?:st|nd|rd|th)?(?:,?\s\d{4})?|\d{1,2}\s${MONTH}(?:\s\d{4})?|${MONTH}\s\d{4})\b`, 'g'),
  },
  { kind: 'date', re: /\b\d{4}-\d{2}-\d{2}\b|\d{4}年\d{1,2}月(?:\d{1,2}日)?/g },
  // "spring 2028", "the third quarter of 2027": when a season or quarter of a year is the news.
  { kind: 'date', re: /\b(?:spring|summer|autumn|fall|winter|(?:first|second|third|fourth) quarter(?: of)?) (?:19|20)\d{2}\b/gi },
  {
    kind: 'ratio',
    re: new RegExp(String.raw`\b(?:(?:${WORD_NUM}|\d+) (?:in|out of) (?:${WORD_NUM}|\d+)\b|\d+:\d+\b(?!\s?(?:am|pm|a\.m|p\.m)))`, 'gi'),
  },
  // A vote tally: "voted 69-30", "a 6-3 ruling". Only next to vote words, so "COVID-19" and
  // "2021-22" stay what they are.
  {
    kind: 'ratio',
    re: /(?<![\p{L}\p{N}-])\d{1,3}-\d{1,3}(?![\p{N}-])(?=\s+(?:vote|margin|majority|decision|ruling|split|tally)\b)|(?<=\b(?:voted|vote of|vote was|passed|approved|rejected|confirmed|ruled|by a|margin of)\s)\d{1,3}-\d{1,3}(?![\p{N}-])/giu,
  },
  { kind: 'version', re: /\b[A-Z][A-Za-z]*(?:-[A-Za-z]+)*-[A-Za-z]?\d+(?:\.\d+)*[a-z]?\b|\b[A-Z][a-zA-Z]+ \d+\.\d+\b|\bv\d+(?:\.\d+)*\b/g },
  { kind: 'duration', re: new RegExp(String.raw`${QUALIFIER}\b(?:${NUM}|${WORD_NUM}|a few|several)[\s-]${TIME_UNIT}\b`, 'gi') },
  {
    kind: 'count',
    re: new RegExp(
      String.raw`(?:${QUALIFIER.replace('(?:(?:at least', '(?:(?:[Aa]t least|[Mm]ore than|[Nn]early|[Aa]lmost|[Aa]bout|[Oo]ver|[Uu]p to|[Aa]round|[Rr]oughly')})(?:${NUM})(?:\s${SCALE})?\s(?:[a-z][a-z-]+)`,
      'g',
    ),
  },
  { kind: 'date', re: /\b(?:19|20)\d{2}\b/g },
  { kind: 'duration', re: /(?:至少|超过|不到|约|近|大约)?\d+(?:\.\d+)?个?(?:月|天|年|周|星期|小时|分钟)/g },
  { kind: 'money', re: /\d+(?:\.\d+)?(?:万|亿)?(?:元|美元|欧元|日元)/g },
  { kind: 'count', re: /\d+(?:\.\d+)?(?:万|亿)?(?:人|个|家|名|篇|项|次|台)/g },
  { kind: 'number', re: new RegExp(String.raw`${QUALIFIER}(?:${NUM})(?:\s?${SCALE})?`, 'g') },
];

/** Words after a number that make it not a counted thing ("3 of", "12 and"). */
const NOT_COUNT_NOUN = /^(?:of|and|or|to|in|on|at|for|by|the|a|an|per|from|with|as|is|are|was|were|percent|than|that|which|who)$/;

const NUMBER_WORD = new RegExp(`\\b(${WORD_NUM}|a|an)\\b`);

function parseNumber(raw: string): number | undefined {
  const lower = raw.toLowerCase();
  const digits = /(\d{1,3}(?:[,\u00a0\u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)/.exec(lower)?.[1];
  let value: number | undefined;
  if (digits !== undefined) value = Number(digits.replace(/[,\u00a0\u202f]/g, ''));
  else {
    const word = NUMBER_WORD.exec(lower)?.[1];
    if (word !== undefined) value = numberWordValue(word);
  }
  if (value === undefined || Number.isNaN(value)) return undefined;
  if (/\b(?:trillion)\b/.test(lower)) value *= 1e12;
  else if (/\b(?:billion|bn)\b/.test(lower)) value *= 1e9;
  else if (/\b(?:million|mn|m)\b/.test(lower)) value *= 1e6;
  else if (/\b(?:thousand|k)\b/.test(lower)) value *= 1e3;
  else if (lower.includes('亿')) value *= 1e8;
  else if (lower.includes('万')) value *= 1e4;
  return value;
}

function currencyOf(raw: string): string {
  const lower = raw.toLowerCase();
  if (/€|eur/.test(lower)) return 'EUR';
  if (/£|pound|gbp/.test(lower)) return 'GBP';
  if (/¥|yuan|renminbi|rmb|cny|元/.test(lower)) return raw.includes('¥') && /yen/.test(lower) ? 'JPY' : 'CNY';
  if (/yen|jpy/.test(lower)) return 'JPY';
  if (/₩|won/.test(lower)) return 'KRW';
  if (/₹|rupee/.test(lower)) return 'INR';
  if (/hk\$/.test(lower)) return 'HKD';
  return 'USD';
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}][\p{L}'-]*/gu) ?? [];
}

/** Verbs and glue that sit between a quantity's name and its value ("toll rose to 15"). */
const GLUE =
  /^(?:said|says|warned|warns|told|added|estimated|noted|expects|expected|forecast|predicted|rose|rise|rises|risen|fell|fall|falls|stood|stands|reached|reach|reaches|hit|hits|climbed|climb|dropped|drop|put|puts|estimated|estimates|was|were|is|are|be|been|at|to|of|by|about|around|some|nearly|almost|than|more|less|least|most|over|under|just|could|would|will|may|might|widen|narrow|grew|grow|increase|increased|decrease|decreased|now|currently|up|down|the|a|an|its|their|his|her)$/;

/** The name of what a figure measures: the nearest content words before it. */
function quantityBefore(before: string): string | undefined {
  const ws = words(before).slice(-7);
  const picked: string[] = [];
  for (let i = ws.length - 1; i >= 0 && picked.length < 2; i--) {
    const w = ws[i]!;
    if (GLUE.test(w) || isStopword(w)) {
      if (picked.length > 0) break;
      continue;
    }
    picked.unshift(w);
  }
  return picked.length ? picked.join(' ') : undefined;
}

function unitOf(kind: FigureKind, value: string, after: string): string | undefined {
  switch (kind) {
    case 'percent':
      return '%';
    case 'money':
      return currencyOf(value);
    case 'duration': {
      const u = TIME_UNIT_RE.exec(value)?.[0]?.toLowerCase() ?? /月|天|年|周|星期|小时|分钟/.exec(value)?.[0];
      const zh: Record<string, string> = { 月: 'month', 天: 'day', 年: 'year', 周: 'week', 星期: 'week', 小时: 'hour', 分钟: 'minute' };
      return u === undefined ? undefined : (zh[u] ?? u.replace(/s$/, ''));
    }
    case 'count': {
      const noun = /([a-z][a-z-]+)$/.exec(value)?.[1];
      return noun;
    }
    case 'number': {
      const next = words(after)[0];
      return next !== undefined && !isStopword(next) && !GLUE.test(next) ? undefined : undefined;
    }
    default:
      return undefined;
  }
}

/** True when a sentence is page furniture or a byline: its dates and counts are not news. */
export function isFurnitureSentence(sentence: string): boolean {
  const s = sentence.trim();
  if (/^(?:publish(?:ed)?(?: date)?|updated|posted|date|source(?: domain)?|by|photo|image|credit|copyright|©)\b[:\s]/i.test(s)) return true;
  if (/\bcomments?\s*\(\d+\)|\blog ?in\b.*\bcomment|\bsubscribe\b|\bnewsletter\b|\bcookies?\b|\ball rights reserved\b/i.test(s))
    return true;
  // A short line that is mostly a date or an outlet name plus a date ("SCMP 2026-05-22").
  const wordCount = s.split(/\s+/).length;
  if (wordCount <= 4 && /\d{4}-\d{2}-\d{2}|\b(?:19|20)\d{2}\b/.test(s) && !/[.!?。]$/.test(s)) return true;
  return false;
}

/**
 * Every figure in one sentence, left to right, non-overlapping. Returns nothing for
 * page furniture (bylines, publication dates, comment counters).
 */
export function findFigures(sentence: string): FigureMention[] {
  if (isFurnitureSentence(sentence)) return [];
  const taken: Array<[number, number]> = [];
  const found: Array<FigureMention & { at: number; end: number }> = [];
  const overlaps = (s: number, e: number): boolean => taken.some(([a, b]) => s < b && e > a);
  // Most patterns need a digit; without one only spelled-out durations and ratios can match.
  const hasDigit = /\d/.test(sentence);
  for (const { kind, re } of PATTERNS) {
    if (!hasDigit && kind !== 'duration' && kind !== 'ratio') continue;
    re.lastIndex = 0;
    for (const m of sentence.matchAll(re)) {
      let value = m[0].trim();
      const start = m.index + (m[0].length - m[0].trimStart().length);
      // "will one day be", "one day soon", "at one time": idioms, not durations.
      if (kind === 'duration' && /^(?:one|a|some) (?:day|time)$/i.test(value)) continue;
      // "its biggest one-year increase": a spelled-out duration used as an adjective measures nothing.
      if (kind === 'duration' && ADJECTIVE_DURATION.test(value)) continue;
      if (kind === 'count') {
        const noun = /\s([a-z][a-z-]+)$/.exec(value)?.[1] ?? '';
        // Counted things are plural ("12 people", "1,479 articles"); "31 league games" is an
        // adjective, left to the plain number pattern.
        const plural =
          /s$/.test(noun) || /^(?:people|children|men|women|staff|police|personnel|cattle|sheep|fish|aircraft|crew)$/.test(noun);
        if (
          NOT_COUNT_NOUN.test(noun) ||
          /^(?:thousand|million|billion|trillion)$/.test(noun) ||
          (noun !== '' && !plural && !/^(?:1|one)$/i.test(value.split(/\s/)[0] ?? ''))
        ) {
          continue; // left for the plain number pattern
        }
      }
      if (kind === 'version' && !/\d/.test(value)) continue;
      // A disease's name, not a version: "COVID-19", "SARS-CoV-2".
      if (kind === 'version' && /^(?:COVID|SARS|MERS|H\d+N\d+)/i.test(value)) continue;
      // "some" as a qualifier only matters before a number; drop a qualifier that got glued to
      // a word-number-less match.
      const end = start + value.length;
      if (overlaps(start, end)) continue;
      // A number glued to letters on the left is part of a name ("A320", "COVID-19"), already
      // taken by the version pattern or not worth reporting.
      const prev = sentence[start - 1];
      if ((kind === 'number' || kind === 'count') && prev !== undefined && /[\p{L}\-_/.]/u.test(prev) && !/[\u3000-\u9fff]/.test(prev))
        continue;
      if (kind === 'number' && /^\d$/.test(value)) continue; // single digits alone say little
      // "1080p", "5G", "A320": a number glued to letters names a thing, not a quantity.
      if (kind === 'number' && /^[\p{L}]/u.test(sentence[end] ?? '') && !/[\u3000-\u9fff]/.test(sentence[end] ?? '')) continue;
      if ((kind === 'number' || kind === 'count') && /^0\d/.test(value)) continue; // "001": an id, not a quantity
      value = value.replace(/[,.;:]+$/, '');
      taken.push([start, end]);
      const after = sentence.slice(end);
      const mention: FigureMention & { at: number; end: number } = { value, kind, sentence, at: start, end };
      const unit = unitOf(kind, value, after);
      if (unit !== undefined) mention.unit = unit;
      if (kind !== 'version' && kind !== 'date' && kind !== 'ratio') {
        const n = parseNumber(value);
        if (n !== undefined) mention.normalized = n;
      }
      found.push(mention);
    }
  }
  found.sort((a, b) => a.at - b.at);
  // What each figure measures: the words since the previous figure; with none ("3 months
  // and could widen to 6 months"), the previous figure's quantity when the unit matches.
  let prevEnd = 0;
  let prev: FigureMention | undefined;
  for (const f of found) {
    const segment =
      sentence
        .slice(prevEnd, f.at)
        .split(/[;:,]\s|\b(?:and|but|while|whereas)\b/)
        .pop() ?? '';
    const q = f.kind === 'count' && f.unit !== undefined ? f.unit : quantityBefore(segment);
    if (q !== undefined) f.quantity = q;
    else if (prev?.quantity !== undefined && prev.unit === f.unit && prev.kind === f.kind) f.quantity = prev.quantity;
    prevEnd = f.end;
    prev = f;
  }
  return found.map(({ at: _at, end: _end, ...rest }) => rest);
}
