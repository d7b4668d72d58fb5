/** English function words that carry no topic: dropped by the tokenizer. */
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
