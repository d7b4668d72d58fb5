/**
 * Ingest: a draft article → identity, dedupe, storage. Identity rests on the canonical URL
 * and the text, never on a feed's dates: a feed that rewrites pubDate changes nothing here.
 */
import { createHash } from 'node:crypto';
import type { Article, ArticleDraft, Topic } from '../core/types.ts';
import { plausibleIsoTime } from '../text/dates.ts';
import { canonicalizeUrl, displayUrl } from './canonical-url.ts';
import { contentHash, EMPTY_CONTENT_HASH, isNearDuplicate, signature } from './dedupe.ts';
import type { Store } from '../store/port.ts';

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
        (topic.include.length === 0 || topic.include.some((m) => m.test(haystack))) &&
        !topic.exclude.some((m) => m.test(haystack)),
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

/**
 * Stores a draft once. Known canonical URL → 'known' (topics linked); same text or a
 * near-identical copy of a stored article → stored as a 'duplicate' linked to its original;
 * else 'new'.
 */
export async function ingestDraft(
  draft: ArticleDraft,
  topicIds: readonly string[],
  store: Store,
  now: Date,
): Promise<{ outcome: IngestOutcome; article: Article }> {
  const canonicalUrl = canonicalizeUrl(draft.url);
  const known = await store.articles.byCanonicalUrl(canonicalUrl);
  if (known) {
    await store.articles.addTopics(known.id, topicIds, draft.sourceId);
    return { outcome: 'known', article: known };
  }
  const hash = contentHash(`${draft.text}`);
  const hasWords = hash !== EMPTY_CONTENT_HASH;
  let original = hasWords ? await store.articles.byContentHash(hash) : undefined;
  const sig = signature(draft.text);
  if (!original && draft.text.length > 200) {
    const candidateIds = await store.articles.candidatesByBands(sig.bands);
    for (const candidate of await store.articles.byIds(candidateIds.slice(0, 50))) {
      if (isNearDuplicate(candidate.text, draft.text) && !isUpdateOf(draft, candidate)) {
        original = candidate;
        break;
      }
    }
  }
  const originalId = original ? (original.duplicateOf ?? original.id) : undefined;
  // Readers judged the date against their clock; ingest's clock has the last word.
  const publishedAt = plausibleIsoTime(draft.publishedAt, now);
  const { publishedAt: _drop, ...rest } = draft;
  const article: Article = {
    ...rest,
    url: displayUrl(draft.url),
    ...(publishedAt !== undefined && { publishedAt }),
    id: articleIdFor(canonicalUrl),
    canonicalUrl,
    contentHash: hash,
    firstSeenAt: now.toISOString(),
    ...(originalId !== undefined && { duplicateOf: originalId }),
  };
  // The store repeats the content-hash check inside the insert: another collect may have
  // stored the same text since the lookup above.
  const result = await store.articles.insert({ article, bands: sig.bands, topicIds, matchContentHash: hasWords });
  if (!result.inserted) return { outcome: 'known', article: (await store.articles.byCanonicalUrl(canonicalUrl)) ?? article };
  const stored = result.duplicateOf !== undefined ? { ...article, duplicateOf: result.duplicateOf } : article;
  return { outcome: result.duplicateOf !== undefined ? 'duplicate' : 'new', article: stored };
}
