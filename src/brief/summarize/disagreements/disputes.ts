/**
 * Disputed accounts: one source's explanation, finding or account that another source
 * contradicts, questions, denies or blames on someone else. "The most likely explanation is a
 * dragging anchor" / the coast guard "contradicting the operator's view … no vessel crossed the
 * cable route"; the port company says the union "walked away" / "The union gave a very
 * different account": management "refused to negotiate". The disputing statement is found by
 * its cue; the account it disputes is the statement of another source that shares the most
 * of what it is about (in the same article when the cue points back: "a very different account").
 */
import type { Disagreement } from '../../../core/types.ts';
import { contentTokens } from '../../../text/tokenize.ts';
import type { PreparedStory, StorySentence } from '../story-text.ts';
import { capitalize, surfaceTerms } from './label.ts';
import { differentSources, GENERIC_WORDS, publisherLookup, statementsOf, storyCommonTokens, type Statement } from './statements.ts';

/**
 * "Challenges" and "questions" are also nouns: "the lack of original design poses significant
 * challenges", "raising questions that the firm must answer" dispute nothing. After an article,
 * a possessive, an adjective of size or kind, or a verb that takes them as its object, they are
 * the nouns.
 */
const NOUN_BEFORE =
  '(?<!\\b(?:the|a|an|its|their|his|her|our|these|those|such|many|some|new|key|major|main|serious|significant|real|big|biggest|great|greater|greatest|huge|other|several|difficult|hard|open|unanswered|legal|technical|poses?|posed|posing|faces?|faced|facing|presents?|presented|presenting|raises?|raised|raising|asks?|asked|asking|answer(?:s|ed|ing)?)\\s+)';
/** A statement that disputes another's account. */
const DISPUTE = new RegExp(
  String.raw`\b(?:contradict\w*|disputed|disputing|disputes (?:the|this|that|it|his|her|their|a)|${NOUN_BEFORE}question(?:s|ed|ing) (?:the|whether|that|its|their|his|her)|reject\w*|den(?:y|ies|ied)|${NOUN_BEFORE}challeng(?:e|es|ed|ing)\b|cast(?:s|ing)? doubt|rebut\w*|refut\w*|dismiss(?:ed|es)|(?:found|find|see|saw) no (?:sign|evidence|trace)|no (?:sign|evidence) (?:of|that)|(?:a |very |quite )*different (?:account|version|story|picture)|countered|insist(?:s|ed)? (?:that|it)|(?:were|was) not affected|no \w+ (?:were|was) affected|refused to)\b`,
  'i',
);
/** A cue that only points at the next statement ("The union gave a very different account."). */
const POINTS_AHEAD = /\b(?:different (?:account|version|story|picture)|disagreed|disputes? (?:this|that|the account))\W*$/i;
/** Words of the cues themselves, not what the dispute is about. */
const CUE_WORDS = new Set([
  'contradict',
  'dispute',
  'disput',
  'question',
  'reject',
  'deny',
  'deni',
  'challeng',
  'cast',
  'doubt',
  'refut',
  'dismiss',
  'found',
  'sign',
  'evidence',
  'different',
  'account',
  'version',
  'blame',
  'blam',
  'counter',
  'insist',
  'affect',
  'refus',
  'view',
  'claim',
  'theory',
  'explanation',
  'statement',
]);
/** Shared words a disputed account needs with its dispute. */
const MIN_SHARED = 2;
const MAX_DISPUTES = 2;

function terms(text: string): Set<string> {
  return new Set(contentTokens(text).filter((t) => !/\d/.test(t) && !GENERIC_WORDS.has(t) && ![...CUE_WORDS].some((c) => t.startsWith(c))));
}

function neighbours(story: PreparedStory, s: StorySentence, step: number): StorySentence | undefined {
  return story.sentences.find((x) => x.articleId === s.articleId && x.position === s.position + step);
}

export function disputeConflicts(story: PreparedStory): Disagreement[] {
  const statements = statementsOf(story);
  const publisherOf = publisherLookup(story);
  const common = storyCommonTokens(story);
  const pool = [...story.sentences].sort((a, b) => b.score - a.score).slice(0, 200);
  const termsOf = new Map(pool.map((s) => [s, terms(s.text)]));
  const found: Array<{ account: Statement; dispute: Statement; weight: number }> = [];
  for (const s of pool) {
    if (!DISPUTE.test(s.text) || /\?\s*$/.test(s.text)) continue;
    let dispute = statements.get(s)!;
    let candidates = pool;
    if (POINTS_AHEAD.test(s.text)) {
      // "X gave a very different account." — the account is the statement after it, the
      // disputed one is earlier in the same article.
      const next = neighbours(story, s, 1);
      if (!next) continue;
      dispute = statements.get(next) ?? { sentence: next };
      candidates = pool.filter((x) => x.articleId === s.articleId && x.position < s.position && x.position >= s.position - 3);
    }
    let best: { account: Statement; weight: number } | undefined;
    if (candidates !== pool) {
      // The nearest earlier statement of another holder is the account disputed.
      const earlier = candidates.filter(
        (c) => c !== s && statements.get(c)!.holder !== undefined && differentSources(statements.get(c)!, dispute, publisherOf),
      );
      const nearest = earlier.sort((x, y) => y.position - x.position)[0];
      if (nearest) best = { account: statements.get(nearest)!, weight: 1 };
    } else {
      // What is disputed comes after the cue ("contradicting the operator's view that …").
      const cue = DISPUTE.exec(s.text)!;
      const object = terms(s.text.slice(cue.index));
      const own = object.size >= MIN_SHARED ? object : (termsOf.get(s) ?? terms(s.text));
      for (const c of candidates) {
        if (c === s || DISPUTE.test(c.text)) continue;
        const account = statements.get(c)!;
        // An account is someone's: a named holder's explanation, finding or claim.
        if (account.holder === undefined || !differentSources(account, dispute, publisherOf)) continue;
        const other = termsOf.get(c)!;
        const shared = [...own].filter((t) => other.has(t)).length;
        if (shared < MIN_SHARED) continue;
        const weight = shared / Math.sqrt(own.size * other.size || 1) + 0.1 * c.score;
        if (!best || weight > best.weight) best = { account, weight };
      }
    }
    if (best) found.push({ account: best.account, dispute, weight: best.weight + s.score });
  }
  found.sort((a, b) => b.weight - a.weight);
  const out: Disagreement[] = [];
  const used = new Set<StorySentence>();
  for (const { account, dispute } of found) {
    if (used.has(account.sentence) || used.has(dispute.sentence)) continue;
    used.add(account.sentence).add(dispute.sentence);
    const shared = [...terms(account.sentence.text)].filter((t) => terms(dispute.sentence.text).has(t) && !common.has(t));
    const topic = surfaceTerms(shared, `${account.sentence.text} ${dispute.sentence.text}`).slice(0, 2);
    const who = dispute.holder ? `, says ${dispute.holder.replace(/^\p{Ll}/u, (c) => c.toUpperCase())}` : '';
    out.push({
      about: topic.length > 0 ? `${capitalize(topic.join(', '))}: disputed${who}` : `An account disputed${who}`,
      positions: [account, dispute].map((x) => ({ text: x.sentence.text, articleIds: [...x.sentence.articleIds] })),
    });
    if (out.length >= MAX_DISPUTES) break;
  }
  return out;
}
