/**
 * Duplicate detection: exact copies by content hash, syndicated copies by shingle overlap.
 * A syndicated copy shares a long body with its original even when its headline, page
 * furniture or first paragraph differ; two outlets writing about the same event share facts
 * and names but almost never runs of five identical words — that is the line drawn here.
 */
import { createHash } from 'node:crypto';
import { BAND_SPAN } from '../store/band-key.ts';
import { lazy } from '../core/lazy-package.ts';
import { simdMinhash } from './minhash.ts';

/** Words per shingle (CJK characters count as words). */
const SHINGLE = 5;
/** MinHash permutations (a multiple of 4: signatureOf takes four at a time). */
const PERMUTATIONS = 128;
const BANDS = 32;
const ROWS = PERMUTATIONS / BANDS;
/** Jaccard of shingle sets at or above which two texts are copies. */
const JACCARD_THRESHOLD = 0.5;
/** Share of the shorter text's shingles found in the longer one at which it is a copy. */
const CONTAINMENT_THRESHOLD = 0.8;
/** Texts shorter than this (in shingles) are too short to call copies by containment. */
const MIN_CONTAINED_SHINGLES = 20;

const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/gu;
const CJK_CHAR = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])/gu;
const NON_ASCII = /[\u0080-\uffff]/;

/** NFKC, lowercase, punctuation and whitespace folded to single spaces, trimmed. */
export function normalizeForHash(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(NOT_WORD, ' ').trim();
}

/** SHA-256 (hex) of {@link normalizeForHash}: equal for texts differing only in typography. */
export function contentHash(text: string): string {
  return contentHashOfNormal(normalizeForHash(text));
}

/** {@link contentHash} of a text already normalised. */
export function contentHashOfNormal(normal: string): string {
  return createHash('sha256').update(normal).digest('hex');
}

/** contentHash of a text without words: such articles are never copies by hash. */
export const EMPTY_CONTENT_HASH = contentHash('');

/**
 * A MinHash sketch of a text and its LSH band keys, for candidate lookup: band b's key is
 * b × 2^32 + the band's 32-bit hash, one integer (exact in a double), as stores look them up.
 * Its text form, "b3:9f2c3a1b", is store/band-key.ts's bandLabel.
 */
export interface NearDupSignature {
  minhash: Uint32Array;
  bands: number[];
}

/** Words of the normalised text ({@link normalizeForHash}), each CJK character a word of its own. */
function units(normal: string): string[] {
  if (normal === '') return [];
  // ASCII needs no CJK split: the normalised text is single-space separated already.
  if (!NON_ASCII.test(normal)) return normal.split(' ');
  return normal
    .replace(CJK_CHAR, ' $1 ')
    .split(' ')
    .filter((w) => w !== '');
}

/** FNV-1a, 32-bit, over UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit finaliser (murmur3 fmix) so that seeded variants act as independent hashes. */
function mix(h: number): number {
  return (mixFlipped(h) ^ 0x80000000) >>> 0;
}

/**
 * mix(h) with its sign bit flipped, as a signed 32-bit number: signed comparisons of these
 * order as the unsigned hashes do, without leaving 32-bit arithmetic (see signatureOf).
 */
function mixFlipped(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h ^ 0x80000000;
}

/**
 * A text's distinct shingle hashes, ascending. Sorted rather than a Set: two texts are compared
 * by one merge of their arrays, which can stop as soon as the answer is known (areNearDuplicates);
 * a Set lookup per shingle made 500 long look-alike items cost seconds.
 */
export type Shingles = Uint32Array;

/** Hashed word shingles of a text; a text shorter than one shingle is one shingle. */
export function shingleSet(text: string): Shingles {
  return shingleSetOfNormal(normalizeForHash(text));
}

/** {@link shingleSet} of a text already normalised with {@link normalizeForHash}. */
export function shingleSetOfNormal(normal: string): Shingles {
  const words = units(normal);
  if (words.length === 0) return new Uint32Array(0);
  if (words.length < SHINGLE) return Uint32Array.of(fnv1a(words.join(' ')));
  const all = new Uint32Array(words.length - SHINGLE + 1);
  for (let i = 0; i + SHINGLE <= words.length; i += 1) all[i] = shingleHash(words, i);
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i += 1) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i]!;
  return all.slice(0, n);
}

/** fnv1a(words.slice(i, i + SHINGLE).join(' ')), without building the string. */
function shingleHash(words: readonly string[], i: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < SHINGLE; k += 1) {
    if (k > 0) h = Math.imul(h ^ 0x20, 0x01000193);
    const word = words[i + k]!;
    for (let j = 0; j < word.length; j += 1) h = Math.imul(h ^ word.charCodeAt(j), 0x01000193);
  }
  return h >>> 0;
}

const SEEDS = Uint32Array.from({ length: PERMUTATIONS }, (_, i) => mix(0x9e3779b9 + i * 0x632be5ab));

/** MinHash over 5-word shingles, 128 hashes in 32 bands of 4 rows (a match near Jaccard ≥ 0.4). */
export function signature(text: string): NearDupSignature {
  return signatureOf(shingleSet(text));
}

/** {@link signature} of shingles already computed (ingest keeps them to verify candidates). */
export function signatureOf(shingles: Shingles): NearDupSignature {
  const minhash = new Uint32Array(PERMUTATIONS);
  const simd = SIMD().engine;
  if (simd) simd.minima(shingles, minhash);
  else minhashInJs(shingles, minhash);
  const bands: number[] = [];
  for (let b = 0; b < BANDS; b += 1) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r += 1) h = mix(h ^ minhash[b * ROWS + r]!);
    bands.push(b * BAND_SPAN + h);
  }
  return { minhash, bands };
}

/** The WebAssembly SIMD MinHash (minhash.ts), made on first use; no engine where it is unavailable. */
const SIMD = lazy(() => ({ engine: simdMinhash(SEEDS) }));

/**
 * The MinHash minima in JavaScript: the definition minhash.wat computes, and the fallback where
 * WebAssembly SIMD is missing. Writes the minima under each of `seeds` (PERMUTATIONS of them,
 * a multiple of four) into `minhash`.
 */
export function minhashInJs(shingles: Shingles, minhash: Uint32Array, seeds: Uint32Array = SEEDS): void {
  // Four permutations at a time over all shingles, their minima in locals: four independent
  // chains of arithmetic per shingle, no array writes in the loop (500 long items: 0.6 s of a
  // 6 s brief before). Kept in signed 32-bit arithmetic with the sign bit flipped, so that a
  // signed comparison orders as the unsigned hashes do.
  const n = shingles.length;
  for (let i = 0; i < seeds.length; i += 4) {
    const a = seeds[i]! | 0;
    const b = seeds[i + 1]! | 0;
    const c = seeds[i + 2]! | 0;
    const d = seeds[i + 3]! | 0;
    let leastA = 0x7fffffff;
    let leastB = 0x7fffffff;
    let leastC = 0x7fffffff;
    let leastD = 0x7fffffff;
    for (let k = 0; k < n; k += 1) {
      const s = shingles[k]! | 0;
      const ha = mixFlipped(s ^ a);
      if (ha < leastA) leastA = ha;
      const hb = mixFlipped(s ^ b);
      if (hb < leastB) leastB = hb;
      const hc = mixFlipped(s ^ c);
      if (hc < leastC) leastC = hc;
      const hd = mixFlipped(s ^ d);
      if (hd < leastD) leastD = hd;
    }
    minhash[i] = (leastA ^ 0x80000000) >>> 0;
    minhash[i + 1] = (leastB ^ 0x80000000) >>> 0;
    minhash[i + 2] = (leastC ^ 0x80000000) >>> 0;
    minhash[i + 3] = (leastD ^ 0x80000000) >>> 0;
  }
}

/** The share of equal MinHash values: an estimate of the two texts' shingle Jaccard. */
export function estimatedJaccard(a: NearDupSignature, b: NearDupSignature): number {
  const n = Math.min(a.minhash.length, b.minhash.length);
  if (n === 0) return 0;
  let same = 0;
  for (let i = 0; i < n; i += 1) if (a.minhash[i] === b.minhash[i]) same += 1;
  return same / n;
}

/** Exact shingle overlap of two texts: Jaccard and containment of the smaller in the larger. */
export function shingleOverlap(a: string, b: string): { jaccard: number; containment: number; smaller: number } {
  return overlapOf(shingleSet(a), shingleSet(b));
}

function overlapOf(sa: Shingles, sb: Shingles): { jaccard: number; containment: number; smaller: number } {
  const common = commonCount(sa, sb, 0);
  const smaller = Math.min(sa.length, sb.length);
  const union = sa.length + sb.length - common;
  return {
    jaccard: union === 0 ? 0 : common / union,
    containment: smaller === 0 ? 0 : common / smaller,
    smaller,
  };
}

/**
 * Shingles two sorted arrays share, by one merge. With `need` > 0 the merge stops, returning
 * less than `need`, once even the rest of both arrays could not reach it.
 */
function commonCount(a: Shingles, b: Shingles, need: number): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      common += 1;
      i += 1;
      j += 1;
    } else if (x < y) {
      i += 1;
      if (common + Math.min(a.length - i, b.length - j) < need) return common;
    } else {
      j += 1;
      if (common + Math.min(a.length - i, b.length - j) < need) return common;
    }
  }
  return common;
}

/**
 * Whether `b` is a copy of `a` (or the other way round): shingle Jaccard ≥ 0.5, or nearly all
 * of the shorter text's shingles inside the longer one (a copy with extra furniture or a
 * rewritten lead paragraph). Different reports of the same event stay apart.
 */
export function isNearDuplicate(a: string, b: string): boolean {
  return areNearDuplicates(shingleSet(a), shingleSet(b));
}

/**
 * {@link isNearDuplicate} over shingles already computed. The same answer as comparing the
 * overlap's Jaccard and containment with their thresholds, in whole numbers (Jaccard ≥ 1/2 is
 * 3 × common ≥ |a| + |b|), so the merge can stop once neither can be reached.
 */
export function areNearDuplicates(a: Shingles, b: Shingles): boolean {
  const total = a.length + b.length;
  if (total === 0) return false;
  const smaller = Math.min(a.length, b.length);
  // The fewest shared shingles either test could pass with, one less against rounding: a merge
  // stopped below it answers no; one that runs on decides by the ratios themselves, as before.
  const forJaccard = Math.ceil((total * JACCARD_THRESHOLD) / (1 + JACCARD_THRESHOLD)) - 1;
  const forContainment = smaller >= MIN_CONTAINED_SHINGLES ? Math.ceil(smaller * CONTAINMENT_THRESHOLD) - 1 : Infinity;
  const need = Math.min(forJaccard, forContainment);
  const common = commonCount(a, b, need);
  if (common === 0) return false;
  const { jaccard, containment } = ratiosOf(common, a.length, b.length);
  if (jaccard >= JACCARD_THRESHOLD) return true;
  return smaller >= MIN_CONTAINED_SHINGLES && containment >= CONTAINMENT_THRESHOLD;
}

function ratiosOf(common: number, na: number, nb: number): { jaccard: number; containment: number } {
  const union = na + nb - common;
  const smaller = Math.min(na, nb);
  return { jaccard: union === 0 ? 0 : common / union, containment: smaller === 0 ? 0 : common / smaller };
}

/**
 * What ingest computes of a text to find its copies: the content hash, the shingles and the LSH
 * band keys. A reader thread (read-files.ts) takes it when it is ahead of the thread storing.
 */
export interface DedupeSketch {
  readonly hash: string;
  readonly shingles: Shingles;
  readonly bands: readonly number[];
}

export function sketchOf(text: string): DedupeSketch {
  const normal = normalizeForHash(text);
  const shingles = shingleSetOfNormal(normal);
  return { hash: contentHashOfNormal(normal), shingles, bands: signatureOf(shingles).bands };
}
