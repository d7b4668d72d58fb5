/**
 * Opposite assessments of the same question: polarity cues on sentences that share topic
 * terms (widening/narrowing, can/cannot win, likely/unlikely, rise/fall, safe/unsafe).
 */
import type { Disagreement } from '../../../core/types.ts';
import { isStopword } from '../../../text/stopwords.ts';
import { contentTokens } from '../../../text/tokenize.ts';
import { speakerOf } from '../claims.ts';
import { jaccard, type PreparedStory, type StorySentence } from '../story-text.ts';
import { capitalize, surfaceTerms } from './label.ts';
import { clauseAround, differentSources, publisherLookup, statementsOf } from './statements.ts';

interface Axis {
  readonly label: string;
  readonly up: RegExp;
  readonly down: RegExp;
  /** A measured change: a forecast of it ("would drop") is not a reading to set against one. */
  readonly measured?: boolean;
  /**
   * A verdict on the story's own pending outcome (will the vote pass, is the result a win):
   * two sources giving opposite verdicts disagree even in different words ("expected to pass"
   * / "faces defeat"), so the cues need not sit next to a shared word.
   */
  readonly verdict?: boolean;
}

const AXES: Axis[] = [
  {
    label: 'widening or narrowing',
    up: /\b(?:widen\w*|grow\w*|larger|expand\w*|deepen\w*)\b/,
    down: /\b(?:narrow\w*|clos(?:e|es|ed|ing) (?:the |a |that |this )?(?:gap|distance|divide)|clos(?:e|es|ing) in on|shrink\w*|smaller|catch(?:ing)? up)\b/,
  },
  {
    label: 'ahead or behind',
    up: /\b(?:win|wins|winning|beat|beats|beating|surpass\w*|overtak\w*|overtook|outpac\w*|ahead of)\b/,
    down: /\b(?:los(?:e|es|ing) (?:the|to|ground)|lag(?:s|ged|ging)?|trail(?:s|ed|ing)?|(?:fall\w*|falls|fell|is|are|was|were|remains?|stay\w*|left) behind|at a disadvantage)\b/,
  },
  {
    label: 'likely or unlikely',
    up: /\b(?:likely|probable|expected|confident|(?:little|no) doubt)\b/,
    down: /\b(?:unlikely|improbable|(?<!(?:little|no) )doubt\w*|skeptic\w*|sceptic\w*)\b/,
  },
  {
    label: 'rising or falling',
    up: /\b(?:ris(?:e|es|ing)|rose|increas(?:e|es|ed|ing)|climb\w*|surg(?:e|es|ed|ing)|jump(?:s|ed)?)\b/,
    down: /\b(?:(?<!(?:last|this|next|the|early|late|in) )(?:fall|falls|falling|fell)(?! behind| short| fights?| elections?| semester| season| campaign)|decreas(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|drop(?:s|ped)?|plung\w*|slump\w*)\b/,
    measured: true,
  },
  { label: 'safe or unsafe', up: /\b(?:safe|secure|harmless)\b/, down: /\b(?:unsafe|dangerous|risky|harmful)\b/ },
  {
    label: 'will it pass?',
    up: /\b(?:(?:expected|likely|set|poised|going|certain|sure) to (?:pass|back|approve|be approved|be cleared|win approval|sail through|go through)|will (?:pass|be approved|be cleared|sail through|go through)|(?:be|been|is|are) cleared in|waved through|has the votes)\b/,
    down: /\b(?:voted down|(?:faces?|facing|heading for|headed for) (?:defeat|rejection)|will (?:fail|be rejected|be blocked|be defeated)|(?:face|faces|facing) an? (?:in-depth|full|lengthy|second-phase|phase[- ]two) (?:investigation|probe|review|inquiry)|does not have the votes|lacks the votes)\b/,
    verdict: true,
  },
  {
    label: 'how much does it matter?',
    up: /\b(?:(?:a |an )?(?:clear|big|major|significant|substantial|meaningful|important|real) (?:win|benefit|improvement|advance|step forward|breakthrough)|breakthrough|game[- ]changer)\b/,
    down: /\b(?:(?:a |an )?(?:marginal|modest|small|limited|minor|slim) (?:benefit|improvement|gain|effect|advantage)|win on paper|(?:a )?disappointment|overhyped|overstated)\b/,
    verdict: true,
  },
];

const GLOBAL = new Map<RegExp, RegExp>();
/** The cue pattern with the g flag, compiled once. */
function globalOf(re: RegExp): RegExp {
  let g = GLOBAL.get(re);
  if (!g) GLOBAL.set(re, (g = new RegExp(re.source, 'g')));
  return g;
}

/** A negation that governs the cue right after it ("cannot beat", "is not rising"). */
const NEGATION =
  /\b(?:not|no|never|cannot|can't|won't|couldn't|isn't|aren't|wasn't|unable to|fail\w* to|no longer)\s+(?:[\p{L}'-]+\s+){0,2}$/u;
const CONTRAST = /\b(?:but|however|yet|still|although|though|whereas)\b/i;

/** A sentence's polarity on an axis and the words around its cues (what the cue is said of). */
interface Assessment {
  readonly polarity: number;
  readonly subject: Set<string>;
  /** Words near the cues that lost ("lose the LLM race" in "lose the LLM race and still win in AI"). */
  readonly against: Set<string>;
  /**
   * The verdict is a possibility or the odds of one ("can still win", "less than 20% chance to
   * beat"), not a state ("trails"): "can still win" and "trails today" can both be true.
   */
  readonly modal?: boolean;
}
const MODAL =
  /\b(?:can|could|may|might|will|would|still|chances?|odds|probability|likelihood|likely|possible)\b(?:\s+[\p{L}'’-]+){0,3}\s*$/u;

/** A cue inside a supposition is nobody's assessment: "thinking Chinese models have surpassed", "whether it can win". */
const SUPPOSED = /\b(?:thinking|believing|assuming|hoping|imagining|if|whether)\b(?:\s+[\p{L}'’-]+){0,6}\s+$/u;

/** A change only forecast or wished for: "would drop", "expected to rise". */
const HYPOTHETICAL = /\b(?:would|could|might|may|should|expected to|forecast to|projected to|anticipated)\b(?:\s+[\p{L}'’-]+){0,6}\s+$/u;

/**
 * Content words either side of a cue that name what rises, widens or wins: the subject mostly
 * comes before ("the gap with the United States narrowing"); a few words after catch the
 * object ("cannot beat the U.S.") without reaching the next clause's subject.
 */
const SUBJECT_BEFORE = 5;
const SUBJECT_AFTER = 3;
const NEGATION_WORD = /^(?:not|no|never|cannot|can't|won't|less|unable|fail\w*)$/;
/**
 * Odds talk. A cue inside it ("the chance of beating", "the probability that any firm
 * overtakes", "odds of surpassing") is not a verdict that the thing happens: the odds given
 * decide ("less than 20%", "a slim chance", "under one in five" say it will not), wherever
 * they stand: before the odds word ("a less-than-20% chance of beating") or after the cue
 * ("… surpassing them is currently less than 20%", "put the odds … at under one in five").
 */
const ODDS_GOVERN = /\b(?:chances?|probability|odds|likelihood)\s+(?:of|to|that|for)\b(?:\s+[\p{L}\p{N}'’-]+){0,6}\s+$/u;
const LOW_ODDS =
  /(?:\b(?:less|fewer) than|\bunder|\bbelow|\bno more than|\bat most)[\s-]+(?:an?\s+)?(?:\d|one[\s-]in[\s-]|even\b|half\b|a (?:fifth|tenth|quarter|third)\b)|\b(?:slim|slight|low|small|remote|little|tiny|poor|negligible|outside|no)\s+(?:real\s+)?(?:chances?|odds|probability|likelihood|hope)\b|\b(?:is|are|was|were|put|seen|rated|looks?|remains?)\s+(?:as\s+)?(?:very\s+|extremely\s+|only\s+)?(?:low|slim|small|remote|poor|negligible)\b/u;
const HIGH_ODDS =
  /(?:\b(?:more|better) than|\bover|\babove|\bat least)[\s-]+(?:an?\s+)?(?:\d|even\b|half\b)|\b(?:good|high|strong|excellent|real|fair|decent)\s+(?:chances?|odds|probability|likelihood)\b|\b(?:is|are|was|were|put|seen|rated|looks?|remains?)\s+(?:as\s+)?(?:very\s+)?(?:high|good|strong)\b/u;
const PERCENT = /(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)/u;
/** Words of the odds themselves, not of what they are odds of. */
const ODDS_WORDS = /\b(?:less|fewer|than|under|below|chances?|probability|odds|likelihood|percent|per cent)\b|\d+(?:\.\d+)?\s*%?/g;
/** How much of the sentence either side of the cue may hold the odds. */
const ODDS_REACH = 80;

/** −1 when the odds given are low, +1 when high, 0 when no odds are given. */
function oddsSign(around: string): number {
  if (LOW_ODDS.test(around)) return -1;
  if (HIGH_ODDS.test(around)) return 1;
  const p = PERCENT.exec(around);
  return p ? (Number(p[1]) < 50 ? -1 : 1) : 0;
}
const TIME_WORD =
  /^(?:\d.*|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|week|month|year|today|yesterday)$/;

/**
 * Polarity of a sentence on an axis: +1, −1 or 0, with the words its deciding cues sit among.
 * A cue right after a negation flips; the clause after "but" outweighs the one before
 * ("losing the race but can still win" → win). A question asserts nothing, and a clause with
 * cues both ways ("rose by 235,000, down from 943,000") is too mixed to count.
 */
function assess(sentence: string, axis: Axis): Assessment {
  const none: Assessment = { polarity: 0, subject: new Set(), against: new Set(), modal: false };
  if (/\?["”’']?\s*$/.test(sentence)) return none;
  const lower = sentence.toLowerCase();
  const parts = lower.split(CONTRAST);
  // Where each part starts in the sentence: the words before a cue may lie in the part before.
  let cursor = 0;
  const starts = parts.map((p) => {
    const at = lower.indexOf(p, cursor);
    cursor = at + p.length;
    return at;
  });
  let total = 0;
  const near: Array<{ sign: number; words: string[]; object: string[]; modal: boolean }> = [];
  for (const [i, part] of parts.entries()) {
    const weight = i === parts.length - 1 && parts.length > 1 ? 2 : 1;
    const signs = new Set<number>();
    for (const [re, sign] of [
      [globalOf(axis.up), 1],
      [globalOf(axis.down), -1],
    ] as const) {
      re.lastIndex = 0;
      for (const m of part.matchAll(re)) {
        const before = part.slice(0, m.index);
        // A cue in quotes is someone's word held at a distance ("asked why he's 'confident'").
        if (/['‘"“]$/.test(before)) continue;
        if (axis.measured && HYPOTHETICAL.test(before)) continue;
        if (SUPPOSED.test(before)) continue;
        const after = part.slice(m.index + m[0].length);
        const odds = ODDS_GOVERN.test(before);
        let s = NEGATION.test(before) ? -sign : sign;
        if (odds) {
          // The odds decide, and they are a possibility, not a state: low odds of winning are a
          // verdict that it will not win, whichever way the sentence words them.
          const clause = `${before.slice(-ODDS_REACH)}${m[0]}${after.slice(0, ODDS_REACH).split(/[.;]/)[0]}`;
          s = oddsSign(clause) < 0 ? -sign : sign;
        }
        total += s * weight;
        // The negation ("cannot") and the odds ("less than 20% chance to") are not the subject.
        const lead = (odds ? before.replace(ODDS_WORDS, ' ') : before.replace(NEGATION, ' ')).trim().split(/\s+/);
        const words = [...lead.slice(-SUBJECT_BEFORE), ...after.trim().split(/\s+/).slice(0, SUBJECT_AFTER)];
        signs.add(s);
        near.push({
          sign: s,
          words,
          object: after.trim().split(/\s+/).slice(0, SUBJECT_AFTER),
          modal: odds || MODAL.test(lower.slice(0, starts[i]! + m.index!)),
        });
      }
    }
    if (signs.size > 1) return none;
  }
  const polarity = Math.sign(total);
  const subject = new Set(
    contentTokens(
      near
        .filter((n) => n.sign === polarity)
        .flatMap((n) => n.words)
        .join(' '),
    ).filter((t) => !TIME_WORD.test(t) && !NEGATION_WORD.test(t)),
  );
  // What the losing cues were said of: the words after them ("lose the LLM race").
  const against = new Set(
    contentTokens(
      near
        .filter((n) => n.sign === -polarity)
        .flatMap((n) => n.object)
        .join(' '),
    ).filter((t) => !subject.has(t) && !TIME_WORD.test(t)),
  );
  return { polarity, subject, against, modal: near.some((n) => n.sign === polarity && n.modal) };
}

/** Each axis's cues, either way, as one pattern (made once per axis). */
const AXIS_CUES = new WeakMap<Axis, RegExp>();

/** The clause of a sentence that holds its first cue on the axis: the position reads as the verdict itself. */
function cueClause(text: string, axis: Axis): string {
  let cues = AXIS_CUES.get(axis);
  if (!cues) AXIS_CUES.set(axis, (cues = new RegExp(`${axis.up.source}|${axis.down.source}`, 'i')));
  const m = cues.exec(text);
  return m ? clauseAround(text, m.index, m.index + m[0].length) : text;
}

/** Single words of multi-word cues ("falls behind", "ahead of"): not topic terms. */
const CUE_PARTS = new Set([
  'behind',
  'ahead',
  'los',
  'lose',
  'losing',
  'fall',
  'fell',
  'falling',
  'disadvantage',
  'remain',
  'stay',
  'left',
  'still',
  'sharply',
  'steeply',
  'slightly',
  'further',
  'again',
]);

function axisTokens(s: StorySentence, axis: Axis): Set<string> {
  return new Set([...s.tokenSet].filter((t) => !axis.up.test(t) && !axis.down.test(t) && !CUE_PARTS.has(t) && !/^\d/.test(t)));
}

export function assessmentConflicts(story: PreparedStory): Disagreement[] {
  const out: Disagreement[] = [];
  const statements = statementsOf(story);
  const publisherOf = publisherLookup(story);
  // Candidates: the most central sentences, titles included, so the pass stays bounded.
  // Distinct titles only, and a bounded number of them: a thousand copies share one headline.
  const distinctTitles = new Map<string, [string, string]>();
  for (const [id, text] of story.titles) if (!distinctTitles.has(text) && distinctTitles.size < 60) distinctTitles.set(text, [id, text]);
  const titleSentences: StorySentence[] = [...distinctTitles.values()].map(([id, text], i) => {
    const set = new Set(contentTokens(text));
    const ids = [...story.titles].filter(([, t]) => t === text).map(([x]) => x);
    return {
      text,
      tokens: [...set],
      tokenSet: set,
      articleIds: ids.length ? ids : [id],
      articleId: id,
      position: -1 - i,
      heading: true,
      score: 1,
    };
  });
  const pool = [...story.sentences].sort((a, b) => b.score - a.score).slice(0, 150);
  const candidates = [...titleSentences, ...pool];
  // Terms in a third or more of the story's sentences are its general topic ("China", "AI"):
  // sharing only those does not make two sentences about the same question.
  const df = new Map<string, number>();
  for (const s of story.sentences) for (const t of s.tokenSet) df.set(t, (df.get(t) ?? 0) + 1);
  const inArticles = new Map<string, Set<string>>();
  for (const s of story.sentences)
    for (const t of s.tokenSet) for (const id of s.articleIds) (inArticles.get(t) ?? inArticles.set(t, new Set()).get(t)!).add(id);
  const nArticles = story.articles.length;
  const specific = (t: string): boolean => (df.get(t) ?? 0) <= Math.max(2, story.sentences.length * 0.3);
  // For the label: a term nearly every article uses ("Tencent" in a Tencent story) names nothing.
  const distinctive = (t: string): boolean => specific(t) && (nArticles < 3 || (inArticles.get(t)?.size ?? 0) < nArticles * 0.8);
  for (const axis of AXES) {
    // The terms only of sentences with a position on the axis: most candidates have none.
    const signed = candidates
      .map((s) => ({ s, ...assess(s.text, axis) }))
      .filter((x) => x.polarity !== 0)
      .map(({ s, polarity: p, subject, against, modal }) => ({ s, p, subject, against, modal, terms: axisTokens(s, axis) }));
    // Bounded: the 60 most central sentences on each side (titles first), so pairs stay few.
    const ups = signed.filter((x) => x.p > 0).slice(0, 60);
    const downs = signed.filter((x) => x.p < 0).slice(0, 60);
    let best: { a: (typeof signed)[number]; b: (typeof signed)[number]; shared: string[]; weight: number } | undefined;
    for (const a of ups) {
      for (const b of downs) {
        const sameSource =
          a.s.articleIds.every((id) => b.s.articleIds.includes(id)) && b.s.articleIds.every((id) => a.s.articleIds.includes(id));
        // Within one article, two named speakers at odds count; one voice hedging does not.
        if (sameSource) {
          const sa = speakerOf(a.s.text);
          const sb = speakerOf(b.s.text);
          if (!sa || !sb || sa === sb) continue;
        }
        if (axis.verdict) {
          // A verdict is the story's own question; two sources answering it oppositely disagree.
          if (!differentSources(statements.get(a.s) ?? { sentence: a.s }, statements.get(b.s) ?? { sentence: b.s }, publisherOf)) continue;
          const weight = 3 + a.s.score + b.s.score;
          if (!best || weight > best.weight) best = { a, b, shared: [], weight };
          continue;
        }
        if (!differentSources(statements.get(a.s) ?? { sentence: a.s }, statements.get(b.s) ?? { sentence: b.s }, publisherOf)) continue;
        // The two must say it of the same thing: a word next to one cue is next to the other
        // ("the gap is widening" / "the gap is narrowing"; not "the rise of Delta" / "last fall").
        // A measured change needs the thing that changes named on both sides ("prices … rose" /
        // "prices … fell"), two words of it: "shares in Halden Line rose" and "container lines
        // face falling freight rates" share only "line".
        const subjectShared = [...a.subject].filter(
          (t) => b.subject.has(t) && !axis.up.test(t) && !axis.down.test(t) && !CUE_PARTS.has(t),
        ).length;
        if (subjectShared < (axis.measured ? 2 : 1)) continue;
        // A sentence with cues both ways agrees with the other on the subject of its minority cue
        // ("may lose the LLM race and still win in AI" agrees that China lags on LLMs).
        if ([...a.against].some((t) => b.subject.has(t)) || [...b.against].some((t) => a.subject.has(t))) continue;
        // A possibility against a state is no contradiction ("can still win" / "trails today").
        if (a.modal !== b.modal) continue;
        const shared = [...a.terms].filter((t) => b.terms.has(t) && !isStopword(t) && t.length > 2);
        const nSpecific = shared.filter(specific).length;
        const rare = shared.length === 1 && (df.get(shared[0]!) ?? 0) <= 3;
        // Two headlines are each outlet's verdict on the whole story: cues on one subject suffice.
        const headlines = a.s.heading && b.s.heading && shared.length > 0;
        if (!headlines && ((shared.length < 2 && !rare) || (nSpecific === 0 && shared.length < 4))) continue;
        const weight = shared.length + nSpecific + jaccard(a.terms, b.terms);
        if (!best || weight > best.weight)
          best = { a, b, shared: [...shared.filter(specific), ...shared.filter((t) => !specific(t))], weight };
      }
    }
    if (!best) continue;
    const terms = surfaceTerms(best.shared.filter(distinctive), `${best.a.s.text} ${best.b.s.text}`).slice(0, 2);
    const label = axis.label.endsWith('?') ? axis.label : `${axis.label}?`;
    const about = capitalize(terms.length ? `${terms.join(', ')}: ${label}` : label);
    out.push({
      about,
      positions: [best.a, best.b].map((x) => ({ text: cueClause(x.s.text, axis), articleIds: [...x.s.articleIds] })),
    });
  }
  return out;
}
