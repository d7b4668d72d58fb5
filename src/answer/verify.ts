/**
 * Verification of a model's follow-up answer, sentence by sentence, with the checks every text
 * a reader sees goes through (verify/support.ts): a sentence's numbers, quotations and
 * attributed names must occur in the passages it cites (any given passage of the cited
 * sources); a sentence that cites nothing is checked against everything the answer cites.
 * Citations of passages the model was not given ("[99]") are removed; a sentence that fails
 * is cut. Citations are renumbered to the answer's sources, in order of first citation.
 */
import { prepareSource, problemsInAny, type PreparedSource } from '../verify/support.ts';
import { splitSentences } from '../text/sentences.ts';
import type { Passage } from './retrieve.ts';

const CITATION = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

export interface VerifiedAnswer {
  /** The kept sentences, citations numbered by `cite`; '' when nothing cited survived. */
  readonly text: string;
  /** Sentences cut because the passages they cite do not hold their numbers, quotes or names. */
  readonly cut: number;
  /** Citations of passages the model was not given. */
  readonly badCitations: number;
  /** Why each cut sentence was cut, for the log. */
  readonly reasons: readonly string[];
}

/** "… months. [2]" → "… months [2]." so a citation stays with the sentence it follows. */
function citationsInside(text: string): string {
  return text.replace(/([.!?。！？]["”’)]*)((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)/g, '$2$1');
}

/**
 * Checks and renumbers an answer. `cite` gives the number a source (by id) is shown under,
 * assigning numbers in order of first call.
 */
export function verifyAnswer(text: string, passages: readonly Passage[], cite: (sourceId: string) => number): VerifiedAnswer {
  const prepared = passages.map((p, i) => prepareSource(String(i + 1), p.text));
  let badCitations = 0;
  const sentences = citationsInside(text)
    .split(/\n+/)
    .flatMap((line) => splitSentences(line))
    .map((sentence) => {
      const cited = new Set<number>();
      for (const m of sentence.matchAll(CITATION)) {
        for (const n of m[1]!.split(',').map((x) => Number(x.trim()))) {
          if (passages[n - 1]) cited.add(n - 1);
          else badCitations++;
        }
      }
      const plain = sentence
        .replace(CITATION, ' ')
        .replace(/\s+([.,;:!?])/g, '$1')
        .replace(/\s{2,}/g, ' ')
        .trim();
      return { plain, cited: [...cited] };
    })
    .filter((s) => s.plain !== '' && /[\p{L}\p{N}]/u.test(s.plain));

  /** Every given passage of the sources these passages come from. */
  const evidenceOf = (indices: readonly number[]): PreparedSource[] => {
    const sourceIds = new Set(indices.map((i) => passages[i]!.sourceId));
    return prepared.filter((_, i) => sourceIds.has(passages[i]!.sourceId));
  };
  const citedAnywhere = [...new Set(sentences.flatMap((s) => s.cited))];
  if (citedAnywhere.length === 0) return { text: '', cut: 0, badCitations, reasons: [] };

  const kept: string[] = [];
  const reasons: string[] = [];
  let cut = 0;
  let citedKept = false;
  for (const s of sentences) {
    const problems = problemsInAny(s.plain, evidenceOf(s.cited.length > 0 ? s.cited : citedAnywhere));
    if (problems.length > 0) {
      cut++;
      reasons.push(problems.map((p) => `${p.kind} ${p.detail}`.trim()).join(', '));
      continue;
    }
    const numbers = [...new Set(s.cited.map((i) => cite(passages[i]!.sourceId)))];
    if (numbers.length > 0) citedKept = true;
    const marks = numbers.map((n) => `[${n}]`).join('');
    const end = /[.!?。！？]["”’)]*$/.exec(s.plain)?.[0] ?? '';
    kept.push(marks ? `${s.plain.slice(0, s.plain.length - end.length)} ${marks}${end}` : s.plain);
  }
  return { text: citedKept ? kept.join(' ') : '', cut, badCitations, reasons };
}
