/**
 * Disagreements — where sources differ, shown side by side, never averaged:
 * (a) the same quantity given different values by different articles;
 * (b) opposite assessments of the same question (polarity cues on sentences that share
 *     topic terms: widening/narrowing, can/cannot win, likely/unlikely, rise/fall);
 * (c) conflicting credit for who reported the story ("reported by AFP" vs "according to
 *     the South China Morning Post");
 * (d) within one article, a contrast between two named speakers ("A suggests X, but B says Y").
 * Agreement written differently ("3 months" / "three months") is not a disagreement.
 */
import type { Disagreement, Position } from '../../core/types.ts';
import { speakerOf } from './claims.ts';
import { basisConflicts } from './disagreement-basis.ts';
import { figureClass, figureRole, rangesConflict, valueRange, type ValueRange } from './figure-range.ts';
import type { FigureMention } from './figures.ts';
import { contentTokens, isStopword } from '../../text/normalize.ts';
import { jaccard, type PreparedStory, type StorySentence } from './story-text.ts';

/** A figure as found in the story: the mention and the articles that state that sentence. */
export interface LocatedFigure {
  readonly mention: FigureMention;
  readonly sentence: StorySentence;
}

const MAX_DISAGREEMENTS = 4;
const MAX_POSITION_CHARS = 240;

function clip(text: string): string {
  if (text.length <= MAX_POSITION_CHARS) return text;
  const cut = text.slice(0, MAX_POSITION_CHARS);
  return `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---- (a) one quantity, different values ------------------------------------------------

const QUANTITY_NOISE = new Set(['said', 'says', 'put', 'estimated', 'reported', 'according', 'currently', 'worth']);

const CASUALTY = /\b(?:kill\w*|dead|died|deaths?|death toll|fatalit\w*|lives|perished)\b/i;

function quantityWords(f: FigureMention): Set<string> {
  const words = new Set(
    (f.quantity ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w.length > 2 && !isStopword(w) && !QUANTITY_NOISE.has(w)),
  );
  // Casualty figures are named many ways ("death toll rose to 15", "killed 12 people"):
  // they all measure deaths.
  if (f.kind === 'count' || f.kind === 'number') {
    const at = f.sentence.indexOf(f.value);
    if (at >= 0 && CASUALTY.test(f.sentence.slice(Math.max(0, at - 70), at + f.value.length + 25))) {
      words.clear();
      words.add('deaths');
    }
  }
  return words;
}

/** Values further apart than this factor measure different things (11,000 athletes, 567 athletes). */
const MAX_VALUE_RATIO = 5;
/** Figures compared per quantity name: the pass stays bounded on a story of a thousand copies. */
const MAX_BUCKET = 40;

/** Words either side of a figure that say what it counts ("limit for two months", "killed 12 in Ahrweiler"). */
const CONTEXT_WORDS = 8;
/** Sentences sharing this share of their content words report the same thing. */
const SAME_REPORT_JACCARD = 0.14;

function nearWords(f: FigureMention): Set<string> {
  const at = f.sentence.indexOf(f.value);
  const before = f.sentence.slice(0, Math.max(0, at)).split(/\s+/).slice(-CONTEXT_WORDS).join(' ');
  const after = f.sentence.slice(at + f.value.length).split(/\s+/).slice(0, CONTEXT_WORDS + 1).join(' ');
  const own = quantityWords(f);
  return new Set(contentTokens(`${before} ${after}`).filter((t) => !/\d/.test(t) && !own.has(t) && !QUANTITY_NOISE.has(t)));
}

/**
 * Two figures name the same quantity only when the words around them share more than its
 * name: "20 miles outside the town" and "66 miles above the Earth" are two distances.
 */
function sharesContext(a: LocatedFigure, b: LocatedFigure): boolean {
  const near = nearWords(b.mention);
  for (const t of nearWords(a.mention)) if (near.has(t)) return true;
  // Or the two sentences tell much the same thing ("raise the debt limit for two months" /
  // "extending the borrowing limit for three months", the limit named further back).
  return jaccard(a.sentence.tokenSet, b.sentence.tokenSet) >= SAME_REPORT_JACCARD;
}

interface FigureConflict {
  readonly values: string;
  readonly about: string;
  readonly sides: [LocatedFigure[], LocatedFigure[]];
}

function figureConflicts(story: PreparedStory, figures: readonly LocatedFigure[]): Disagreement[] {
  const ranged = new Map<LocatedFigure, ValueRange>();
  for (const f of figures) {
    const r = valueRange(f.mention);
    if (r !== undefined) ranged.set(f, r);
  }
  // Every range each article states, by unit class, whatever it is said to measure: an article
  // that also gives a value compatible with the other side ("3 then 6 months") is not at odds.
  const statedBy = new Map<string, Array<{ cls: string; range: ValueRange }>>();
  for (const [f, range] of ranged) {
    for (const id of f.sentence.articleIds) (statedBy.get(id) ?? statedBy.set(id, []).get(id)!).push({ cls: figureClass(f.mention), range });
  }
  const states = (id: string, cls: string, range: ValueRange): boolean =>
    statedBy.get(id)?.some((s) => s.cls === cls && !rangesConflict(s.range, range)) ?? false;
  // Only the story's own readings are compared: not a forecast, not last month's figure.
  const usable = [...ranged.keys()].filter((f) => figureRole(f.mention) === 'reported' && quantityWords(f.mention).size > 0);
  // Buckets of comparable figures that name the same quantity: linear, no all-pairs.
  const buckets = new Map<string, LocatedFigure[]>();
  for (const f of usable) {
    for (const w of quantityWords(f.mention)) {
      const key = `${figureClass(f.mention)}|${w}`;
      const bucket = buckets.get(key) ?? buckets.set(key, []).get(key)!;
      if (bucket.length < MAX_BUCKET) bucket.push(f);
    }
  }
  const out: FigureConflict[] = [];
  const used = new Set<LocatedFigure>();
  for (const [key, bucket] of buckets) {
    if (out.length >= MAX_DISAGREEMENTS) break;
    const cls = key.slice(0, key.indexOf('|'));
    const word = key.slice(key.indexOf('|') + 1);
    const open = bucket.filter((f) => !used.has(f));
    // Two readings conflict when no value fits both, they are within a factor of each other,
    // and each comes from an article that states nothing compatible with the other.
    const atOdds = (a: LocatedFigure, b: LocatedFigure): boolean => {
      const ra = ranged.get(a)!;
      const rb = ranged.get(b)!;
      const [x, y] = [Math.abs(a.mention.normalized!), Math.abs(b.mention.normalized!)];
      if (!rangesConflict(ra, rb) || Math.max(x, y) > MAX_VALUE_RATIO * Math.min(x, y)) return false;
      if (!sharesContext(a, b)) return false;
      return a.sentence.articleIds.some((id) => !states(id, cls, rb)) && b.sentence.articleIds.some((id) => !states(id, cls, ra));
    };
    let best: { a: LocatedFigure; b: LocatedFigure; support: number } | undefined;
    for (let i = 0; i < open.length; i += 1) {
      for (let j = i + 1; j < open.length; j += 1) {
        const [a, b] = [open[i]!, open[j]!];
        if (!atOdds(a, b)) continue;
        const support = a.sentence.articleIds.length + b.sentence.articleIds.length;
        if (!best || support > best.support) best = { a, b, support };
      }
    }
    if (!best) continue;
    const { a, b } = best;
    const sideOf = (self: LocatedFigure, other: LocatedFigure): LocatedFigure[] =>
      open.filter((f) => !rangesConflict(ranged.get(f)!, ranged.get(self)!) && rangesConflict(ranged.get(f)!, ranged.get(other)!));
    const sides: [LocatedFigure[], LocatedFigure[]] = [sideOf(a, b), sideOf(b, a)];
    sides.flat().forEach((f) => used.add(f));
    const values = [a.mention.normalized!, b.mention.normalized!].sort((x, y) => x - y).join('|');
    const earlier = out.find((o) => o.values === values);
    if (earlier) {
      // The same two numbers under another name ("death toll" / "people killed"): one conflict.
      earlier.sides[0].push(...sides[0]);
      earlier.sides[1].push(...sides[1]);
      continue;
    }
    const deaths = quantityWords(a.mention).has('deaths');
    out.push({ values, about: deaths ? 'Number of deaths' : capitalize(`${a.mention.quantity ?? word}: different figures`), sides });
  }
  // One position per wording, at most two per side: verification checks each position's text
  // against the articles it cites, so an article that gives the value in its own words gets its own line.
  return out.map((o) => ({
    about: o.about,
    positions: o.sides.flatMap((side): Position[] => {
      const bySentence = new Map<StorySentence, Set<string>>();
      for (const f of side) {
        const ids = bySentence.get(f.sentence) ?? new Set<string>();
        f.sentence.articleIds.forEach((id) => ids.add(id));
        bySentence.set(f.sentence, ids);
      }
      const seen = new Set<string>();
      return [...bySentence]
        .map(([sentence, ids]) => ({ text: sentence.text, articleIds: [...ids].filter((id) => !seen.has(id)) }))
        .filter((p) => {
          p.articleIds.forEach((id) => seen.add(id));
          return p.articleIds.length > 0;
        })
        .slice(0, 2);
    }),
  }));
}

// ---- (b) opposite assessments -----------------------------------------------------------

interface Axis {
  readonly label: string;
  readonly up: RegExp;
  readonly down: RegExp;
  /** A measured change: a forecast of it ("would drop") is not a reading to set against one. */
  readonly measured?: boolean;
}

const AXES: Axis[] = [
  { label: 'widening or narrowing', up: /\b(?:widen\w*|grow\w*|larger|expand\w*|deepen\w*)\b/, down: /\b(?:narrow\w*|clos(?:e|es|ed|ing) (?:the |a |that |this )?(?:gap|distance|divide)|clos(?:e|es|ing) in on|shrink\w*|smaller|catch(?:ing)? up)\b/ },
  { label: 'ahead or behind', up: /\b(?:win|wins|winning|beat|beats|surpass\w*|overtake\w*|outpac\w*|ahead of)\b/, down: /\b(?:los(?:e|es|ing) (?:the|to|ground)|lag(?:s|ged|ging)?|trail(?:s|ed|ing)?|(?:fall\w*|falls|fell|is|are|was|were|remains?|stay\w*|left) behind|at a disadvantage)\b/ },
  { label: 'likely or unlikely', up: /\b(?:likely|probable|expected|confident|(?:little|no) doubt)\b/, down: /\b(?:unlikely|improbable|(?<!(?:little|no) )doubt\w*|skeptic\w*|sceptic\w*)\b/ },
  { label: 'rising or falling', up: /\b(?:ris(?:e|es|ing)|rose|increas(?:e|es|ed|ing)|climb\w*|surg(?:e|es|ed|ing)|jump(?:s|ed)?)\b/, down: /\b(?:(?<!(?:last|this|next|the|early|late|in) )(?:fall|falls|falling|fell)(?! behind| short| fights?| elections?| semester| season| campaign)|decreas(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|drop(?:s|ped)?|plung\w*|slump\w*)\b/, measured: true },
  { label: 'safe or unsafe', up: /\b(?:safe|secure|harmless)\b/, down: /\b(?:unsafe|dangerous|risky|harmful)\b/ },
];

const GLOBAL = new Map<RegExp, RegExp>();
/** The cue pattern with the g flag, compiled once. */
function globalOf(re: RegExp): RegExp {
  let g = GLOBAL.get(re);
  if (!g) GLOBAL.set(re, (g = new RegExp(re.source, 'g')));
  return g;
}

/** A negation that governs the cue right after it ("cannot beat", "is not rising", "less than 20% chance to win"). */
const NEGATION = /(?:\b(?:not|no|never|cannot|can't|won't|couldn't|isn't|aren't|wasn't|unable to|fail\w* to|no longer)|\bless than \d+%? chance (?:to|of))\s+(?:[\p{L}'-]+\s+){0,2}$/u;
const CONTRAST = /\b(?:but|however|yet|still|although|though|whereas)\b/i;

/** A sentence's polarity on an axis and the words around its cues (what the cue is said of). */
interface Assessment {
  readonly polarity: number;
  readonly subject: Set<string>;
}

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
const ODDS = /\b(?:chances?|probability|odds|likelihood)\b/;
const LOW_ODDS_AFTER = /^[^.;]{0,80}?\b(?:is|are|was|were|at|put at)\s+(?:currently\s+|now\s+|only\s+|just\s+)?(?:less than|under|below|slim|low|small|remote)\b/;
const TIME_WORD = /^(?:\d.*|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|week|month|year|today|yesterday)$/;

/**
 * Polarity of a sentence on an axis: +1, −1 or 0, with the words its deciding cues sit among.
 * A cue right after a negation flips; the clause after "but" outweighs the one before
 * ("losing the race but can still win" → win). A question asserts nothing, and a clause with
 * cues both ways ("rose by 235,000, down from 943,000") is too mixed to count.
 */
function assess(sentence: string, axis: Axis): Assessment {
  const none: Assessment = { polarity: 0, subject: new Set() };
  if (/\?["”’']?\s*$/.test(sentence)) return none;
  const lower = sentence.toLowerCase();
  const parts = lower.split(CONTRAST);
  let total = 0;
  const near: Array<{ sign: number; words: string[] }> = [];
  for (const [i, part] of parts.entries()) {
    const weight = i === parts.length - 1 && parts.length > 1 ? 2 : 1;
    const signs = new Set<number>();
    for (const [re, sign] of [[globalOf(axis.up), 1], [globalOf(axis.down), -1]] as const) {
      re.lastIndex = 0;
      for (const m of part.matchAll(re)) {
        const before = part.slice(0, m.index);
        // A cue in quotes is someone's word held at a distance ("asked why he's 'confident'").
        if (/['‘"“]$/.test(before)) continue;
        if (axis.measured && HYPOTHETICAL.test(before)) continue;
        if (SUPPOSED.test(before)) continue;
        let s = NEGATION.test(before) ? -sign : sign;
        const after = part.slice(m.index + m[0].length);
        // "the chance of any firm surpassing them is less than 20%": the odds turn the cue round.
        if (ODDS.test(before) && LOW_ODDS_AFTER.test(after)) s = -s;
        total += s * weight;
        // The negation itself ("less than 20% chance to") is not part of the subject.
        const lead = before.replace(NEGATION, ' ').trim().split(/\s+/);
        const words = [...lead.slice(-SUBJECT_BEFORE), ...after.trim().split(/\s+/).slice(0, SUBJECT_AFTER)];
        signs.add(s);
        near.push({ sign: s, words });
      }
    }
    if (signs.size > 1) return none;
  }
  const polarity = Math.sign(total);
  const subject = new Set(contentTokens(near.filter((n) => n.sign === polarity).flatMap((n) => n.words).join(' ')).filter((t) => !TIME_WORD.test(t) && !NEGATION_WORD.test(t)));
  return { polarity, subject };
}

/** Single words of multi-word cues ("falls behind", "ahead of"): not topic terms. */
const CUE_PARTS = new Set(['behind', 'ahead', 'los', 'lose', 'losing', 'fall', 'fell', 'falling', 'disadvantage', 'remain', 'stay', 'left', 'still']);

function axisTokens(s: StorySentence, axis: Axis): Set<string> {
  return new Set([...s.tokenSet].filter((t) => !axis.up.test(t) && !axis.down.test(t) && !CUE_PARTS.has(t) && !/^\d/.test(t)));
}

function assessmentConflicts(story: PreparedStory): Disagreement[] {
  const out: Disagreement[] = [];
  // Candidates: the most central sentences, titles included, so the pass stays bounded.
  // Distinct titles only, and a bounded number of them: a thousand copies share one headline.
  const distinctTitles = new Map<string, [string, string]>();
  for (const [id, text] of story.titles) if (!distinctTitles.has(text) && distinctTitles.size < 60) distinctTitles.set(text, [id, text]);
  const titleSentences: StorySentence[] = [...distinctTitles.values()].map(([id, text], i) => {
    const set = new Set(contentTokens(text));
    const ids = [...story.titles].filter(([, t]) => t === text).map(([x]) => x);
    return { text, tokens: [...set], tokenSet: set, articleIds: ids.length ? ids : [id], articleId: id, position: -1 - i, heading: true, score: 1 };
  });
  const pool = [...story.sentences].sort((a, b) => b.score - a.score).slice(0, 150);
  const candidates = [...titleSentences, ...pool];
  // Terms in a third or more of the story's sentences are its general topic ("China", "AI"):
  // sharing only those does not make two sentences about the same question.
  const df = new Map<string, number>();
  for (const s of story.sentences) for (const t of s.tokenSet) df.set(t, (df.get(t) ?? 0) + 1);
  const inArticles = new Map<string, Set<string>>();
  for (const s of story.sentences) for (const t of s.tokenSet) for (const id of s.articleIds) (inArticles.get(t) ?? inArticles.set(t, new Set()).get(t)!).add(id);
  const nArticles = story.articles.length;
  const specific = (t: string): boolean => (df.get(t) ?? 0) <= Math.max(2, story.sentences.length * 0.3);
  // For the label: a term nearly every article uses ("Tencent" in a Tencent story) names nothing.
  const distinctive = (t: string): boolean => specific(t) && (nArticles < 3 || (inArticles.get(t)?.size ?? 0) < nArticles * 0.8);
  for (const axis of AXES) {
    const signed = candidates
      .map((s) => {
        const { polarity: p, subject } = assess(s.text, axis);
        return { s, p, subject, terms: axisTokens(s, axis) };
      })
      .filter((x) => x.p !== 0);
    // Bounded: the 60 most central sentences on each side (titles first), so pairs stay few.
    const ups = signed.filter((x) => x.p > 0).slice(0, 60);
    const downs = signed.filter((x) => x.p < 0).slice(0, 60);
    let best: { a: (typeof signed)[number]; b: (typeof signed)[number]; shared: string[]; weight: number } | undefined;
    for (const a of ups) {
      for (const b of downs) {
        const sameSource = a.s.articleIds.every((id) => b.s.articleIds.includes(id)) && b.s.articleIds.every((id) => a.s.articleIds.includes(id));
        // Within one article, two named speakers at odds count; one voice hedging does not.
        if (sameSource) {
          const sa = speakerOf(a.s.text);
          const sb = speakerOf(b.s.text);
          if (!sa || !sb || sa === sb) continue;
        }
        // The two must say it of the same thing: a word next to one cue is next to the other
        // ("the gap is widening" / "the gap is narrowing"; not "the rise of Delta" / "last fall").
        if (![...a.subject].some((t) => b.subject.has(t) && !axis.up.test(t) && !axis.down.test(t) && !CUE_PARTS.has(t))) continue;
        const shared = [...a.terms].filter((t) => b.terms.has(t) && !isStopword(t) && t.length > 2);
        const nSpecific = shared.filter(specific).length;
        const rare = shared.length === 1 && (df.get(shared[0]!) ?? 0) <= 3;
        // Two headlines are each outlet's verdict on the whole story: cues on one subject suffice.
        const headlines = a.s.heading && b.s.heading && shared.length > 0;
        if (!headlines && ((shared.length < 2 && !rare) || (nSpecific === 0 && shared.length < 4))) continue;
        const weight = shared.length + nSpecific + jaccard(a.terms, b.terms);
        if (!best || weight > best.weight) best = { a, b, shared: [...shared.filter(specific), ...shared.filter((t) => !specific(t))], weight };
      }
    }
    if (!best) continue;
    const terms = surfaceTerms(best.shared.filter(distinctive), `${best.a.s.text} ${best.b.s.text}`).slice(0, 2);
    const about = terms.length ? `${terms.join(', ')}: ${axis.label}?` : `${capitalize(axis.label)}?`;
    out.push({
      about,
      positions: [
        { text: best.a.s.text, articleIds: [...best.a.s.articleIds] },
        { text: best.b.s.text, articleIds: [...best.b.s.articleIds] },
      ],
    });
  }
  return out;
}

// ---- (c) who reported it ----------------------------------------------------------------

const MEDIA_WORD = /\b(?:Post|Times|News|Journal|Herald|Tribune|Guardian|Telegraph|Agency|Press|Reuters|Bloomberg|Xinhua|Daily|Gazette|Observer|Economist|Wire|Broadcasting|Television|Radio)\b/;
const CREDIT = [
  /\b(?:[Aa]ccording to |[Ii]n |[Cc]iting )?(?:a |an )(?:report|interview|article|story|dispatch) (?:by|in|from|with) (?:the )?\*?((?:\p{Lu}[\p{L}&.'-]*\s?){1,6})/u,
  /\b[Rr]eported by (?:the )?\*?((?:\p{Lu}[\p{L}&.'-]*\s?){1,6})/u,
  /\b[Aa]ccording to (?:the )?\*?((?:\p{Lu}[\p{L}&.'-]*\s?){1,6})/u,
  /\b(?:[Ii]nterviews?) with (?:the )?\*?((?:\p{Lu}[\p{L}&.'-]*\s?){1,6})/u,
  /\b(?:reports?|reported in) (?:the )?\*?((?:\p{Lu}[\p{L}&.'-]*\s?){1,6})/u,
  /(?:^|\.\s)((?:\p{Lu}[\p{L}&.'-]*\s?){1,6}) reported\b/u,
];

/**
 * Outlets known by their initials. Any capitalised acronym would also catch agencies and
 * companies ("according to the CDC's data"), which are sources of a fact, not of the report.
 */
const MEDIA_ACRONYM = new Set([
  'AFP', 'AP', 'ANSA', 'DPA', 'EFE', 'UPI', 'PTI', 'TASS', 'BBC', 'CNN', 'NPR', 'PBS', 'ABC', 'CBS', 'NBC', 'CNBC', 'MSNBC',
  'SCMP', 'WSJ', 'NYT', 'FT', 'NHK', 'KBS', 'CCTV', 'CGTN', 'RFI', 'DW', 'ORF', 'RTE', 'ARD', 'ZDF', 'SVT', 'NRK', 'TMZ',
]);

function outletKey(name: string): string {
  const words = name.replace(/^The\s/, '').split(/\s+/).filter(Boolean);
  return words.length === 1 ? words[0]!.toUpperCase() : words.map((w) => w[0]).join('').toUpperCase();
}

/** Sentences this close to an article's top credit the whole story, not one detail of it. */
const CREDIT_LEAD_SENTENCES = 3;

function reportingConflicts(story: PreparedStory): Disagreement[] {
  const credits = new Map<string, { name: string; sentences: StorySentence[]; ids: Set<string> }>();
  for (const s of story.sentences) {
    // Credit for a detail further down ("JBS produces a quarter of US beef, according to the
    // Journal") says nothing about who broke the story; "X told CNN" only says where X spoke.
    if (s.position >= CREDIT_LEAD_SENTENCES && !s.heading) continue;
    for (const re of CREDIT) {
      const m = re.exec(s.text);
      let name = m?.[1]?.replace(/\*/g, '').replace(/[.,;:'’]+\s*$/, '').replace(/\s+(?:on|in|at|that|and|said|reported)$/i, '').trim();
      if (!name) continue;
      name = name.replace(/\s(?:On|In|At|Thursday|Monday|Tuesday|Wednesday|Friday|Saturday|Sunday)\b.*$/, '').trim();
      if (!MEDIA_ACRONYM.has(name) && !MEDIA_WORD.test(name)) continue;
      const key = outletKey(name);
      const entry = credits.get(key) ?? { name: name.replace(/^The\s/, 'the '), sentences: [], ids: new Set<string>() };
      if (s.articleIds.some((id) => !entry.ids.has(id))) entry.sentences.push(s);
      s.articleIds.forEach((id) => entry.ids.add(id));
      credits.set(key, entry);
      break;
    }
  }
  if (credits.size < 2) return [];
  const entries = [...credits.values()];
  const distinct = entries.some((a) => entries.some((b) => b !== a && [...a.ids].some((id) => !b.ids.has(id))));
  if (!distinct) return [];
  return [
    {
      about: 'Who reported it',
      // One line per wording: each position's text must be what its cited articles say.
      positions: entries.flatMap((e) => e.sentences.slice(0, 3).map((s) => ({ text: s.text, articleIds: [...s.articleIds] }))),
    },
  ];
}

// ---- (d) two speakers, one article ------------------------------------------------------

function speakerContrasts(story: PreparedStory): Disagreement[] {
  const out: Disagreement[] = [];
  for (const s of story.sentences) {
    const m = /^(.{20,}?),?\s+but\s+(.{20,})$/i.exec(s.text);
    if (!m) continue;
    const left = speakerOf(m[1]!);
    const right = speakerOf(m[2]!);
    if (!left || !right || left === right) continue;
    out.push({
      about: `${left} vs ${right}`,
      positions: [
        { text: m[1]!.trim(), articleIds: [...s.articleIds] },
        { text: m[2]!.trim(), articleIds: [...s.articleIds] },
      ],
    });
    if (out.length >= 1) break;
  }
  return out;
}

/** All disagreements of a story, most telling first, at most four. */
export function findDisagreements(story: PreparedStory, figures: readonly LocatedFigure[]): Disagreement[] {
  const found = [...figureConflicts(story, figures), ...reportingConflicts(story), ...assessmentConflicts(story), ...basisConflicts(story), ...speakerContrasts(story)];
  // Positions are quoted whole up to a length, then cut at a word.
  const all = found.map((d) => ({ ...d, positions: d.positions.map((p) => ({ ...p, text: clip(p.text) })) }));
  const seen = new Set<string>();
  return all
    .filter((d) => {
      const key = d.positions.map((p) => p.text).sort().join('|');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_DISAGREEMENTS);
}

/** Words too general to name what a disagreement is about. */
const GENERIC_LABEL_WORDS = new Set([
  'former', 'could', 'would', 'should', 'which', 'about', 'their', 'there', 'still', 'after', 'before', 'while',
  'said', 'says', 'saying', 'other', 'these', 'those', 'where', 'being', 'since', 'because', 'report', 'reported',
  'stated', 'states', 'currently', 'according', 'added', 'also', 'told', 'noted', 'argued', 'warned',
]);

/**
 * Stemmed terms back to the words the articles wrote ("llm" → "LLM", "gap" → "gap"), keeping
 * names, acronyms and longer content words; a label reads as the articles' own words.
 */
function surfaceTerms(stems: readonly string[], text: string): string[] {
  const out: string[] = [];
  for (const stem of stems) {
    if (stem.length < 3 || /^\d/.test(stem)) continue;
    const escaped = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const word = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped}[\\p{L}\\p{N}'’-]*)`, 'iu').exec(text)?.[1];
    if (!word || GENERIC_LABEL_WORDS.has(word.toLowerCase())) continue;
    if (!/\p{Lu}/u.test(word) && word.length < 5 && !['gap', 'war', 'ban', 'tax', 'law', 'vote', 'deal', 'race', 'odds'].includes(word.toLowerCase())) continue;
    if (!out.some((w) => w.toLowerCase() === word.toLowerCase())) out.push(word);
  }
  return out;
}
