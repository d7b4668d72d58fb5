/**
 * Named attribution: who a sentence says said something ("Liu Wei said…", "…, said Mayor Ana
 * Ruiz", "according to the Energy Department", "Liu Wei's estimate"). A name a draft puts
 * behind a statement must be in the source it cites, or the statement is the model's
 * invention. Generic speakers ("officials said", "Critics warned") name nobody and are not
 * checked here; the statement's own words still are.
 */

const VERBS = [
  'said',
  'says',
  'say',
  'told',
  'tells',
  'argued',
  'argues',
  'warned',
  'warns',
  'claimed',
  'claims',
  'estimated',
  'estimates',
  'stated',
  'states',
  'noted',
  'notes',
  'added',
  'adds',
  'wrote',
  'writes',
  'announced',
  'announces',
  'insisted',
  'insists',
  'predicted',
  'predicts',
  'believes',
  'believed',
  'thinks',
  'explained',
  'explains',
  'stressed',
  'stresses',
  'confirmed',
  'confirms',
  'denied',
  'denies',
  'acknowledged',
  'acknowledges',
  'admitted',
  'admits',
  'suggested',
  'suggests',
  'urged',
  'urges',
  'cautioned',
  'cautions',
  'hailed',
  'hails',
  'praised',
  'praises',
  'criticised',
  'criticized',
  'criticises',
  'criticizes',
  'reported',
  'asserted',
  'asserts',
  'declared',
  'declares',
  'maintained',
  'maintains',
  'conceded',
  'concedes',
  'concluded',
  'forecast',
  'forecasts',
  'projected',
  'testified',
  'tweeted',
  'posted',
  'vowed',
  'vows',
  'pledged',
  'promised',
  'promises',
  'revealed',
  'disclosed',
  'recalled',
  'complained',
  'countered',
  'replied',
  'responded',
  'emphasised',
  'emphasized',
  'calls',
  'called',
  'described',
  'describes',
  'expects',
  'expected',
].join('|');
/** Verbs after which a name is the speaker ("…, said Liu Wei"); not "told X" (the listener) or "called X". */
const VERBS_BEFORE_NAME = [
  'said',
  'says',
  'added',
  'adds',
  'wrote',
  'writes',
  'warned',
  'noted',
  'argued',
  'explained',
  'asked',
  'insisted',
  'stated',
  'claimed',
  'continued',
  'concluded',
  'acknowledged',
  'admitted',
  'cautioned',
  'countered',
  'replied',
  'responded',
].join('|');

/** A capitalised name of one to five words, with lower-case particles between ("von der"). */
const NAME = String.raw`\p{Lu}[\p{L}\p{M}'’.-]*(?:\s+(?:(?:de|da|del|della|der|den|di|du|la|le|van|von|bin|al|el|ibn|ter)\s+)*\p{Lu}[\p{L}\p{M}'’.-]*){0,4}`;
const ADVERBS = String.raw`(?:(?:also|has|had|have|later|previously|publicly|reportedly|recently|once|then|repeatedly|separately|earlier|again|first|further|privately|flatly)\s+)*`;

const PATTERNS: readonly RegExp[] = [
  // "Liu Wei said", "Liu Wei, the lab's director, said", "Mayor Ana Ruiz has warned".
  new RegExp(String.raw`(?<![\p{L}\p{M}])(${NAME})(?:\s*,[^,;:"“”\n]{1,80},)?\s+${ADVERBS}(?:${VERBS})(?![\p{L}])`, 'gu'),
  // "…, said Liu Wei", "said the mayor, Ana Ruiz".
  new RegExp(String.raw`(?<![\p{L}])(?:${VERBS_BEFORE_NAME})\s+(?:(?:the|a|an)\s+[^,.;:!?"“”\n]{1,40},\s+)?(${NAME})`, 'gu'),
  // "according to Liu Wei", "according to the Energy Department".
  new RegExp(String.raw`\b[Aa]ccording\s+to\s+(?:the\s+)?(${NAME})`, 'gu'),
  // "Liu Wei's estimate".
  new RegExp(
    String.raw`(?<![\p{L}\p{M}])(${NAME})['’]s\s+(?:claims?|estimates?|views?|assessments?|statements?|remarks?|comments?|warnings?|forecasts?|account|testimony|words|figures?)\b`,
    'gu',
  ),
];
/** "Liu Wei: …" at the start of a headline or sentence (two words at least, so "Update:" is no name). */
const COLON = new RegExp(String.raw`^\W{0,2}(\p{Lu}[\p{L}\p{M}'’.-]*(?:\s+\p{Lu}[\p{L}\p{M}'’.-]*){1,3})\s*:`, 'u');

/** Words that may start a capitalised run but name nobody in particular. */
const GENERIC = new Set(
  `the a an this that these those there he she they it we i you his her their its our my your one
  officials official experts expert analysts analyst critics critic residents engineers engineer researchers
  scientists economists lawmakers legislators councillors councilors authorities sources source observers investors
  executives people workers unions union campaigners activists opponents supporters police prosecutors regulators
  ministers diplomats spokesperson spokesman spokeswoman witnesses doctors teachers students parents farmers
  fishermen environmentalists company government ministry department council others some many most both all several
  in on at by for from but and however meanwhile earlier later yesterday today tomorrow it's reports report
  who whom whose what which how whether why where when
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
  september october november december tonight last next week month year
  according while when after before as if though although because since so yet also mayor minister president
  officer manager director chief ceo chairman chairwoman leader`.split(/\s+/),
);
/** Titles that may stand before a surname in a source ("President Biden", "Treasury Secretary Yellen"). */
const TITLES = new Set(
  `president secretary minister senator sen rep representative governor gov lieutenant judge justice director chief
  spokesperson spokesman spokeswoman ceo chairman chairwoman chair mayor officer general gen admiral commissioner
  chancellor premier professor prof dr mr mrs ms deputy attorney assistant press former acting vice prime king queen
  prince princess pope ambassador economist analyst founder leader speaker councillor councilor inspector sergeant
  captain colonel lord lady state treasury defense defence foreign interior health finance house white the of`.split(/\s+/),
);
/** Honorifics a draft may add or drop without naming anyone else. */
const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'sir', 'dame', 'mx']);

/** Lower-cased word tokens of a name that must each occur in the source. */
function nameTokens(name: string): string[] {
  const words = name
    .split(/[\s-]+/)
    .map((w) =>
      w
        .replace(/['’]s$/u, '')
        .replace(/[.'’]+$/u, '')
        .toLowerCase(),
    )
    .filter((w) => w.length > 1 && !HONORIFICS.has(w));
  // Leading generic words ("The Energy Department" → "energy department"; "Officials" → nothing).
  while (words.length > 0 && GENERIC.has(words[0]!)) words.shift();
  if (words.length === 1 && GENERIC.has(words[0]!)) return [];
  return words;
}

/**
 * The names a text attributes statements to, each as the lower-cased words that must occur in
 * the source ("said Mayor Ana Ruiz" → ["mayor", "ana", "ruiz"]).
 */
export function attributedNames(text: string): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  const add = (name: string | undefined): void => {
    if (name === undefined) return;
    const tokens = nameTokens(name);
    const key = tokens.join(' ');
    if (tokens.length > 0 && !seen.has(key)) {
      seen.add(key);
      out.push(tokens);
    }
  };
  for (const pattern of PATTERNS) for (const m of text.matchAll(pattern)) add(m[1]);
  add(COLON.exec(text)?.[1]);
  return out;
}

/** Lower-cased words of a source text, for {@link nameIn}. */
export function wordsOf(text: string): Set<string> {
  const words = new Set<string>();
  for (const m of text
    .normalize('NFKC')
    .toLowerCase()
    .matchAll(/[\p{L}\p{M}]+/gu))
    words.add(m[0]);
  return words;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * True when the source names the same one: every word of the name occurs in it, or its last
 * word (the surname, the organisation's head noun) does and the source never gives that
 * surname another first name ("Joe Biden" is in "President Biden said"; "Ana Liu" is not in
 * "Mei Liu said").
 */
export function nameIn(name: readonly string[], sourceWords: ReadonlySet<string>, sourceText?: string): boolean {
  const parts = name.flatMap((w) => w.split(/['’.]/).filter((p) => p.length > 1));
  if (parts.length === 0 || parts.every((p) => sourceWords.has(p))) return true;
  const last = parts.at(-1)!;
  if (!sourceWords.has(last) || sourceText === undefined) return false;
  const surname = `${last.charAt(0).toUpperCase()}${escapeRegExp(last.slice(1))}`;
  const before = new RegExp(String.raw`(\p{Lu}[\p{L}\p{M}'’-]*)\s+${surname}(?![\p{L}])`, 'gu');
  for (const m of sourceText.matchAll(before)) {
    const word = m[1]!.toLowerCase().replace(/['’]s$/, '');
    if (word === last) continue;
    if (!parts.includes(word) && !TITLES.has(word) && !GENERIC.has(word)) return false;
  }
  return true;
}
