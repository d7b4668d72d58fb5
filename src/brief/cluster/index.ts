/**
 * Clustering articles into stories: TF-IDF cosine over title and text (entities weighted up),
 * damped by the gap between publication dates (without dates: shifted by the weekdays and
 * months the texts name), on candidate pairs from an inverted index of distinctive terms,
 * merged by average link (without dates, contrasted with the merged group's surroundings);
 * groups that fall into two loosely linked blocks are split again. Pure and deterministic: the
 * same input in the same order gives the same stories.
 */
import { anchorFactor, timeAnchors } from './anchors.ts';
import { averageLink, type Edge, type Surround } from './link.ts';
import { eventNames } from './event-names.ts';
import { COPY_SIMILARITY, SPLIT_RATIO, splitIncoherent } from './split.ts';
import type { VectorWeights } from './term-counts.ts';
import { vectorsAndScoresOnThreads, type ClusterThreads } from './cluster-threads.ts';
import { scorePairs, type PairScores, type PairSettings } from './pair-scores.ts';
import { buildVectors, cosine, type VectorSpace } from './vectors.ts';

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
  /** Multiplier on the similarity of two articles of one outlet (for tuning). */
  samePublisherDamping?: number;
  /** Use the weekdays and months articles name when dates are not used (default true). */
  useTimeAnchors?: boolean;
  /** Share of the merged group's surroundings subtracted from a link (for tuning). */
  surroundShare?: number;
  /** Which outside neighbour's similarity is a member's surroundings (for tuning). */
  surroundRank?: number;
  /** Least link left after the surroundings are subtracted (for tuning). */
  surroundMinLink?: number;
  /** Similarity added per unit of shared rarity (see pairOverlap; for tuning, 0 = off). */
  rareTermBonus?: number;
  /** A group splits on its words alone when its halves link below this share of their inner links (for tuning; 0 = off). */
  splitRatio?: number;
  /** Below this share, halves that name different things split (for tuning; see NAMED_SPLIT_RATIO). */
  splitNamedRatio?: number;
  /** Halves name different things below this share of their names' inner links (for tuning; see NAME_RATIO). */
  splitNameRatio?: number;
  /** Least link for two lone articles to start a story (for tuning). */
  pairThreshold?: number;
  /** Publication gap in days without damping (for tuning). */
  dateGraceDays?: number;
  /** Days over which similarity halves beyond the grace (for tuning). */
  dateHalfLifeDays?: number;
}

/**
 * Average-link thresholds, tuned where the product works: a day's window of one topic (8–30
 * articles, 2–4 stories, an off-topic item), and checked on the two labelled sets cut into
 * such windows (AllSides 10-story windows, ECB+ windows of five topics with look-alike events).
 * The earlier thresholds (0.14 plus contrast with the surroundings without dates) were tuned on
 * the whole AllSides set at once and split small windows into singletons: in a window there
 * is little around a story to contrast with, and a topic's stories are all about equally far
 * apart. A plain 0.06 on both paths took text-only AllSides windows 0.930 → 0.972 and ECB+
 * 0.749 → 0.866; see docs/clustering.md for the leave-one-window-out figures.
 */
export const DEFAULT_CLUSTER_THRESHOLD = { dated: 0.06, undated: 0.06 } as const;
/**
 * Two lone articles start a story only at this link: two singletons of one city's news
 * (a theatre review, an e-scooter pilot) share its name and little else, while an article
 * joining a story it belongs to is judged by its average link to all of the story.
 */
const PAIR_THRESHOLD = 0.09;
const DAY_MS = 86_400_000;
/**
 * A story's coverage and its follow-ups spread over a day without penalty (a window's saga runs
 * 1–3 days: the outage, the cause disputed next day, the repair timetable; average link carries
 * the third day through the second)…
 */
const DATE_GRACE_DAYS = 1;
/**
 * …and beyond it similarity halves every half day: a look-alike report days later is a new
 * development. (The old 0.5 day grace and 6 h half-life cut every saga of a window into its
 * days: window F1 0.77 → 0.93; AllSides 10-story windows with dates 0.989 → 0.986; the whole
 * AllSides year in one window, where next-day look-alikes abound, 0.956 → 0.926.)
 */
const DATE_HALF_LIFE_DAYS = 0.5;

/** Edges weaker than this share of the threshold are ignored. */
const WEAK_EDGE_SHARE = 0.4;
/** The highest similarity anchors and rare terms can lift a pair to: just short of a copy. */
const LIFT_CEILING = COPY_SIMILARITY * 0.99;
/**
 * Similarity added per unit of shared rarity (pairOverlap: a term only the two articles use
 * counts 1), at most RARE_TERM_MAX units. Reports of one event share its specific names and
 * phrases; look-alike stories share the topic's vocabulary, and opinion pieces on the event
 * share little else. Tuned on the even AllSides ids (0.02–0.04 is a plateau): text-only, each
 * half alone, 0.856 → 0.866 (tuning) and 0.876 → 0.885 (held out); with dates 0.969 → 0.972
 * and 0.983 → 0.986.
 */
const RARE_TERM_BONUS = 0.03;
/**
 * A term counts as rare in at most this share of the documents (1 in 20): in a corpus of a few
 * dozen articles nothing is rare, so the bonus stays off (the china-ai case in
 * test/cluster.test.ts, five articles on two events, would otherwise merge whole).
 */
const RARE_TERM_MAX_SHARE = 0.05;
/** Most units of shared rarity counted: a long shared quote is one piece of evidence. */
const RARE_TERM_MAX = 3;
/**
 * Without dates, the share of a merged group's surroundings subtracted from its link (see
 * Surround in link.ts): a look-alike report of another day is as close to a finished story as
 * the story's own articles are to their surroundings, so it no longer stands out. With dates it
 * is off: the date damping does this job. Only a light floor (SURROUND_MIN_LINK) is asked of
 * the contrasted link: in a day's window a story's surroundings are the topic's other stories,
 * as close as its own members (text-only windows 0.929 → 0.945; the whole AllSides set in one
 * window 0.776 → 0.798).
 */
const SURROUND_SHARE = 0.5;
/** The outside neighbour whose similarity is a member's surroundings: the 2nd, not one stray. */
const SURROUND_RANK = 2;
/** Without dates, the least link left once the surroundings are subtracted. */
const SURROUND_MIN_LINK = 0.03;
/** Multiplier on the link of two groups for each outlet both already contain. */
const SHARED_OUTLET_PENALTY = 0.5;
/** Multiplier on the similarity of two articles from the same outlet. */
const SAME_PUBLISHER_DAMPING = 0.5;

/**
 * Characters of an article's text that clustering reads (about 2,000 words). A report names its
 * event, places and people in its first paragraphs; past this, a long feature or a padded
 * page only adds cost — 500 look-alike items of 37 KB each spent 1.2 s building vectors over
 * text that cannot change which story they belong to. No article of the labelled sets or the
 * shared windows is this long but one (ECB+, 16 KB).
 */
export const CLUSTER_TEXT_CHARS = 12_000;

/**
 * The first CLUSTER_TEXT_CHARS of a text, cut at a space. No "…" is added: one non-Latin-1
 * character turns the whole string into two-byte form, and every regex over it slows down.
 */
function headOf(text: string): string {
  const head = text.slice(0, CLUSTER_TEXT_CHARS);
  const space = head.lastIndexOf(' ');
  return space > 0 ? head.slice(0, space) : head;
}

/** Multiplier on similarity for a publication gap in days. */
export function dateDamping(gapDays: number, grace = DATE_GRACE_DAYS, halfLife = DATE_HALF_LIFE_DAYS): number {
  if (gapDays <= grace) return 1;
  return 0.5 ** ((gapDays - grace) / halfLife);
}

/**
 * Groups articles about the same event. Ranked by distinct publishers, then size, then the
 * latest publication date, then first article id.
 */
export function clusterArticles(input: readonly ClusterDoc[], options: ClusterOptions = {}): StoryCluster[] {
  if (input.length === 0) return [];
  const docs = headsOf(input);
  const space = buildVectors(docs, options.weights);
  return clusterInSpace(docs, space, scorePairs(space, pairSettings(docs.length, options)), options);
}

/**
 * clusterArticles, its vectors built and its candidate pairs scored with helper threads when the
 * documents are many (see cluster-threads.ts): the same stories.
 */
export async function clusterArticlesOnThreads(
  input: readonly ClusterDoc[],
  options: ClusterOptions,
  threads: ClusterThreads,
): Promise<StoryCluster[]> {
  if (input.length === 0) return [];
  const docs = headsOf(input);
  const { space, scores } = await vectorsAndScoresOnThreads(docs, options.weights, pairSettings(docs.length, options), threads);
  return clusterInSpace(docs, space, scores, options);
}

/** What scoring a pair counts besides its cosine. */
function pairSettings(documents: number, options: ClusterOptions): PairSettings {
  return { rarity: (options.rareTermBonus ?? RARE_TERM_BONUS) > 0, rareMaxDf: Math.floor(documents * RARE_TERM_MAX_SHARE) };
}

/** The documents as clustering reads them: texts cut to their first CLUSTER_TEXT_CHARS. */
function headsOf(input: readonly ClusterDoc[]): ClusterDoc[] {
  return input.map((d) => (d.text.length > CLUSTER_TEXT_CHARS ? { ...d, text: headOf(d.text) } : d));
}

function clusterInSpace(docs: readonly ClusterDoc[], space: VectorSpace, scores: PairScores, options: ClusterOptions): StoryCluster[] {
  const useDates = options.useDates ?? true;
  const { vectors } = space;
  const times = docs.map((d) => (d.publishedAt === undefined ? Number.NaN : Date.parse(d.publishedAt)));
  const dated = useDates && times.filter((t) => !Number.isNaN(t)).length * 2 >= docs.length;
  const threshold = options.threshold ?? (dated ? DEFAULT_CLUSTER_THRESHOLD.dated : DEFAULT_CLUSTER_THRESHOLD.undated);

  const rareTermBonus = options.rareTermBonus ?? RARE_TERM_BONUS;
  const anchors = !dated && (options.useTimeAnchors ?? true) ? docs.map((d) => timeAnchors(`${d.title}\n${d.text}`)) : undefined;
  /**
   * What the texts say: the pair's cosine (sim) plus shared rare terms, shifted by the time
   * anchors when there are no dates.
   */
  const textSimilarity = (i: number, j: number, sim: number, rarity: number): number => {
    // Copies are joined on their text alone; below that, neither the anchors nor the shared
    // rare terms make a pair a copy.
    if (sim >= COPY_SIMILARITY) return sim;
    const rare = rareTermBonus * Math.min(rarity, RARE_TERM_MAX);
    // The anchors scale the rare-term evidence too: two reports naming different weekdays are
    // different days' news even if they share a rare name.
    const factor = anchors ? anchorFactor(anchors[i]!, anchors[j]!) : 1;
    return Math.min((sim + rare) * factor, LIFT_CEILING);
  };

  // Each document's outlet as compared (trimmed, lowercased; none when blank), once, not per pair.
  const outlets = docs.map((d) => d.publisher?.trim().toLowerCase() || undefined);
  const scored: Edge[] = [];
  const { pairs } = scores;
  for (let k = 0; k < scores.cosine.length; k += 1) {
    const i = pairs[2 * k]!;
    const j = pairs[2 * k + 1]!;
    let sim = textSimilarity(i, j, scores.cosine[k]!, scores.rarity[k]!);
    if (useDates && !Number.isNaN(times[i]!) && !Number.isNaN(times[j]!)) {
      sim *= dateDamping(Math.abs(times[i]! - times[j]!) / DAY_MS, options.dateGraceDays, options.dateHalfLifeDays);
    }
    // An outlet rarely runs two reports of one event; two of its pieces on a topic are
    // more often separate developments.
    if (outlets[i] !== undefined && outlets[i] === outlets[j]) sim *= options.samePublisherDamping ?? SAME_PUBLISHER_DAMPING;
    scored.push({ i, j, sim });
  }
  // Pairs this weak cannot lift a group's average to the threshold; dropping them keeps the
  // agglomeration small.
  const edges = scored.filter((e) => e.sim >= threshold * WEAK_EDGE_SHARE);
  const surroundShare = options.surroundShare ?? (dated ? 0 : SURROUND_SHARE);
  const surround: Surround | undefined =
    surroundShare > 0
      ? {
          near: neighbourLists(docs.length, scored),
          rank: options.surroundRank ?? SURROUND_RANK,
          share: surroundShare,
          minLink: options.surroundMinLink ?? SURROUND_MIN_LINK,
        }
      : undefined;
  const pairThreshold = Math.max(threshold, options.pairThreshold ?? PAIR_THRESHOLD);
  const merged = averageLink(
    docs.length,
    edges,
    threshold,
    outlets,
    options.sharedOutletPenalty ?? SHARED_OUTLET_PENALTY,
    COPY_SIMILARITY,
    surround,
    pairThreshold,
  );
  // The split check uses the plain cosine: dates already kept apart what they could, and time
  // anchors are too coarse to cut a finished story ("talks resume on Friday" in one report of
  // a Wednesday strike would split it). It reads the event names of a group's members only
  // when there is a group to check, each article's once.
  const plainCosine = (i: number, j: number): number => cosine(vectors[i]!, vectors[j]!);
  const splitRatio = options.splitRatio ?? SPLIT_RATIO;
  const named = new Map<number, string[]>();
  const namesOf = (i: number): string[] => {
    let names = named.get(i);
    if (names === undefined) {
      names = eventNames(docs[i]!.title, docs[i]!.text);
      named.set(i, names);
    }
    return names;
  };
  const groups =
    splitRatio > 0
      ? merged.flatMap((g) =>
          splitIncoherent(g, plainCosine, namesOf, {
            ratio: splitRatio,
            ...(options.splitNamedRatio !== undefined && { namedRatio: options.splitNamedRatio }),
            ...(options.splitNameRatio !== undefined && { nameRatio: options.splitNameRatio }),
          }),
        )
      : merged;

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
    // Ties go to the earlier document of the input: the caller's order, not an id's hash.
    const ordered = [...g].sort((a, b) => centrality[b]! - centrality[a]! || a - b);
    const outlets = new Set(g.map((i) => publisherKey(docs[i]!, i)));
    const latest = Math.max(...g.map((i) => (Number.isNaN(times[i]!) ? -Infinity : times[i]!)));
    return { articleIds: ordered.map((i) => docs[i]!.id), first: Math.min(...g), distinctPublishers: outlets.size, size: g.length, latest };
  });
  stories.sort((a, b) => b.distinctPublishers - a.distinctPublishers || b.size - a.size || b.latest - a.latest || a.first - b.first);
  return stories.map(({ articleIds, distinctPublishers }) => ({ articleIds, distinctPublishers }));
}

/** Each document's compared pairs, most similar first (ties by the other document's index). */
function neighbourLists(n: number, edges: readonly Edge[]): Edge[][] {
  const near: Edge[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    near[e.i]!.push(e);
    near[e.j]!.push(e);
  }
  near.forEach((list, m) => list.sort((x, y) => y.sim - x.sim || (x.i === m ? x.j : x.i) - (y.i === m ? y.j : y.i)));
  return near;
}

/** An article without a publisher counts as its own outlet. */
function publisherKey(doc: ClusterDoc, index: number): string {
  const p = doc.publisher?.trim().toLowerCase();
  return p ? `p:${p}` : `#${index}`;
}
