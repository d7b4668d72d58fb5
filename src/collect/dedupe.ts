/**
 * Duplicate detection: exact copies by content hash, syndicated copies by shingle overlap.
 * A syndicated copy shares a long body with its original even when its headline, page
 * furniture or first paragraph differ; two outlets writing about the same event share facts
 * and names but almost never runs of five identical words — that is the line drawn here.
 */
import { createHash } from 'node:crypto';

/** Words per shingle (CJK characters count as words). */
const SHINGLE = 5;
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

/** A MinHash sketch of a text and its LSH band keys ("b3:9f2c…"), for candidate lookup. */
export interface NearDupSignature {
  minhash: Uint32Array;
  bands: string[];
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
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashed word shingles of a text; a text shorter than one shingle is one shingle. */
export function shingleSet(text: string): Set<number> {
  return shingleSetOfNormal(normalizeForHash(text));
}

/** {@link shingleSet} of a text already normalised with {@link normalizeForHash}. */
export function shingleSetOfNormal(normal: string): Set<number> {
  const words = units(normal);
  const out = new Set<number>();
  if (words.length === 0) return out;
  if (words.length < SHINGLE) {
    out.add(fnv1a(words.join(' ')));
    return out;
  }
  for (let i = 0; i + SHINGLE <= words.length; i += 1) out.add(shingleHash(words, i));
  return out;
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
export function signatureOf(shingles: ReadonlySet<number>): NearDupSignature {
  const minhash = new Uint32Array(PERMUTATIONS).fill(0xffffffff);
  for (const s of shingles) {
    for (let i = 0; i < PERMUTATIONS; i += 1) {
      const h = mix(s ^ SEEDS[i]!);
      if (h < minhash[i]!) minhash[i] = h;
    }
  }
  const bands: string[] = [];
  for (let b = 0; b < BANDS; b += 1) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r += 1) h = mix(h ^ minhash[b * ROWS + r]!);
    bands.push(`b${b}:${h.toString(16).padStart(8, '0')}`);
  }
  return { minhash, bands };
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

function overlapOf(sa: ReadonlySet<number>, sb: ReadonlySet<number>): { jaccard: number; containment: number; smaller: number } {
  const [small, large] = sa.size <= sb.size ? [sa, sb] : [sb, sa];
  let common = 0;
  for (const s of small) if (large.has(s)) common += 1;
  const union = sa.size + sb.size - common;
  return {
    jaccard: union === 0 ? 0 : common / union,
    containment: small.size === 0 ? 0 : common / small.size,
    smaller: small.size,
  };
}

/**
 * Whether `b` is a copy of `a` (or the other way round): shingle Jaccard ≥ 0.5, or nearly all
 * of the shorter text's shingles inside the longer one (a copy with extra furniture or a
 * rewritten lead paragraph). Different reports of the same event stay apart.
 */
export function isNearDuplicate(a: string, b: string): boolean {
  return areNearDuplicates(shingleSet(a), shingleSet(b));
}

/** {@link isNearDuplicate} over shingle sets already computed. */
export function areNearDuplicates(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  const { jaccard, containment, smaller } = overlapOf(a, b);
  if (jaccard >= JACCARD_THRESHOLD) return true;
  return smaller >= MIN_CONTAINED_SHINGLES && containment >= CONTAINMENT_THRESHOLD;
}
