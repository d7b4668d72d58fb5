/**
 * The checks every text a reader sees goes through, against the sources it cites: its
 * numbers (by value: "three months" = "3 months", "$1.2bn" = "$1.2 billion", never a changed
 * value), its quotations (the source's words exactly), the names it attributes statements to,
 * and — for statements (claims, positions, a figure's sentence) — that one sentence of the
 * source says most of what it says. Pure and synchronous.
 */
import { normalizeForMatch } from '../text/normalize.ts';
import { contentTokens } from '../text/tokenize.ts';
import { numberKeys, numberMentions } from '../text/numbers.ts';
import { splitSentences } from '../text/sentences.ts';
import { attributedNames, nameIn, wordsOf } from './attribution.ts';
import { quoteIn, quotesIn } from './quotes.ts';

/** Share of a statement's content tokens that must appear in one sentence of a cited source. */
export const SUPPORT_THRESHOLD = 0.5;

/** A source (article or passage) prepared once for every check against it. */
export interface PreparedSource {
  readonly id: string;
  /** Sentences as written (title first for an article). */
  readonly sentences: readonly string[];
  /** Normalised full text, for quotations and literal figure values. */
  readonly norm: string;
  /** Content-token sets of the sentences. */
  readonly sentenceTokens: ReadonlyArray<ReadonlySet<string>>;
  /** Value keys of every number (see text/numbers.ts). */
  readonly numbers: ReadonlySet<string>;
  /** Value keys of each sentence's numbers. */
  readonly sentenceNumbers: ReadonlyArray<ReadonlySet<string>>;
  /** Lower-cased words, for names. */
  readonly words: ReadonlySet<string>;
  /** The text as given, for names (verify/attribution.ts). */
  readonly text: string;
}

export function prepareSource(id: string, text: string): PreparedSource {
  const sentences = splitSentences(text);
  const sentenceNumbers = sentences.map(numberKeys);
  const numbers = new Set<string>();
  for (const keys of sentenceNumbers) for (const k of keys) numbers.add(k);
  return {
    id,
    sentences,
    norm: normalizeForMatch(text),
    sentenceTokens: sentences.map((s) => new Set(contentTokens(s))),
    numbers,
    sentenceNumbers,
    words: wordsOf(text),
    text,
  };
}

/** Why a text is not supported: what was missing, for the log. */
export interface Problem {
  readonly kind: 'number' | 'quote' | 'name' | 'support';
  /** The number, quotation or name as the draft wrote it ('' for support). */
  readonly detail: string;
}

export function describe(problems: readonly Problem[]): string {
  const kinds = new Map<Problem['kind'], string[]>();
  for (const p of problems) kinds.set(p.kind, [...(kinds.get(p.kind) ?? []), p.detail]);
  return [...kinds.entries()]
    .map(([kind, details]) => {
      const what = { number: 'number', quote: 'quotation', name: 'name', support: 'statement' }[kind];
      const list = [...new Set(details.filter((d) => d !== ''))]
        .slice(0, 3)
        .map((d) => `"${d}"`)
        .join(', ');
      return `${what} not in a cited source${list ? ` (${list})` : ''}`;
    })
    .join('; ');
}

/** Best share of `tokens` found in one sentence of the source. */
function supportIn(source: PreparedSource, tokens: readonly string[]): number {
  const unique = [...new Set(tokens)];
  if (unique.length === 0) return 1;
  let best = 0;
  for (const sentence of source.sentenceTokens) {
    let hit = 0;
    for (const t of unique) if (sentence.has(t)) hit++;
    best = Math.max(best, hit / unique.length);
    if (best === 1) break;
  }
  return best;
}

interface Parts {
  readonly numbers: ReadonlyArray<{ key: string; raw: string }>;
  readonly quotes: readonly string[];
  readonly names: ReadonlyArray<readonly string[]>;
}

/** What of a text has to be found in its sources. */
function partsOf(text: string): Parts {
  return { numbers: numberMentions(text), quotes: quotesIn(text), names: attributedNames(text) };
}

function missingFrom(
  parts: Parts,
  has: {
    number: (key: string) => boolean;
    quote: (q: string) => boolean;
    name: (n: readonly string[]) => boolean;
  },
): Problem[] {
  const problems: Problem[] = [];
  for (const n of parts.numbers) if (!has.number(n.key)) problems.push({ kind: 'number', detail: n.raw });
  for (const q of parts.quotes) if (!has.quote(q)) problems.push({ kind: 'quote', detail: q });
  for (const n of parts.names) if (!has.name(n)) problems.push({ kind: 'name', detail: n.join(' ') });
  return problems;
}

/**
 * What one source lacks of a text: numbers, quotations, attributed names, and with
 * `statement`, the support of one of its sentences for the text's words.
 */
export function problemsIn(text: string, source: PreparedSource, options: { readonly statement?: boolean } = {}): Problem[] {
  const problems = missingFrom(partsOf(text), {
    number: (key) => source.numbers.has(key),
    quote: (q) => quoteIn(q, source.norm),
    name: (n) => nameIn(n, source.words, source.text),
  });
  if (options.statement && supportIn(source, contentTokens(text)) < SUPPORT_THRESHOLD) problems.push({ kind: 'support', detail: '' });
  return problems;
}

/**
 * What no source of `sources` holds, each part looked for in all of them: for a headline or
 * summary (against the story's articles), a label, or an answer sentence citing several
 * passages.
 */
export function problemsInAny(text: string, sources: readonly PreparedSource[]): Problem[] {
  return missingFrom(partsOf(text), {
    number: (key) => sources.some((s) => s.numbers.has(key)),
    quote: (q) => sources.some((s) => quoteIn(q, s.norm)),
    name: (n) => sources.some((s) => nameIn(n, s.words, s.text)),
  });
}

/** A statement checked against its cited sources: the ones that support it, or why none does. */
export type StatementCheck = { readonly ok: true; readonly ids: string[] } | { readonly ok: false; readonly problems: Problem[] };

/** Keeps the cited sources that alone support the whole statement. */
export function checkStatement(text: string, cited: readonly PreparedSource[]): StatementCheck {
  const problems: Problem[] = [];
  const ids: string[] = [];
  for (const source of cited) {
    const found = problemsIn(text, source, { statement: true });
    if (found.length === 0) ids.push(source.id);
    else problems.push(...found);
  }
  return ids.length > 0 ? { ok: true, ids } : { ok: false, problems };
}
