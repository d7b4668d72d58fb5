/**
 * Clustering articles into stories: TF-IDF cosine over title and text (entities weighted up),
 * damped by the gap between publication dates, on candidate pairs from an inverted index of
 * distinctive terms, merged by average link. Pure and deterministic: the same input in the
 * same order gives the same stories.
 */
import { candidatePairs } from './cluster-candidates.ts';
import { averageLink, type Edge } from './cluster-link.ts';
import { buildVectors, cosine, type VectorWeights } from './cluster-vectors.ts';

/** One article as clustering sees it. */
export interface ClusterDoc {
  id: string;
  title: string;
  text: string;
  /** ISO 8601; absent or unparseable means "no date". */
  publishedAt?: string;
  publisher?: string;
}

/** A story: its articles, most central first, and how many distinct outlets cover it. */
export interface StoryCluster {
  articleIds: string[];
  distinctPublishers: number;
}

export interface ClusterOptions {
  /** Use publication dates to keep apart stories far apart in time (default true). */
  useDates?: boolean;
  /** Average-link threshold on (date-damped) cosine; higher splits more. */
  threshold?: number;
  /** Term weighting (for tuning; defaults to DEFAULT_VECTOR_WEIGHTS). */
  weights?: VectorWeights;
  /** Multiplier on the link of two groups per outlet they share (for tuning). */
  sharedOutletPenalty?: number;
  /** Share of the local background similarity subtracted from each pair (for tuning). */
  contrast?: number;
  /** Which neighbour's similarity is a document's background level (for tuning). */
  backgroundRank?: number;
  /** Multiplier on the similarity of two articles of one outlet (for tuning). */
  samePublisherDamping?: number;
}

/**
 * Average-link thresholds tuned on real multi-outlet coverage (see bench/cluster.bench.ts):
 * with dates, the date damping already keeps look-alike stories of other days apart, so text
 * may link more loosely; without them, text alone must be stricter.
 */
export const DEFAULT_CLUSTER_THRESHOLD = { dated: 0.08, undated: 0.2 } as const;
const DAY_MS = 86_400_000;
/** Same-story coverage spreads over about a day without penalty… */
const DATE_GRACE_DAYS = 0.5;
/**
 * …and beyond it similarity halves every this many days (6 h): a day-later report of a
 * look-alike subject (new CDC guidance, the next eviction ruling) is usually a new development.
 * Tuned on half the AllSides stories (even ids), checked on the other half: 0.5 → 0.25 with the
 * dated threshold 0.1 → 0.08 took held-out F1 0.960 → 0.970.
 */
const DATE_HALF_LIFE_DAYS = 0.25;

/** Cosine at which two articles are copies of one text (joined before average link). */
const COPY_SIMILARITY = 0.8;
/** Edges weaker than this share of the threshold are ignored. */
const WEAK_EDGE_SHARE = 0.4;
/**
 * Share of the background similarity subtracted (0 turns local contrast off). Off by default:
 * it lifts text-only F1 on the 3-article AllSides stories (0.79 → 0.81) but splits large
 * stories, which are the ones a brief leads with (synthetic F1 0.99 → 0.85).
 */
const CONTRAST = 0;
/** The neighbour whose similarity sets the background. */
const BACKGROUND_RANK = 8;
/** Multiplier on the link of two groups for each outlet both already contain. */
const SHARED_OUTLET_PENALTY = 0.5;
/** Multiplier on the similarity of two articles from the same outlet. */
const SAME_PUBLISHER_DAMPING = 0.5;

/** Multiplier on similarity for a publication gap in days. */
export function dateDamping(gapDays: number): number {
  if (gapDays <= DATE_GRACE_DAYS) return 1;
  return 0.5 ** ((gapDays - DATE_GRACE_DAYS) / DATE_HALF_LIFE_DAYS);
}

/**
 * Groups articles about the same event. Ranked by distinct publishers, then size, then the
 * latest publication date, then first article id.
 */
export function clusterArticles(docs: readonly ClusterDoc[], options: ClusterOptions = {}): StoryCluster[] {
  if (docs.length === 0) return [];
  const useDates = options.useDates ?? true;
  const { vectors, df } = options.weights ? buildVectors(docs, options.weights) : buildVectors(docs);
  const times = docs.map((d) => (d.publishedAt === undefined ? Number.NaN : Date.parse(d.publishedAt)));
  const dated = useDates && times.filter((t) => !Number.isNaN(t)).length * 2 >= docs.length;
  const threshold = options.threshold ?? (dated ? DEFAULT_CLUSTER_THRESHOLD.dated : DEFAULT_CLUSTER_THRESHOLD.undated);

  const scored: Edge[] = [];
  for (const [i, j] of candidatePairs(vectors, df)) {
    let sim = cosine(vectors[i]!, vectors[j]!);
    if (useDates && !Number.isNaN(times[i]!) && !Number.isNaN(times[j]!)) {
      sim *= dateDamping(Math.abs(times[i]! - times[j]!) / DAY_MS);
    }
    // An outlet rarely runs two reports of one event; two of its pieces on a topic are
    // more often separate developments.
    if (samePublisher(docs[i]!, docs[j]!)) sim *= options.samePublisherDamping ?? SAME_PUBLISHER_DAMPING;
    scored.push({ i, j, sim });
  }
  const contrast = options.contrast ?? CONTRAST;
  const rank = options.backgroundRank ?? BACKGROUND_RANK;
  const background = contrast > 0 ? backgroundLevels(docs.length, scored, rank) : undefined;
  const edges: Edge[] = [];
  for (const e of scored) {
    const sim = background ? e.sim - contrast * Math.sqrt(background[e.i]! * background[e.j]!) : e.sim;
    // Pairs this weak cannot lift a group's average to the threshold; dropping them keeps
    // the agglomeration small.
    if (sim >= threshold * WEAK_EDGE_SHARE) edges.push({ i: e.i, j: e.j, sim });
  }
  const outlets = docs.map((d) => d.publisher?.trim().toLowerCase() || undefined);
  const groups = averageLink(docs.length, edges, threshold, outlets, options.sharedOutletPenalty ?? SHARED_OUTLET_PENALTY, COPY_SIMILARITY);

  // Centrality: summed similarity to the other members of the group.
  const centrality = new Float64Array(docs.length);
  const groupOf = new Int32Array(docs.length);
  groups.forEach((g, k) => g.forEach((i) => (groupOf[i] = k)));
  for (const { i, j, sim } of edges) {
    if (groupOf[i] === groupOf[j]) {
      centrality[i]! += sim;
      centrality[j]! += sim;
    }
  }

  const stories = groups.map((g) => {
    const ordered = [...g].sort((a, b) => centrality[b]! - centrality[a]! || compare(docs[a]!.id, docs[b]!.id));
    const outlets = new Set(g.map((i) => publisherKey(docs[i]!, i)));
    const latest = Math.max(...g.map((i) => (Number.isNaN(times[i]!) ? -Infinity : times[i]!)));
    return { articleIds: ordered.map((i) => docs[i]!.id), distinctPublishers: outlets.size, size: g.length, latest };
  });
  stories.sort(
    (a, b) =>
      b.distinctPublishers - a.distinctPublishers ||
      b.size - a.size ||
      b.latest - a.latest ||
      compare(a.articleIds[0]!, b.articleIds[0]!),
  );
  return stories.map(({ articleIds, distinctPublishers }) => ({ articleIds, distinctPublishers }));
}

/**
 * Each document's background similarity: its similarity to its `rank`-th nearest candidate.
 * In a dense topic (many pandemic stories) every pair looks alike; what marks the same event
 * is standing out from that background, not the raw level.
 */
function backgroundLevels(n: number, edges: readonly Edge[], rank: number): Float64Array {
  const near: number[][] = Array.from({ length: n }, () => []);
  for (const { i, j, sim } of edges) {
    near[i]!.push(sim);
    near[j]!.push(sim);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const sims = near[i]!.sort((a, b) => b - a);
    out[i] = sims[rank - 1] ?? 0;
  }
  return out;
}

function samePublisher(a: ClusterDoc, b: ClusterDoc): boolean {
  const p = a.publisher?.trim().toLowerCase();
  return p !== undefined && p !== '' && p === b.publisher?.trim().toLowerCase();
}

/** An article without a publisher counts as its own outlet. */
function publisherKey(doc: ClusterDoc, index: number): string {
  const p = doc.publisher?.trim().toLowerCase();
  return p ? `p:${p}` : `#${index}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
