/**
 * The names a report gives its event, for the split check (split.ts): capitalised words that
 * are not first in a sentence ("Manokwari", "Thomas", "SeaMicro") and years ("2009"). Two
 * look-alike events of one kind (two running backs put on injured reserve, two earthquakes in
 * one province) share their words but each half of the reports names its own player, place or
 * year; the follow-ups of one event name the same ones as the first reports.
 *
 * People quoted are left out unless the headline names them: a follow-up quotes someone new (an
 * MP's letter, a spokesperson on the refunds), and two follow-ups quoting the same MP are still
 * the same outage. A quoted speaker is a name next to "said", "told", "according to", or after
 * or before "spokesperson" or "MP".
 */

/**
 * A capitalised word of three letters or more after a lowercase word, a digit or a mark inside a
 * sentence (or an opening bracket after one).
 */
const NAME_WORD = /(?<=[\p{Ll}\p{N},;:'")]\s+|[a-z]\s+\()(\p{Lu}[\p{L}'’.-]{2,})/gu;
const YEAR = /\b(19[5-9]\d|20\d\d)\b/g;
/** Words capitalised after a comma or a quote as often as not, and no names. */
const NOT_NAMES = new Set(
  'the a an in on at but and as for it this that he she they we after when while if his her its their our there said mr mrs ms dr'.split(
    ' ',
  ),
);

const WORD = "\\p{Lu}[\\p{L}'’.-]+";
/** A name of up to four words, starting at a word's start (never inside a long run of letters). */
const NAME = `(?<![\\p{L}\\p{M}'’.-])${WORD}(?:\\s+${WORD}){0,3}`;
/**
 * Who speaks: "said Jack Ketsoyan", "Tomas Reyes, a spokesperson, said", "spokesperson Tomas Reyes",
 * "Tomas Reyes, the bank's spokesperson", "Priya Ndlovu MP".
 */
const SPEAKERS = [
  new RegExp(`\\b(?:said|says|told|added|according to)\\s+((?:(?:Mr|Mrs|Ms|Dr)\\.?\\s+)?${NAME})`, 'gu'),
  new RegExp(`(${NAME})(?:,[^,.;]{1,60},)?\\s+(?:said|says|told|added)\\b`, 'gu'),
  new RegExp(`\\b(?:[Ss]pokes(?:person|man|woman)|MP|analyst|lawyer|attorney)\\s+(${NAME})`, 'gu'),
  new RegExp(`(${NAME})(?:\\s+MP|,\\s+(?:a|the|its|his|her|their)\\s+(?:[\\p{L}'’-]+\\s+){0,2}spokes(?:person|man|woman))\\b`, 'gu'),
];

function key(word: string): string {
  return word
    .replace(/[’']s$/u, '')
    .replace(/\.$/u, '')
    .toLowerCase();
}

/** The event names of an article (lowercased, "c:" words and "y:" years), each once. */
export function eventNames(title: string, text: string): string[] {
  const inTitle = new Set(title.split(/[^\p{L}'’.-]+/u).map(key));
  const speakers = new Set<string>();
  for (const re of SPEAKERS) {
    for (const m of text.matchAll(re)) {
      for (const w of m[1]!.split(/\s+/u)) {
        const k = key(w);
        if (!inTitle.has(k)) speakers.add(k);
      }
    }
  }
  const names = new Set<string>();
  const both = `${title}\n${text}`;
  for (const m of both.matchAll(NAME_WORD)) {
    const k = key(m[1]!);
    if (!NOT_NAMES.has(k) && !speakers.has(k)) names.add(`c:${k}`);
  }
  for (const m of both.matchAll(YEAR)) names.add(`y:${m[1]}`);
  return [...names];
}
