/**
 * Corrections an article prints about its own figures ("Correction: an earlier version
 * misstated the cost as $1.26 billion. The correct figure is $1.62 billion."; "(Corrects number
 * of patients to 4,122, not 4,212)"). The wrong value is retracted wherever it still appears
 * in the story, so it is never set against the right one as a disagreement, nor listed.
 */
import { findFigures } from '../figures.ts';
import type { PreparedStory } from '../story-text.ts';
import { figureClass } from '../figure-range.ts';

const NOTE = /\b(?:correction|corrects?|corrected|misstated|incorrectly (?:stated|reported|said)|an earlier version)\b/i;
/** A value the note calls wrong: "misstated … as X", "not X", "incorrectly … X", "instead of X". */
const WRONG_BEFORE =
  /(?:\bmisstated\b[^.;]{0,80}\bas|\bnot|\binstead of|\bincorrectly (?:stated|reported|said)(?: as)?|\bwrongly (?:stated|reported|given)(?: as)?|\berroneously(?: as)?)\s*$/i;

/** True for a correction note: its figures are bookkeeping, not readings to compare. */
export function isCorrectionNote(sentence: string): boolean {
  return NOTE.test(sentence) && /\d/.test(sentence);
}

/**
 * Values the story's correction notes call wrong, as "class|normalized" keys (the same keys
 * figure conflicts use), and the right value each was corrected to.
 */
export function correctedValues(story: PreparedStory): Map<string, string> {
  const out = new Map<string, string>();
  const notes = story.sentences.filter((s) => isCorrectionNote(s.text));
  for (const note of notes) {
    const mentions = findFigures(note.text).filter((m) => m.normalized !== undefined);
    const wrong = mentions.filter((m) => WRONG_BEFORE.test(note.text.slice(0, Math.max(0, note.text.indexOf(m.value)))));
    const right = mentions.find((m) => !wrong.includes(m));
    for (const m of wrong) out.set(`${figureClass(m)}|${m.normalized}`, right?.value ?? '');
  }
  // A note split over two sentences ("…misstated … as $1.26 billion." / "The correct figure is $1.62 billion.").
  for (const s of story.sentences) {
    const m = /\bthe correct (?:figure|number|amount|total) (?:is|was)\s+(.+)$/i.exec(s.text);
    if (!m) continue;
    const right = findFigures(s.text).find((f) => f.normalized !== undefined);
    if (!right) continue;
    for (const [key, value] of out) if (value === '') out.set(key, right.value);
  }
  return out;
}

/** The story's correction notes with the value each makes right, for showing the correction itself. */
export function correctionNotes(story: PreparedStory): Array<{ right: string; note: string; articleIds: readonly string[] }> {
  const out: Array<{ right: string; note: string; articleIds: readonly string[] }> = [];
  for (const s of story.sentences) {
    if (!isCorrectionNote(s.text)) continue;
    const mentions = findFigures(s.text).filter((m) => m.normalized !== undefined);
    const right = mentions.find((m) => !WRONG_BEFORE.test(s.text.slice(0, Math.max(0, s.text.indexOf(m.value)))));
    if (right) out.push({ right: right.value, note: s.text, articleIds: s.articleIds });
  }
  return out;
}
