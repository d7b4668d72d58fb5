/**
 * Sentence splitting for news text. A sentence ends at . ! ? or … followed by space and a
 * new sentence's start, or at CJK 。！？ with no space needed; line breaks always end one
 * (headlines and subheads are lines). Abbreviations (U.S., Dr., e.g.), decimals (3.1),
 * versions (GPT-5.6) and closing quotes after the stop do not fool it.
 */

/** Abbreviations after which a full stop does not end a sentence. Lower-case, no dot. */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'mt',
  'gen',
  'col',
  'lt',
  'sgt',
  'capt',
  'gov',
  'sen',
  'rep',
  'rev',
  'hon',
  'pres',
  'inc',
  'ltd',
  'co',
  'corp',
  'plc',
  'llc',
  'dept',
  'univ',
  'est',
  'approx',
  'vs',
  'etc',
  'no',
  'nos',
  'vol',
  'fig',
  'al',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'e.g',
  'i.e',
  'cf',
  'ca',
  'op',
  'p',
  'pp',
  'u.s',
  'u.k',
  'u.n',
  'e.u',
  'a.m',
  'p.m',
]);

/** Words that may follow an initialism ("U.S.") and still start a new sentence. */
const SENTENCE_STARTERS = new Set([
  'the',
  'a',
  'an',
  'he',
  'she',
  'it',
  'they',
  'we',
  'i',
  'but',
  'and',
  'this',
  'that',
  'these',
  'those',
  'in',
  'on',
  'at',
  'for',
  'however',
  'meanwhile',
  'there',
  'his',
  'her',
  'their',
  'its',
  'our',
  'some',
  'many',
  'officials',
]);

/** Letters starting exactly at lastIndex (sticky: no copy of the rest of the line). */
const LETTERS_AT = /\p{L}{1,64}/uy;

const CLOSERS = `"'”’)]»」』）`;

function isCloser(ch: string | undefined): boolean {
  return ch !== undefined && CLOSERS.includes(ch);
}

/**
 * Longest sentence returned. Real sentences are far shorter; text without punctuation (a
 * scraped wall of words, a hostile article) is cut into pieces of this size, at a space where
 * there is one, so that every later pass over a sentence works on bounded text.
 */
export const MAX_SENTENCE_CHARS = 1000;

/** Longest word looked at for abbreviations ("U.S", "e.g", "approx"). */
const MAX_WORD = 32;

/** The word just before position `end` (exclusive), with inner dots kept: "U.S", "e.g", "Dr". */
function wordBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && end - start < MAX_WORD && /[\p{L}\p{N}.]/u.test(text[start - 1]!)) start--;
  return text.slice(start, end);
}

/** Pushes `sentence`, cut into pieces of at most MAX_SENTENCE_CHARS (at the last space in a piece when it has one). */
function pushBounded(sentence: string, out: string[]): void {
  let start = 0;
  while (sentence.length - start > MAX_SENTENCE_CHARS) {
    let cut = sentence.lastIndexOf(' ', start + MAX_SENTENCE_CHARS);
    if (cut < start + MAX_SENTENCE_CHARS / 2) cut = start + MAX_SENTENCE_CHARS;
    // Never split a surrogate pair.
    if (/[\uD800-\uDBFF]/.test(sentence[cut - 1] ?? '')) cut -= 1;
    const piece = sentence.slice(start, cut).trim();
    if (piece) out.push(piece);
    start = cut;
    while (start < sentence.length && sentence[start] === ' ') start++;
  }
  const last = sentence.slice(start).trim();
  if (last) out.push(last);
}

function splitLine(line: string, out: string[]): void {
  let start = 0;
  const push = (end: number): void => {
    const s = line.slice(start, end).trim();
    if (s) pushBounded(s, out);
    start = end;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '。' || ch === '！' || ch === '？' || ch === '；') {
      let end = i + 1;
      while (isCloser(line[end])) end++;
      // "；" separates clauses, not sentences, unless the text is long; keep it inside.
      if (ch === '；') continue;
      push(end);
      i = end - 1;
      continue;
    }
    if (ch !== '.' && ch !== '!' && ch !== '?' && ch !== '…') continue;
    let end = i + 1;
    while (line[end] === '.' || line[end] === '!' || line[end] === '?') end++;
    while (isCloser(line[end])) end++;
    if (end >= line.length) break;
    if (!/\s/.test(line[end]!)) continue; // "3.1", "GPT-5.6", "example.com"
    let next = end;
    while (next < line.length && /\s/.test(line[next]!)) next++;
    const nextCh = line[next];
    if (nextCh === undefined) break;
    // A new sentence starts with a capital, a digit, a quote or a bracket.
    if (!/[\p{Lu}\p{N}"'“‘([\u3400-\u9fff]/u.test(nextCh)) continue;
    if (ch === '.') {
      const word = wordBefore(line, i);
      const lower = word.toLowerCase();
      if (ABBREVIATIONS.has(lower) && !/^(?:u\.s|u\.k|u\.n|e\.u|etc|a\.m|p\.m)$/.test(lower)) continue;
      // Initials: "J. Smith", or "U.S." followed by a proper noun ("U.S. Commerce Department").
      if (/^\p{Lu}$/u.test(word)) continue;
      if (/^(?:\p{L}\.)+\p{L}$/u.test(word) || /^(?:u\.s|u\.k|u\.n|e\.u|etc|a\.m|p\.m)$/.test(lower)) {
        LETTERS_AT.lastIndex = next;
        const nextWord = LETTERS_AT.exec(line)?.[0]?.toLowerCase() ?? '';
        if (!SENTENCE_STARTERS.has(nextWord)) continue;
      }
    }
    push(end);
    i = end - 1;
  }
  push(line.length);
}

/**
 * Splits text into sentences, in order, trimmed, none empty, none longer than
 * MAX_SENTENCE_CHARS. Paragraph and line breaks always end a sentence. Linear in the text.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim()) splitLine(line, out);
  }
  return out;
}
