/**
 * Disagreement over what something builds on: one source says the firms depend on Meta's and
 * OpenAI's models, another that they follow DeepSeek's approach. Found where two articles put
 * different names after a dependency cue ("rely on", "dependent on", "following approaches
 * used by", "replicating") said of the same subject.
 */
import type { Disagreement } from '../../../core/types.ts';
import { contentTokens } from '../../../text/tokenize.ts';
import type { PreparedStory, StorySentence } from '../story-text.ts';

const CUE =
  /\b(?:(?:depend(?:s|ed|ing|ent|ence)?|rel(?:y|ies|ied|ying|iance)|built|build(?:s|ing)?) (?:up)?on|follow(?:s|ed|ing)? (?:the )?(?:approach(?:es)?|models?|path|lead|designs?)(?: (?:used|set|taken|developed) by| of)?|replicat(?:e|es|ed|ing)|cop(?:y|ies|ied|ying)|imitat(?:e|es|ed|ing))\b/i;
/** Words after the cue searched for names: "models developed by US-based firms such as Meta and OpenAI". */
const NAME_WINDOW = 14;
const SUBJECT_WINDOW = 6;
/** Sentences compared pairwise: bounded, so a story of a thousand copies stays fast. */
const MAX_CANDIDATES = 60;
/** Capitalised words that start clauses or sentences, not names. */
const NOT_NAMES = new Set([
  'The',
  'A',
  'An',
  'This',
  'That',
  'These',
  'Those',
  'It',
  'He',
  'She',
  'They',
  'We',
  'I',
  'In',
  'On',
  'At',
  'And',
  'Or',
  'But',
]);

interface Basis {
  readonly sentence: StorySentence;
  readonly names: Set<string>;
  readonly subject: Set<string>;
}

/** "U.S.", "US-based", "US" → "US"; "OpenAI’s" → "OpenAI". */
function nameKey(word: string): string {
  const bare = word.replace(/['’]s$/, '').replace(/-based$/, '');
  if (/^U\.?S\.?$|^USA$|^Americans?$|^America$/.test(bare)) return 'US';
  return /^Chinese$/.test(bare) ? 'China' : bare;
}

function basisOf(s: StorySentence): Basis | undefined {
  const m = CUE.exec(s.text);
  if (!m) return undefined;
  const before = s.text.slice(0, m.index).split(/\s+/).slice(-SUBJECT_WINDOW).join(' ');
  const after = s.text
    .slice(m.index + m[0].length)
    .split(/\s+/)
    .slice(0, NAME_WINDOW)
    .join(' ');
  const names = new Set<string>();
  for (const w of after.match(/\b\p{Lu}[\p{L}\p{N}.'’-]*/gu) ?? []) {
    const word = w.replace(/[.,;:]+$/, w.endsWith('U.S.') ? '.' : '');
    if (!NOT_NAMES.has(word)) names.add(nameKey(word));
  }
  if (names.size === 0) return undefined;
  return { sentence: s, names, subject: new Set(contentTokens(before)) };
}

/** At most one: the pair of articles that name the most different things. */
export function basisConflicts(story: PreparedStory): Disagreement[] {
  const found = story.sentences
    .map(basisOf)
    .filter((b): b is Basis => b !== undefined)
    .slice(0, MAX_CANDIDATES);
  let best: { a: Basis; b: Basis; weight: number } | undefined;
  for (let i = 0; i < found.length; i += 1) {
    for (let j = i + 1; j < found.length; j += 1) {
      const [a, b] = [found[i]!, found[j]!];
      if (a.sentence.articleIds.some((id) => b.sentence.articleIds.includes(id))) continue;
      if (![...a.subject].some((t) => b.subject.has(t))) continue;
      const onlyA = [...a.names].filter((n) => !b.names.has(n));
      const onlyB = [...b.names].filter((n) => !a.names.has(n));
      // Two accounts that name a common basis ("DeepSeek and US labs" / "DeepSeek or American
      // labs") agree; only wholly different names are a different answer.
      if (onlyA.length === 0 || onlyB.length === 0 || onlyA.length < a.names.size || onlyB.length < b.names.size) continue;
      const weight = onlyA.length + onlyB.length;
      if (!best || weight > best.weight) best = { a, b, weight };
    }
  }
  if (!best) return [];
  return [
    {
      about: 'What it builds on',
      positions: [best.a, best.b].map((x) => ({ text: x.sentence.text, articleIds: [...x.sentence.articleIds] })),
    },
  ];
}
