/** The same quantity given different values by different articles (ranges, not strings). */
import type { Disagreement, Position } from '../../../core/types.ts';
import { isStopword } from '../../../text/stopwords.ts';
import { contentTokens } from '../../../text/tokenize.ts';
import { figureClass, figureRole, rangesConflict, valueRange, type ValueRange } from '../figure-range.ts';
import type { FigureMention } from '../figures.ts';
import { jaccard, type PreparedStory, type StorySentence } from '../story-text.ts';
import { capitalize, MAX_DISAGREEMENTS } from './label.ts';

/** A figure as found in the story: the mention and the articles that state that sentence. */
export interface LocatedFigure {
  readonly mention: FigureMention;
  readonly sentence: StorySentence;
}

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

export function figureConflicts(story: PreparedStory, figures: readonly LocatedFigure[]): Disagreement[] {
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
