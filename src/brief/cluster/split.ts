/**
 * The split check after average link: a group whose best bisection links its two halves much
 * more loosely than each half holds together is two stories, not one. A big story is about
 * equally similar throughout, so any bisection links nearly as tightly as its halves; a chain
 * of look-alike stories (CDC mask guidance in April, May and July) falls into blocks.
 *
 * Words alone cannot tell a saga's follow-ups from a look-alike event: both link to the first
 * reports at 0.55–0.75 of the halves' inside. The names each half gives its event can (see
 * event-names.ts): two running backs put on injured reserve are reported in the same words, but
 * one half names Reggie Bush in every report and the other Pierre Thomas; an outage's follow-ups
 * quote an MP and a spokesperson once each, and name the bank and the day as the first reports
 * did. So a loose bisection splits when its halves also name different things, and a very
 * loose one splits on its words alone (texts that name little, or in a script without capitals).
 */

/**
 * A group splits on its words alone while its halves link at less than this share of the mean
 * similarity inside them. In the synthetic stories of 3–12 articles a bisection links at 0.75 or
 * more of its inside (median 0.85); AllSides groups that chained look-alike stories of several
 * days mostly sit at 0.2–0.5, and so does the maritime window's surcharge story chained to a
 * merger whose carriers it names (0.46); the invented bank window's two-report acquisition
 * against the same bank's outage at 0.53. Tuned on the odd-numbered ECB+ topics with the names
 * check below: 0.55 scores 0.898, 0.56 0.904; on words alone 0.5 0.855, 0.54 0.874, 0.56 0.892,
 * 0.58 0.884, 0.6 0.883, 0.65 0.873.
 */
export const SPLIT_RATIO = 0.56;
/**
 * Below this share of their inside, halves that also name different things split (NAME_RATIO).
 * On the odd-numbered ECB+ topics 0.65–0.75 score the same (0.904). The windows' sagas sit at or
 * above it (a drug's recall over three days 0.71, the bank outage 0.71, a wind farm's outage
 * 0.75), and their follow-ups name what the first reports named, so the names keep them whole
 * where they are asked.
 */
export const NAMED_SPLIT_RATIO = 0.7;
/**
 * Halves name different things when their event names link at less than this share of the
 * names' links inside them. Tuned on the odd-numbered ECB+ topics (windows of five topics, each
 * with two look-alike events): 0.2 scores 0.892, 0.25–0.3 0.904, 0.35 0.892. Most look-alike
 * pairs of events there sit at 0.04–0.33; the bank outage's follow-ups against its first reports
 * at 1.08 (they name the bank and the day, and each new person once).
 */
export const NAME_RATIO = 0.3;
/**
 * Cosine at which two articles are copies of one text: clustering joins them before average link
 * (index.ts), and the split check counts them as one report.
 */
export const COPY_SIMILARITY = 0.8;
/** Both halves of a split hold at least this many reports (copies count once): one loose member is no block. */
const SPLIT_MIN_PART = 2;
/** Largest group looked at: the check compares all pairs inside a group (cubic in its size). */
const SPLIT_MAX_SIZE = 150;
/** Most power iterations for a group's second eigenvector (about 30 ms for a group of 150)… */
const POWER_ITERATIONS = 300;
/** …which stop early once no member's entry moves by more than this. */
const CONVERGED = 1e-9;

export interface SplitSettings {
  /** Split on words alone below this share of the halves' inside (SPLIT_RATIO). */
  ratio?: number;
  /** Split below this share when the names differ too (NAMED_SPLIT_RATIO). */
  namedRatio?: number;
  /** The names differ below this share of their inside (NAME_RATIO). */
  nameRatio?: number;
}

/**
 * Splits `group` (document indices) recursively while its best bisection is loose (see the file
 * comment). `names(i)` gives document i's event names (event-names.ts); without it a group
 * splits on its words alone. Deterministic: ties go to the lowest indices and parts come back
 * ascending.
 */
export function splitIncoherent(
  group: readonly number[],
  similarity: (i: number, j: number) => number,
  names?: (i: number) => readonly string[],
  settings: SplitSettings = {},
): number[][] {
  const n = group.length;
  if (n < 2 * SPLIT_MIN_PART || n > SPLIT_MAX_SIZE) return [[...group]];
  const docSim: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  for (let a = 0; a < n; a += 1) {
    for (let b = a + 1; b < n; b += 1) docSim[a]![b] = docSim[b]![a] = similarity(group[a]!, group[b]!);
  }
  const units = copyUnits(docSim, COPY_SIMILARITY);
  const k = units.length;
  if (k < 2 * SPLIT_MIN_PART) return [[...group]];
  // A unit's similarity to another: the mean over their members.
  const sim: Float64Array[] = Array.from({ length: k }, () => new Float64Array(k));
  for (let a = 0; a < k; a += 1) {
    for (let b = a + 1; b < k; b += 1) {
      let s = 0;
      for (const i of units[a]!) for (const j of units[b]!) s += docSim[i]![j]!;
      sim[a]![b] = sim[b]![a] = s / (units[a]!.length * units[b]!.length);
    }
  }
  const [x, y] = bisect(sim);
  const words = looseness(sim, x, y);
  let split = words < (settings.ratio ?? SPLIT_RATIO);
  if (!split && names !== undefined && words < (settings.namedRatio ?? NAMED_SPLIT_RATIO)) {
    const named = units.map((unit) => (unit.length === 1 ? names(group[unit[0]!]!) : [...new Set(unit.flatMap((a) => names(group[a]!)))]));
    split = looseness(nameSimilarity(named), x, y) < (settings.nameRatio ?? NAME_RATIO);
  }
  if (!split) return [[...group]];
  const toDocs = (p: readonly number[]): number[] => p.flatMap((u) => units[u]!.map((a) => group[a]!)).sort((i, j) => i - j);
  const halves = [toDocs(x), toDocs(y)].sort((p, q) => p[0]! - q[0]!);
  return halves.flatMap((half) => splitIncoherent(half, similarity, names, settings));
}

/**
 * The group's members (positions in `sim`) with each set of copies (a syndicated text,
 * similarity `copy` or more) as one unit: a copy is the same report again, not a block of its
 * own, and two copies would otherwise hold a half together more tightly than any two reports can.
 */
function copyUnits(sim: readonly Float64Array[], copy: number): number[][] {
  const n = sim.length;
  const root = Array.from({ length: n }, (_, a) => a);
  const find = (a: number): number => {
    while (root[a] !== a) a = root[a] = root[root[a]!]!;
    return a;
  };
  for (let a = 0; a < n; a += 1) {
    for (let b = a + 1; b < n; b += 1) {
      if (sim[a]![b]! < copy) continue;
      const [ra, rb] = [find(a), find(b)];
      root[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
  const units = new Map<number, number[]>();
  for (let a = 0; a < n; a += 1) {
    const r = find(a);
    const unit = units.get(r);
    if (unit) unit.push(a);
    else units.set(r, [a]);
  }
  return [...units.values()];
}

/**
 * How loosely two halves link: their mean similarity across over the mean inside them (1 when
 * nothing links inside).
 */
function looseness(sim: readonly Float64Array[], x: readonly number[], y: readonly number[]): number {
  let across = 0;
  for (const a of x) for (const b of y) across += sim[a]![b]!;
  across /= x.length * y.length;
  let within = 0;
  let pairs = 0;
  for (const p of [x, y]) {
    for (let a = 0; a < p.length; a += 1) {
      for (let b = a + 1; b < p.length; b += 1) {
        within += sim[p[a]!]![p[b]!]!;
        pairs += 1;
      }
    }
  }
  within /= pairs;
  return within > 0 ? across / within : 1;
}

/**
 * The group's bisection of least normalised cut (the link across over each half's total link),
 * among the cuts of its members ordered by the second eigenvector of the normalised similarity
 * (spectral bisection). Unlike merging the group bottom-up into two, it does not peel off one
 * stray report or pair and leave two events under the other half, and the normalised cut keeps
 * a half of two from looking loose only for being small. Both halves hold SPLIT_MIN_PART or more.
 */
function bisect(sim: readonly Float64Array[]): [number[], number[]] {
  const k = sim.length;
  const degree = new Float64Array(k);
  for (let a = 0; a < k; a += 1) {
    for (let b = 0; b < k; b += 1) degree[a]! += sim[a]![b]!;
    degree[a] = Math.max(degree[a]!, 1e-12);
  }
  const root = degree.map(Math.sqrt);
  // The top eigenvector of N = D^-1/2 S D^-1/2 is root (normalised); the second is found by
  // power iteration on N plus the identity (all eigenvalues then ≥ 0), kept orthogonal to the
  // top one.
  const normalised = sim.map((row, a) => row.map((s, b) => s / (root[a]! * root[b]!)));
  let norm = Math.hypot(...root);
  const top = root.map((r) => r / norm);
  let v = Float64Array.from({ length: k }, (_, a) => Math.sin(a * 12.9898 + 1));
  const next = new Float64Array(k);
  for (let it = 0; it < POWER_ITERATIONS; it += 1) {
    let dot = 0;
    for (let a = 0; a < k; a += 1) dot += v[a]! * top[a]!;
    for (let a = 0; a < k; a += 1) v[a]! -= dot * top[a]!;
    for (let a = 0; a < k; a += 1) {
      const row = normalised[a]!;
      let s = v[a]!;
      for (let b = 0; b < k; b += 1) s += row[b]! * v[b]!;
      next[a] = s;
    }
    norm = Math.hypot(...next) || 1;
    let change = 0;
    for (let a = 0; a < k; a += 1) {
      const value = next[a]! / norm;
      change = Math.max(change, Math.abs(value - v[a]!));
      v[a] = value;
    }
    if (change < CONVERGED) break;
  }
  v = v.map((value, a) => value / root[a]!);
  const order = Array.from({ length: k }, (_, a) => a).sort((a, b) => v[a]! - v[b]! || a - b);
  // Sweep the cuts of that order, the link across and each side's total kept up to date.
  const total = degree.reduce((s, d) => s + d, 0);
  const inX = new Uint8Array(k);
  let cut = 0;
  let volX = 0;
  let best = Infinity;
  let bestAt = SPLIT_MIN_PART;
  for (let c = 1; c <= k - SPLIT_MIN_PART; c += 1) {
    const m = order[c - 1]!;
    for (let b = 0; b < k; b += 1) cut += inX[b] ? -sim[m]![b]! : sim[m]![b]!;
    inX[m] = 1;
    volX += degree[m]!;
    if (c < SPLIT_MIN_PART) continue;
    const ncut = cut / volX + cut / Math.max(total - volX, 1e-12);
    if (ncut < best) [best, bestAt] = [ncut, c];
  }
  return [order.slice(0, bestAt), order.slice(bestAt)];
}

/**
 * Similarity of the group's members by the event names at least two of them give: each name
 * weighted by how few members give it (a name every member gives says nothing about a split),
 * cosine over those weights. A name given once links no pair and is left out, so a follow-up
 * that names someone new is not pushed away from the rest.
 */
function nameSimilarity(named: ReadonlyArray<readonly string[]>): Float64Array[] {
  const k = named.length;
  const count = new Map<string, number>();
  for (const names of named) for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
  const vectors = named.map((names) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const n of names) {
      const c = count.get(n)!;
      if (c < 2) continue;
      const w = Math.log((k + 1) / c);
      v.set(n, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [n, w] of v) v.set(n, w / norm);
    return v;
  });
  const sim: Float64Array[] = Array.from({ length: k }, () => new Float64Array(k));
  for (let a = 0; a < k; a += 1) {
    for (let b = a + 1; b < k; b += 1) {
      const [small, large] = vectors[a]!.size <= vectors[b]!.size ? [vectors[a]!, vectors[b]!] : [vectors[b]!, vectors[a]!];
      let s = 0;
      for (const [n, w] of small) s += w * (large.get(n) ?? 0);
      sim[a]![b] = sim[b]![a] = s;
    }
  }
  return sim;
}
