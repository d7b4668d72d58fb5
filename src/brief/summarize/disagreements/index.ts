/**
 * Disagreements — where sources differ, shown side by side, never averaged:
 * (a) the same quantity given different values by different articles;
 * (b) opposite assessments of the same question (polarity cues on sentences that share
 *     topic terms: widening/narrowing, can/cannot win, likely/unlikely, rise/fall);
 * (c) conflicting credit for who reported the story ("reported by AFP" vs "according to
 *     the South China Morning Post");
 * (d) within one article, a contrast between two named speakers ("A suggests X, but B says Y");
 * (e) when something will happen ("by mid-December" / "not before March");
 * (f) an account and its dispute (a cause questioned, a finding denied, blame traded).
 * Agreement written differently ("3 months" / "three months") is not a disagreement.
 */
import type { Disagreement } from '../../../core/types.ts';
import { clip } from '../../../text/clip.ts';
import type { PreparedStory } from '../story-text.ts';
import { assessmentConflicts } from './assessments.ts';
import { basisConflicts } from './basis.ts';
import { figureConflicts, type LocatedFigure } from './figures.ts';
import { MAX_DISAGREEMENTS } from './label.ts';
import { disputeConflicts } from './disputes.ts';
import { reportingConflicts, speakerContrasts } from './reporting.ts';
import { timingConflicts } from './timing.ts';

export type { LocatedFigure } from './figures.ts';

const MAX_POSITION_CHARS = 240;

/** All disagreements of a story, most telling first, at most four. */
export function findDisagreements(story: PreparedStory, figures: readonly LocatedFigure[]): Disagreement[] {
  const found = [
    ...figureConflicts(story, figures),
    ...timingConflicts(story),
    ...disputeConflicts(story),
    ...assessmentConflicts(story),
    ...reportingConflicts(story),
    ...basisConflicts(story),
    ...speakerContrasts(story),
  ];
  // Positions are quoted whole up to a length, then cut at a word.
  const all = found.map((d) => ({
    ...d,
    positions: d.positions.map((p) => ({ ...p, text: clip(p.text, MAX_POSITION_CHARS, { atWord: true }) })),
  }));
  // One sentence answers one question: a position already shown under an earlier disagreement
  // (the same dispute found as an assessment too) does not open another.
  const seen = new Set<string>();
  return all
    .filter((d) => {
      const texts = d.positions.map((p) => p.text);
      if (texts.some((t) => seen.has(t))) return false;
      texts.forEach((t) => seen.add(t));
      return true;
    })
    .slice(0, MAX_DISAGREEMENTS);
}
