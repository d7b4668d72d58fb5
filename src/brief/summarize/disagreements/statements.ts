/**
 * What a disagreement is made of: a statement (a clause of a story sentence), who holds it, and
 * whether two statements come from different sources. Sources differ when two outlets say it
 * in their own voice, or when one article quotes two different holders ("organisers said some
 * 4,500 …; police put the crowd at about 1,800").
 */
import { stemForMatch as stem } from '../../../text/stem.ts';
import { contentTokens } from '../../../text/tokenize.ts';
import { speakerOf } from '../claims.ts';
import type { PreparedStory, StorySentence } from '../story-text.ts';

/** Collective holders a report attributes a view to, lowercased ("police", "the union"). */
const COLLECTIVE =
  /\b((?:the\s+)?(?:police|organi[sz]ers|union|company|agency|council|regulators?|operator|management|analysts?|officials?|government|ministry|board|inspectors?|coast guard|prosecutors?|investors|critics|residents|campaigners|lawyers?|economists?|researchers|spokes(?:wo)?man|spokesperson|forwarders|shippers|carriers?))\b(?=[^.;]{0,60}\b(?:said|says|say|estimated|estimates|put|puts|counted|argued|argues|claimed|claims|insisted|believes|believe|expects|expect|told|gave|blamed|denied|disputed|countered))/i;
const ACCORDING_TO = /\baccording to (?:the |a )?((?:\p{Lu}[\p{L}'’&.-]*\s?){1,5}|police|organi[sz]ers|the company|officials|analysts)/u;
/** A named organisation as the subject of a speech verb ("Kraftlinjen said", "Seatrace counted"). */
const ORG_SUBJECT =
  /((?:\p{Lu}[\p{L}'’&.-]*\s){0,3}\p{Lu}[\p{L}'’&.-]*)\s+(?:said|says|estimated|estimates|counted|put|puts|argued|argues|claimed|claims|expects|believes|told|blamed|denied|disputed)\b/u;
const NOT_A_HOLDER = /^(?:The|This|That|It|He|She|They|We|I|In|On|At|But|And|If|When|While|As)$/;

/** Who a sentence attributes its content to, lowercased; undefined when the article speaks in its own voice. */
export function explicitHolder(text: string): string | undefined {
  const speaker = speakerOf(text);
  if (speaker) return speaker.toLowerCase();
  const according = ACCORDING_TO.exec(text)?.[1]?.trim();
  if (according && !NOT_A_HOLDER.test(according)) return according.toLowerCase().replace(/^the /, '');
  const org = ORG_SUBJECT.exec(text)?.[1]
    ?.trim()
    .replace(/^(?:The|A|An)\s+/, '');
  if (org && !NOT_A_HOLDER.test(org.split(/\s+/)[0]!)) return org.toLowerCase();
  const collective = COLLECTIVE.exec(text)?.[1];
  if (collective)
    return collective
      .toLowerCase()
      .replace(/^the\s+/, '')
      .replace(/s$/, '');
  return undefined;
}

/** A sentence with the holder of what it says: explicit, else the previous sentence's speaker for "He said", else none. */
export interface Statement {
  readonly sentence: StorySentence;
  /** The holder named in the text, lowercased, if any. */
  readonly holder?: string;
}

/** Statements of a story, each with its holder; "he/she said" inherits the last named speaker of its article. */
export function statementsOf(story: PreparedStory): ReadonlyMap<StorySentence, Statement> {
  // Four kinds of disagreement ask for a story's statements; they are read once.
  let known = STATEMENTS.get(story);
  if (!known) STATEMENTS.set(story, (known = readStatements(story)));
  return known;
}
const STATEMENTS = new WeakMap<PreparedStory, ReadonlyMap<StorySentence, Statement>>();

function readStatements(story: PreparedStory): Map<StorySentence, Statement> {
  const out = new Map<StorySentence, Statement>();
  const lastSpeaker = new Map<string, string>();
  const ordered = [...story.sentences].sort((a, b) =>
    a.articleId < b.articleId ? -1 : a.articleId > b.articleId ? 1 : a.position - b.position,
  );
  for (const s of ordered) {
    let holder = explicitHolder(s.text);
    // "He said …" and a quote that runs on without attribution belong to the last speaker.
    if (
      !holder &&
      (/^(?:["“][^"”]+["”],?\s)?(?:he|she)\s(?:said|says|added|told|argued)\b|["”],?\s(?:he|she) (?:said|added)\b/i.test(s.text) ||
        /^["“]/.test(s.text))
    ) {
      holder = lastSpeaker.get(s.articleId);
    }
    if (holder) lastSpeaker.set(s.articleId, holder);
    out.set(s, { sentence: s, ...(holder !== undefined && { holder }) });
  }
  return out;
}

/**
 * True when two statements come from different sources: different articles of different
 * outlets, or one article quoting two different holders. One outlet's two articles (a story
 * and its update) speak with one voice unless they quote different people.
 */
export function differentSources(a: Statement, b: Statement, publisherOf: (id: string) => string): boolean {
  if (a.holder !== undefined && b.holder !== undefined) {
    // One person quoted by two outlets is one source.
    const same = a.holder === b.holder || a.holder.includes(b.holder) || b.holder.includes(a.holder);
    return !same;
  }
  // One article quoting someone against its own account: two sources.
  if ((a.holder === undefined) !== (b.holder === undefined)) return true;
  const outletsA = new Set(a.sentence.articleIds.map(publisherOf));
  return (
    b.sentence.articleIds.some((id) => !outletsA.has(publisherOf(id))) &&
    a.sentence.articleIds.some((id) => !new Set(b.sentence.articleIds.map(publisherOf)).has(publisherOf(id)))
  );
}

/** The outlet of each article of the story (its id when none is known). */
export function publisherLookup(story: PreparedStory): (id: string) => string {
  const map = new Map(story.articles.map((a) => [a.id, (a.publisher ?? a.id).trim().toLowerCase()]));
  return (id) => map.get(id) ?? id;
}

/**
 * The clause of a sentence around a character offset: cut at semicolons, at ", and/but/while/
 * whereas" and at dashes, so that a position or a figure line carries its own clause rather
 * than its whole sentence. Short results fall back to the sentence.
 */
export function clauseAround(text: string, at: number, end = at): string {
  const cuts = [
    ...text.matchAll(
      /;\s+|,\s+(?:and|but|while|whereas|although|though)\s+|\s+[—–]\s+|,\s+(?=(?:which|who|not|with|up from|down from|compared with|against)\s)/g,
    ),
  ];
  let start = 0;
  let stop = text.length;
  for (const m of cuts) {
    const cutAt = m.index!;
    if (cutAt + m[0].length <= at) start = cutAt + m[0].length;
    else if (cutAt >= end) {
      stop = cutAt;
      break;
    }
  }
  const clause = text
    .slice(start, stop)
    .trim()
    .replace(/^(?:and|but|while|whereas)\s+/i, '');
  if (clause.split(/\s+/).length < 5) return text;
  const capped = clause.charAt(0).toUpperCase() + clause.slice(1);
  return /[.!?"”]$/.test(capped) ? capped : `${capped.replace(/[,:]$/, '')}…`;
}

/** Content words that tell what two clauses are about, minus words every report uses. */
export const GENERIC_WORDS = new Set(
  [
    'said',
    'say',
    'says',
    'year',
    'years',
    'week',
    'day',
    'month',
    'time',
    'would',
    'could',
    'will',
    'also',
    'new',
    'one',
    'two',
    'three',
    'first',
    'last',
    'next',
    'more',
    'less',
    'than',
    'about',
    'around',
    'some',
    'per',
    'cent',
    'percent',
    'million',
    'billion',
    'monday',
    'tuesday',
    'wednesday',
    'thursday',
    'friday',
    'saturday',
    'sunday',
    'today',
    'yesterday',
    'told',
    'according',
    'expect',
    'expected',
    'estimate',
    'estimated',
    'put',
    'rose',
    'rise',
    'fell',
    'fall',
    'number',
    'figure',
    'total',
    'people',
    'company',
    'above',
    'below',
    'range',
    'well',
    'just',
    'nearly',
    'almost',
    'least',
    'most',
    'only',
    'barely',
  ].map(stem),
);

/**
 * Tokens of the story that nearly every article uses (its company, its place, its subject):
 * sharing them says nothing about whether two statements are about the same thing. Only in
 * stories of three or more articles; in a pair every shared word is common.
 */
export function storyCommonTokens(story: PreparedStory): ReadonlySet<string> {
  let known = COMMON_TOKENS.get(story);
  if (!known) COMMON_TOKENS.set(story, (known = commonTokens(story)));
  return known;
}
const COMMON_TOKENS = new WeakMap<PreparedStory, ReadonlySet<string>>();

function commonTokens(story: PreparedStory): Set<string> {
  const n = story.articles.length;
  if (n < 2) return new Set();
  if (n < 3) {
    // Two articles: the words both headlines use name the story itself ("Games open" / "Games begin").
    const [a, b] = [...story.titles.values()].map((t) => new Set(contentTokens(t)));
    return new Set([...(a ?? [])].filter((t) => b?.has(t)));
  }
  const inArticles = new Map<string, Set<string>>();
  for (const s of story.sentences)
    for (const t of s.tokenSet) for (const id of s.articleIds) (inArticles.get(t) ?? inArticles.set(t, new Set()).get(t)!).add(id);
  for (const [id, title] of story.titles)
    for (const t of contentTokens(title)) (inArticles.get(t) ?? inArticles.set(t, new Set()).get(t)!).add(id);
  return new Set([...inArticles].filter(([, ids]) => ids.size >= COMMON_SHARE * n).map(([t]) => t));
}
const COMMON_SHARE = 0.8;
