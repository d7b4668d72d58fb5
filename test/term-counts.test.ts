/**
 * Term counting for clustering (brief/cluster/term-counts.ts) numbers terms in order of first
 * appearance and sums each document's weights per term: title tokens, text tokens, bigrams,
 * then names and figures. The counter keeps its sums in a growing array; here it is held to
 * the plain definition (a Map per document) on invented documents whose vocabulary grows past
 * several of its growth steps, in the middle of documents, with and without bigrams.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entities } from '../src/brief/cluster/entities.ts';
import {
  countTerms,
  DEFAULT_VECTOR_WEIGHTS,
  mergeTermCounts,
  type TermCounts,
  type VectorWeights,
} from '../src/brief/cluster/term-counts.ts';
import { tokenize } from '../src/text/tokenize.ts';

/** The definition: per document a Map of term → summed weight, numbered as first met. */
function countByDefinition(docs: ReadonlyArray<{ title: string; text: string }>, weighting: VectorWeights): TermCounts {
  const ids = new Map<string, number>();
  const entity: number[] = [];
  const id = (term: string): number => ids.get(term) ?? (ids.set(term, ids.size), ids.size - 1);
  const counted = docs.map((doc) => {
    const sums = new Map<number, number>();
    const add = (term: string, weight: number): void => {
      const n = id(term);
      sums.set(n, (sums.get(n) ?? 0) + weight);
    };
    for (const [tokens, weight] of [
      [tokenize(doc.title), weighting.title],
      [tokenize(doc.text), 1],
    ] as const) {
      tokens.forEach((t, i) => {
        add(t, weight);
        if (weighting.bigram > 0 && i > 0) add(`${tokens[i - 1]} ${t}`, weight * weighting.bigram);
      });
    }
    for (const e of entities(`${doc.title}\n${doc.text}`)) {
      add(e, 1);
      entity[id(e)] = 1;
    }
    const terms = Int32Array.from(sums.keys()).sort();
    return { terms, tf: Float32Array.from(terms, (n) => sums.get(n)!) };
  });
  return { vocab: [...ids.keys()], entity: Uint8Array.from({ length: ids.size }, (_, n) => entity[n] ?? 0), docs: counted };
}

const SYLLABLES = ['ka', 'ro', 'mi', 'te', 'lu', 'sa', 'no', 've', 'di', 'po', 'gar', 'tel'];

/** Documents of made-up words, many new in each, some repeated, with names and figures. */
function documents(count: number): Array<{ title: string; text: string }> {
  let state = 5;
  // The high bits: a power-of-two LCG's low bits repeat within a few steps.
  const next = (n: number): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 16) % n;
  const word = (): string => Array.from({ length: 2 + next(3) }, () => SYLLABLES[next(SYLLABLES.length)]).join('');
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 60 + next(200) }, word);
    return {
      title: `${word()} ${word()} council backs ${words[0]}`,
      text: `Mayor Ana ${word()} of Port Vesta said ${words.join(' ')} ${words.slice(0, 20).join(' ')}. It cost $${i + 1}.5 million and ${next(90)}% of 3,${100 + i} people agreed.`,
    };
  });
}

test('terms are counted as the definition counts them, numbered as first met', () => {
  const docs = documents(120);
  for (const weighting of [
    DEFAULT_VECTOR_WEIGHTS,
    { ...DEFAULT_VECTOR_WEIGHTS, bigram: 0.5 },
    { ...DEFAULT_VECTOR_WEIGHTS, title: 0, bigram: 0.25 },
  ]) {
    const counted = countTerms(docs, weighting);
    assert.ok(counted.vocab.length > 4_096, `${counted.vocab.length} terms: past several growth steps`);
    assert.deepEqual(counted, countByDefinition(docs, weighting), JSON.stringify(weighting));
  }
});

test('slices counted apart and merged are the documents counted in one pass', () => {
  const docs = documents(90);
  const slices = [docs.slice(0, 30), docs.slice(30, 31), docs.slice(31)].map((slice) => countTerms(slice, DEFAULT_VECTOR_WEIGHTS));
  assert.deepEqual(mergeTermCounts(slices), countByDefinition(docs, DEFAULT_VECTOR_WEIGHTS));
});
