/**
 * Ingest: a draft article → identity, dedupe, storage. Identity rests on the canonical URL
 * and the text, never on a feed's dates: a feed that rewrites pubDate changes nothing here.
 */
import { createHash } from 'node:crypto';
import type { Article, ArticleDraft, Topic } from '../core/types.ts';
import { LoopYielder } from '../core/yield.ts';
import { plausibleIsoTime } from '../text/dates.ts';
import { canonicalizeUrl, displayUrl } from './canonical-url.ts';
import {
  areNearDuplicates,
  contentHashOfNormal,
  EMPTY_CONTENT_HASH,
  normalizeForHash,
  shingleSet,
  shingleSetOfNormal,
  signatureOf,
  type DedupeSketch,
  type Shingles,
} from './dedupe.ts';
import type { NewArticle, Store, TopicLink } from '../store/port.ts';

export type IngestOutcome = 'new' | 'duplicate' | 'known';

export function articleIdFor(canonicalUrl: string): string {
  return `art_${createHash('sha256').update(canonicalUrl).digest('hex').slice(0, 20)}`;
}

/** The topics among `topics` whose include/exclude rules the draft satisfies. */
export function matchingTopics(draft: Pick<ArticleDraft, 'title' | 'text'>, topics: readonly Topic[]): string[] {
  const haystack = `${draft.title}\n${draft.text}`;
  return topics
    .filter(
      (topic) =>
        (topic.include.length === 0 || topic.include.some((m) => m.test(haystack))) && !topic.exclude.some((m) => m.test(haystack)),
    )
    .map((topic) => topic.id);
}

/**
 * An outlet's later version of its own story ("UPDATE 1", a corrected figure) is not a copy: it
 * supersedes the earlier one, and its changed sentences (the correction) must reach the brief.
 * It is stored as an article of its own; clustering puts the two in one story.
 */
function isUpdateOf(draft: ArticleDraft, earlier: Article): boolean {
  const outlet = draft.publisher?.trim().toLowerCase();
  if (!outlet || outlet !== earlier.publisher?.trim().toLowerCase()) return false;
  const later = draft.publishedAt !== undefined ? Date.parse(draft.publishedAt) : Number.NaN;
  const before = earlier.publishedAt !== undefined ? Date.parse(earlier.publishedAt) : Number.NaN;
  return !Number.isNaN(later) && !Number.isNaN(before) && later > before;
}

/** A draft to ingest and the topics whose rules it matched. */
export interface IngestItem {
  readonly draft: ArticleDraft;
  readonly topicIds: readonly string[];
  /** The dedupe sketch of exactly `draft.text`, when a reader thread took it already. */
  readonly sketch?: DedupeSketch;
}

export interface IngestResult {
  readonly outcome: IngestOutcome;
  /** The stored article: the new one, or the one already stored under that URL. */
  readonly articleId: string;
}

/**
 * Candidates checked per draft for a near-identical copy, those sharing the most LSH bands with
 * it first. LSH can return hundreds (boilerplate, a topic's look-alike items); a copy shares
 * many bands (at Jaccard 0.8 some 13 of 32, at 0.6 four), a look-alike report one or two. The
 * first 50 in band order used to be checked, each by a full comparison of shingles: 500 long
 * look-alike feed items spent 0.9 s there without finding a copy.
 */
const MAX_CANDIDATES = 16;

/** Who among the members of `bands` shares the most of them, at most `max`, ties in order of first appearance. */
function rankedCandidates<T>(bands: readonly number[], membersOf: (band: number) => readonly T[] | undefined, max: number): T[] {
  const shared = new Map<T, number>();
  for (const band of bands) for (const member of membersOf(band) ?? []) shared.set(member, (shared.get(member) ?? 0) + 1);
  // A stable sort keeps first appearance among equals.
  return [...shared]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([member]) => member);
}

/** Shorter texts are too short to call a copy by shingles (exact copies still are). */
const MIN_NEAR_DUP_CHARS = 200;

/** A fresh draft on its way in: what dedupe decided so far. */
interface Fresh {
  readonly index: number;
  readonly canonicalUrl: string;
  readonly hash: string;
  /** The normalised text, kept until its shingles are taken (one normalisation for both). */
  normal: string | undefined;
  shingles?: Shingles;
  bands: readonly number[];
}

/**
 * Stores a batch of drafts, each once, in one transaction. Known canonical URL → 'known'
 * (topics linked); same text or a near-identical copy of a stored article, or of an earlier
 * draft of the same batch → stored as a 'duplicate' linked to its original; else 'new'.
 * Lookups take the whole batch at once, and MinHash and LSH work is done for the batch's
 * new articles only: stored articles are reached through their stored band keys.
 */
export async function ingestBatch(items: readonly IngestItem[], store: Store, now: Date): Promise<IngestResult[]> {
  const results: IngestResult[] = new Array(items.length);
  const canonical = items.map((item) => canonicalizeUrl(item.draft.url));
  const known = await store.articles.byCanonicalUrls(canonical);
  const links: TopicLink[] = [];
  const fresh: Fresh[] = [];
  const firstWithUrl = new Map<string, number>();
  const yielder = new LoopYielder();
  for (const [index, item] of items.entries()) {
    await yielder.maybeYield();
    const url = canonical[index]!;
    const stored = known.get(url);
    const earlier = firstWithUrl.get(url);
    if (stored || earlier !== undefined) {
      // The same URL twice in one batch is known too: the first one is being stored.
      const articleId = stored?.id ?? articleIdFor(url);
      // Linked to the topics and to the source that delivered it again (see ArticleQuery.sourceIds).
      links.push({ articleId, topicIds: item.topicIds, sourceId: item.draft.sourceId });
      results[index] = { outcome: 'known', articleId };
      continue;
    }
    firstWithUrl.set(url, index);
    if (item.sketch) {
      const { hash, shingles, bands } = item.sketch;
      fresh.push({ index, canonicalUrl: url, hash, normal: undefined, shingles, bands });
      continue;
    }
    const normal = normalizeForHash(item.draft.text);
    fresh.push({ index, canonicalUrl: url, hash: contentHashOfNormal(normal), normal, bands: [] });
  }

  // A text without words hashes to one value shared by every such text: never a copy by hash.
  const hasText = (f: Fresh): boolean => f.hash !== EMPTY_CONTENT_HASH;
  const exact = await store.articles.originalsByContentHash(fresh.filter(hasText).map((f) => f.hash));
  // Signatures only for drafts with no stored exact copy (an exact copy gets no bands).
  for (const f of fresh) {
    await yielder.maybeYield();
    const normal = f.normal;
    // Sketched already, on a reader thread.
    if (normal === undefined) continue;
    f.normal = undefined;
    if (exact.has(f.hash) && hasText(f)) continue;
    f.shingles = shingleSetOfNormal(normal);
    f.bands = signatureOf(f.shingles).bands;
  }
  const near = await nearCandidates(fresh, items, store);

  const batchByHash = new Map<string, Article>();
  const batchByBand = new Map<number, Fresh[]>();
  const batchArticles = new Map<number, Article>();
  const inserts: NewArticle[] = [];
  for (const f of fresh) {
    await yielder.maybeYield();
    const { draft, topicIds } = items[f.index]!;
    let original: Article | undefined;
    if (hasText(f)) original = exact.get(f.hash) ?? batchByHash.get(f.hash);
    if (!original && f.shingles && draft.text.length > MIN_NEAR_DUP_CHARS) {
      original = near.find(f, draft) ?? batchCopyOf(f, draft, batchByBand, batchArticles);
    }
    const originalId = original ? (original.duplicateOf ?? original.id) : undefined;
    const article = toArticle(draft, f, now, originalId);
    batchArticles.set(f.index, article);
    if (hasText(f) && !batchByHash.has(f.hash)) batchByHash.set(f.hash, article);
    // Copies get no bands: later articles are compared with originals only.
    const bands = originalId ? [] : f.bands;
    if (!originalId) {
      for (const band of bands) {
        const members = batchByBand.get(band);
        if (members) members.push(f);
        else batchByBand.set(band, [f]);
      }
    }
    // The store repeats the content-hash check inside the write: another collect may have
    // stored the same text since the lookup above.
    inserts.push({ article, bands, topicIds, matchContentHash: hasText(f) });
  }
  const saved = await store.articles.saveBatch({ inserts, links });
  fresh.forEach((f, i) => {
    const article = inserts[i]!.article;
    const result = saved[i]!;
    // Not inserted: another collect stored the same URL meanwhile; its topics were linked.
    const outcome: IngestOutcome = !result.inserted ? 'known' : result.duplicateOf !== undefined ? 'duplicate' : 'new';
    results[f.index] = { outcome, articleId: article.id };
  });
  return results;
}

/** Stored near-copy candidates of the batch's drafts: band lookups and texts in one go each. */
async function nearCandidates(
  fresh: readonly Fresh[],
  items: readonly IngestItem[],
  store: Store,
): Promise<{ find(f: Fresh, draft: ArticleDraft): Article | undefined }> {
  const wanted = fresh.filter((f) => f.shingles && items[f.index]!.draft.text.length > MIN_NEAR_DUP_CHARS);
  const members = await store.articles.bandMembers(wanted.flatMap((f) => f.bands));
  const candidatesOf = new Map<Fresh, string[]>();
  for (const f of wanted) {
    const ids = rankedCandidates(f.bands, (band) => members.get(band), MAX_CANDIDATES);
    if (ids.length > 0) candidatesOf.set(f, ids);
  }
  const texts = new Map((await store.articles.byIds([...new Set([...candidatesOf.values()].flat())])).map((a) => [a.id, a]));
  const shingles = new Map<string, Shingles>();
  return {
    find(f, draft) {
      for (const id of candidatesOf.get(f) ?? []) {
        const candidate = texts.get(id);
        if (!candidate) continue;
        let theirs = shingles.get(id);
        if (!theirs) shingles.set(id, (theirs = shingleSet(candidate.text)));
        if (areNearDuplicates(theirs, f.shingles!) && !isUpdateOf(draft, candidate)) return candidate;
      }
      return undefined;
    },
  };
}

/** An earlier original of the same batch that `f` nearly copies (they share a band) and does not update. */
function batchCopyOf(
  f: Fresh,
  draft: ArticleDraft,
  byBand: ReadonlyMap<number, Fresh[]>,
  articles: ReadonlyMap<number, Article>,
): Article | undefined {
  for (const other of rankedCandidates(f.bands, (band) => byBand.get(band), MAX_CANDIDATES)) {
    const earlier = articles.get(other.index);
    if (earlier && areNearDuplicates(other.shingles!, f.shingles!) && !isUpdateOf(draft, earlier)) return earlier;
  }
  return undefined;
}

function toArticle(draft: ArticleDraft, f: Fresh, now: Date, originalId: string | undefined): Article {
  // Readers judged the date against their clock; ingest's clock has the last word.
  const publishedAt = plausibleIsoTime(draft.publishedAt, now);
  const { publishedAt: _drop, ...rest } = draft;
  return {
    ...rest,
    url: displayUrl(draft.url),
    ...(publishedAt !== undefined && { publishedAt }),
    id: articleIdFor(f.canonicalUrl),
    canonicalUrl: f.canonicalUrl,
    contentHash: f.hash,
    firstSeenAt: now.toISOString(),
    ...(originalId !== undefined && { duplicateOf: originalId }),
  };
}

/** Stores one draft: {@link ingestBatch} of one. */
export async function ingestDraft(draft: ArticleDraft, topicIds: readonly string[], store: Store, now: Date): Promise<IngestResult> {
  const [result] = await ingestBatch([{ draft, topicIds }], store, now);
  return result!;
}
