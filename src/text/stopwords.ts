/**
 * Function words that carry no topic, in two lists: the similarity tokenizer's (clustering,
 * retrieval, evidence) and the matching tokenizer's (see tokenize.ts for why there are two).
 */

/** Dropped by {@link tokenize}. */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just let me more most my
myself no nor not now of off on once only or other our ours ourselves out over own said same says she should
so some such than that the their theirs them themselves then there these they this those through to too
under until up upon very via was we were what when where which while who whom why will with would you your
yours yourself yourselves s t don won isn wasn weren doesn didn hasn haven hadn ll re ve d m one two
new told according also mr mrs ms its it's been being another much many may might must shall us
since however though although yet still even ever every like year years week weeks day days monday
tuesday wednesday thursday friday saturday sunday`.split(/\s+/),
);

/** Dropped by {@link contentTokens}, and what figure and disagreement finders treat as glue. */
export const MATCH_STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then than that this these those there their they them it its is are was were be been being ' +
    'of in on at to for from by with as about into over under after before between through during without within ' +
    'he she his her him we us our you your i me my not no nor so too very can could would should will shall may might must ' +
    'do does did done has have had having also just only more most much many some any all each other such own same ' +
    'what which who whom whose when where why how said says say saying told according while whereas however yet still ' +
    "one two new per up out off again further once here both few s t don now even being its itself who's"
  ).split(/\s+/),
);

/** True for function words that carry no topic (the matching list). */
export function isStopword(token: string): boolean {
  return MATCH_STOPWORDS.has(token);
}
