/**
 * Average-link agglomeration over a sparse similarity graph. Two groups merge while the mean
 * similarity over all their member pairs — pairs never compared count as 0 — is at least the
 * threshold. Unlike single link, one strong pair cannot chain two stories together.
 */

/**
 * Group-aware local contrast. A candidate merge of groups A and B is scored by its average
 * link minus `share` × the background of A∪B: the mean, over its members, of each member's
 * `rank`-th best similarity to a document outside A∪B. In a dense topic (three CDC mask
 * announcements) a finished story still has look-alikes all around it, so a further merge
 * barely stands out; a big story stays whole because its own members never count as
 * background, unlike a fixed k-th-neighbour background, which splits any story larger than k.
 */
export interface Surround {
  /** Each document's compared neighbours, most similar first. */
  near: ReadonlyArray<ReadonlyArray<Edge>>;
  rank: number;
  share: number;
  /** The contrasted link must reach this too (the plain link must reach the threshold). */
  minLink: number;
}

/** A similarity between documents i and j. */
export interface Edge {
  i: number;
  j: number;
  sim: number;
}

/** Most members of a group whose surroundings are looked at for one candidate merge. */
const SURROUND_SAMPLE = 32;

interface Entry {
  link: number;
  a: number;
  b: number;
  stamp: number;
}

/**
 * Groups of document indices (each ascending), merged by average link down to `threshold`.
 * With `labels` (an outlet per document, or undefined), the link of two groups is multiplied
 * by `sharedLabelPenalty` for every outlet both groups already contain. Pairs with a
 * similarity of at least `copyThreshold` are joined before anything else. With `surround`,
 * links are contrasted with the merged group's surroundings (see Surround).
 */
export function averageLink(
  n: number,
  edges: readonly Edge[],
  threshold: number,
  labels?: ReadonlyArray<string | undefined>,
  sharedLabelPenalty = 1,
  copyThreshold = Number.POSITIVE_INFINITY,
  surround?: Surround,
  pairThreshold = threshold,
): number[][] {
  const labelSets: Array<Set<string>> = Array.from({ length: n }, (_, i) => {
    const label = labels?.[i];
    return new Set(label === undefined ? [] : [label]);
  });
  const penalty = (a: number, b: number): number => {
    if (sharedLabelPenalty === 1) return 1;
    const [x, y] = labelSets[a]!.size <= labelSets[b]!.size ? [labelSets[a]!, labelSets[b]!] : [labelSets[b]!, labelSets[a]!];
    let shared = 0;
    for (const l of x) if (y.has(l)) shared += 1;
    return shared === 0 ? 1 : sharedLabelPenalty ** shared;
  };
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const sums: Array<Map<number, number>> = Array.from({ length: n }, () => new Map());
  const stamp = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  for (const { i, j, sim } of edges) {
    if (sim <= 0) continue;
    sums[i]!.set(j, (sums[i]!.get(j) ?? 0) + sim);
    sums[j]!.set(i, (sums[j]!.get(i) ?? 0) + sim);
  }
  const heap = new Heap();
  const owner = Int32Array.from({ length: n }, (_, i) => i);
  /**
   * Mean over the members of groups a and b of their surround.rank-th best similarity to a
   * document in neither. Big groups are sampled at an even stride (at most
   * SURROUND_SAMPLE members), which keeps a merge's cost bounded as a story grows.
   */
  const background = (s: Surround, a: number, b: number): number => {
    const size = members[a]!.length + members[b]!.length;
    const stride = Math.ceil(size / SURROUND_SAMPLE);
    let total = 0;
    let sampled = 0;
    for (let k = 0; k < size; k += stride) {
      const m = k < members[a]!.length ? members[a]![k]! : members[b]![k - members[a]!.length]!;
      sampled += 1;
      let outside = 0;
      for (const e of s.near[m]!) {
        const o = owner[e.i === m ? e.j : e.i]!;
        if (o === a || o === b) continue;
        outside += 1;
        if (outside === s.rank) {
          total += e.sim;
          break;
        }
      }
    }
    return total / sampled;
  };
  const pushPair = (a: number, b: number, sum: number): void => {
    let link = (sum / (members[a]!.length * members[b]!.length)) * penalty(a, b);
    if (link < threshold) return;
    // Two lone articles start a story only on firmer evidence than an article joining one.
    if (members[a]!.length === 1 && members[b]!.length === 1 && link < pairThreshold) return;
    if (surround) {
      link -= surround.share * background(surround, a, b);
      if (link < surround.minLink) return;
    }
    heap.push({ link, a: Math.min(a, b), b: Math.max(a, b), stamp: stamp[a]! + stamp[b]! });
  };
  /** Merges group b into group a, a < b, so ids stay stable and the result deterministic. */
  const merge = (a: number, b: number): void => {
    alive[b] = 0;
    for (const m of members[b]!) owner[m] = a;
    members[a] = mergeSorted(members[a]!, members[b]!);
    members[b] = [];
    for (const l of labelSets[b]!) labelSets[a]!.add(l);
    labelSets[b] = new Set();
    stamp[a]! += 1 + stamp[b]!;
    const sa = sums[a]!;
    sa.delete(b);
    for (const [c, sum] of sums[b]!) {
      if (c === a) continue;
      const merged = (sa.get(c) ?? 0) + sum;
      sa.set(c, merged);
      const sc = sums[c]!;
      sc.delete(b);
      sc.set(a, merged);
    }
    sums[b] = new Map();
  };

  // Near-identical texts are one story whatever else is true: join them first, so that a
  // flood of copies (each compared with only a few others) cannot fragment into many stories.
  const copies = edges.filter((e) => e.sim >= copyThreshold).sort((x, y) => y.sim - x.sim || x.i - y.i || x.j - y.j);
  for (const { i, j } of copies) {
    const a = owner[i]!;
    const b = owner[j]!;
    if (a !== b) merge(Math.min(a, b), Math.max(a, b));
  }

  for (let a = 0; a < n; a += 1) if (alive[a]) for (const [b, sum] of sums[a]!) if (a < b) pushPair(a, b, sum);

  for (let top = heap.pop(); top; top = heap.pop()) {
    const { a, b } = top;
    if (!alive[a] || !alive[b] || top.stamp !== stamp[a]! + stamp[b]!) continue;
    merge(a, b);
    for (const [c, sum] of sums[a]!) pushPair(a, c, sum);
  }
  return members.filter((m, i) => alive[i] && m.length > 0);
}

function mergeSorted(x: readonly number[], y: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (j >= y.length || (i < x.length && x[i]! < y[j]!)) out.push(x[i++]!);
    else out.push(y[j++]!);
  }
  return out;
}

/** A binary max-heap on link, ties broken by lower ids (deterministic merge order). */
class Heap {
  private readonly items: Entry[] = [];

  push(e: Entry): void {
    const items = this.items;
    items.push(e);
    let k = items.length - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!before(items[k]!, items[parent]!)) break;
      [items[k], items[parent]] = [items[parent]!, items[k]!];
      k = parent;
    }
  }

  pop(): Entry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let best = k;
        if (l < items.length && before(items[l]!, items[best]!)) best = l;
        if (r < items.length && before(items[r]!, items[best]!)) best = r;
        if (best === k) break;
        [items[k], items[best]] = [items[best]!, items[k]!];
        k = best;
      }
    }
    return top;
  }
}

function before(x: Entry, y: Entry): boolean {
  return x.link > y.link || (x.link === y.link && (x.a < y.a || (x.a === y.a && x.b < y.b)));
}
