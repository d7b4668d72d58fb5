/**
 * Build a brief from a topic's articles: screen out planted instructions, cluster into
 * stories, summarize each story, verify (cited or cut), and assemble the JSON contract.
 * Pure apart from the summarizer.
 */
import pLimit from 'p-limit';
import type { Logger } from '../core/log.ts';
import type {
  Article,
  Brief,
  BriefArticle,
  LeftOutStory,
  SourceHealth,
  Story,
  StoryArticle,
  StoryInput,
  Summarizer,
  Topic,
  Usage,
} from '../core/types.ts';
import { addUsage } from '../llm/budget.ts';
import { SCREEN_REVISION, screenInstructions } from '../text/instructions.ts';
import { clipArticleText, MAX_ARTICLE_CHARS } from '../text/bounds.ts';
import { clusterArticlesOnThreads } from './cluster/index.ts';
import { verificationNote, verifyStory } from './verify.ts';

/**
 * Revision of what the brief stage produces from the same articles (clustering, summarizing,
 * verification). Part of a stored brief's content key: bump it when a change alters briefs,
 * so an upgraded bot builds afresh instead of reusing a brief the old code made.
 */
export const BRIEF_PIPELINE_REVISION = 9;

/** How far a build has come (a progress line on a terminal shows it). */
export interface BuildProgress {
  readonly articles: number;
  readonly storiesBuilt: number;
  readonly storiesTotal: number;
}

export interface BuildBriefInput {
  /** What the build needs of the topic: its id and summarizer settings (plain data). */
  readonly topic: Pick<Topic, 'id' | 'summarizer'>;
  /** Distinct articles in the window (duplicates already collapsed by the store). */
  readonly articles: readonly Article[];
  readonly window: { readonly since: Date; readonly until: Date };
  readonly summarizer: Summarizer;
  readonly logger: Logger;
  readonly now: Date;
  readonly failingSources?: readonly SourceHealth[];
  /**
   * Threads besides this one that clustering may use (default 0): the CLI has idle cores while
   * it builds, a build in serve runs on a pool worker beside the serving thread.
   */
  readonly clusterHelpers?: number;
  /** Stories summarized at once. */
  readonly concurrency?: number;
  /** Called after clustering and after each story is summarized and verified. */
  readonly onProgress?: (progress: BuildProgress) => void;
}

export interface BuiltBrief {
  readonly brief: Brief;
  /** Brief-local article id ("a1") → store article id. */
  readonly articleMap: Record<string, string>;
  /** Items verification removed, all stories together. */
  readonly droppedCount: number;
}

function toBriefArticle(id: string, article: Article): BriefArticle {
  return {
    id,
    title: article.title,
    url: article.url,
    ...(article.publisher !== undefined && { publisher: article.publisher }),
    ...(article.publishedAt !== undefined && { publishedAt: article.publishedAt }),
  };
}

/** Where an article comes from, for a note: its publisher, else its URL's host. */
function outletOf(article: Article): string {
  if (article.publisher) return article.publisher;
  try {
    const url = new URL(article.url);
    return url.protocol === 'file:' ? (url.pathname.split('/').at(-1) ?? 'a local file') : url.host;
  } catch {
    return 'unknown source';
  }
}

/**
 * The window's articles with planted instructions taken out (text/instructions.ts): what
 * collect's screen removed is already gone; articles stored before that screen, or from any
 * other path, are screened here. Returns the count per article, collect's included.
 */
function screenWindow(articles: readonly Article[]): { articles: Article[]; planted: Map<string, number> } {
  const planted = new Map<string, number>();
  const screened = articles.map((a) => {
    if (a.screenRevision === SCREEN_REVISION) {
      if ((a.instructions ?? 0) > 0) planted.set(a.id, a.instructions!);
      return a;
    }
    const { text, removed } = screenInstructions(a.text);
    const total = (a.instructions ?? 0) + removed;
    if (total > 0) planted.set(a.id, total);
    return removed === 0 ? a : { ...a, text };
  });
  return { articles: screened, planted };
}

/**
 * The brief's reading order of its input: by publication (or first-seen) time, then URL, then
 * title. Store ids are hashes of URLs, so ordering by them would let a feed's port or a
 * tracking parameter reshuffle a1…aN and every tie after it; this order depends on what the
 * articles say alone.
 */
function readingOrder(articles: readonly Article[]): Article[] {
  const time = (a: Article): number => Date.parse(a.publishedAt ?? a.firstSeenAt) || 0;
  return [...articles].sort((a, b) => time(a) - time(b) || compare(a.url, b.url) || compare(a.title, b.title) || compare(a.id, b.id));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function buildBrief(input: BuildBriefInput): Promise<BuiltBrief> {
  const { topic, logger } = input;
  // Stored before collect capped article text, an article may still be longer: cap it first.
  const capped = input.articles.map((a) => (a.text.length > MAX_ARTICLE_CHARS ? { ...a, text: clipArticleText(a.text).text } : a));
  const { articles, planted } = screenWindow(readingOrder(capped));
  const byStoreId = new Map(articles.map((a) => [a.id, a]));
  const clusters = await clusterArticlesOnThreads(
    articles.map((a) => ({
      id: a.id,
      title: a.title,
      text: a.text,
      ...(a.publishedAt !== undefined && { publishedAt: a.publishedAt }),
      ...(a.publisher !== undefined && { publisher: a.publisher }),
    })),
    {},
    {
      helpers: input.clusterHelpers ?? 0,
      onHelperFailure: (reason) => logger.warn({ err: reason }, 'a clustering helper thread failed; its share was done on this thread'),
    },
  );
  const chosen = clusters.slice(0, topic.summarizer.maxStories);

  // Brief-local ids: the chosen stories' articles first, in story order, then the rest.
  const localId = new Map<string, string>();
  const assign = (storeId: string): void => {
    if (!localId.has(storeId)) localId.set(storeId, `a${localId.size + 1}`);
  };
  for (const cluster of chosen) cluster.articleIds.forEach(assign);
  const notShown = clusters.slice(chosen.length);
  for (const cluster of notShown) cluster.articleIds.forEach(assign);
  for (const article of articles) assign(article.id);
  const leftOut: LeftOutStory[] = notShown.map((cluster) => ({
    headline: byStoreId.get(cluster.articleIds[0]!)?.title ?? '',
    articleIds: cluster.articleIds.map((id) => localId.get(id)!),
  }));

  const storyInputs: StoryInput[] = chosen.map((cluster, i) => ({
    id: `s${i + 1}`,
    articles: cluster.articleIds.flatMap((storeId): StoryArticle[] => {
      const a = byStoreId.get(storeId);
      if (!a) return [];
      return [
        {
          id: localId.get(storeId)!,
          title: a.title,
          text: a.text,
          url: a.url,
          ...(a.publisher !== undefined && { publisher: a.publisher }),
          ...(a.publishedAt !== undefined && { publishedAt: a.publishedAt }),
        },
      ];
    }),
  }));

  let storiesBuilt = 0;
  const progress = (): void => input.onProgress?.({ articles: articles.length, storiesBuilt, storiesTotal: storyInputs.length });
  progress();
  const limit = pLimit(input.concurrency ?? 4);
  let usage: Usage = { llmCalls: 0, promptTokens: 0, completionTokens: 0 };
  const notes: string[] = [];
  let droppedCount = 0;
  const stories = await Promise.all(
    storyInputs.map((story) =>
      limit(async (): Promise<Story> => {
        const result = await input.summarizer.summarize(story);
        usage = addUsage(usage, result.usage);
        if (result.note) notes.push(`${story.id}: ${result.note}`);
        const verified = verifyStory(result.story, story.articles);
        const note = verificationNote(verified.dropped);
        if (note) {
          droppedCount += verified.dropped.length;
          notes.push(`${story.id}: ${note}`);
          logger.info(
            {
              topic: topic.id,
              story: story.id,
              summarizer: result.note ? 'fallback' : input.summarizer.name,
              cut: verified.dropped.filter((d) => d.action === 'cut').length,
              rewritten: verified.dropped.filter((d) => d.action === 'rewritten').length,
              items: verified.dropped.map((d) => `${d.kind} ${d.action}: ${d.reason}: ${d.text.slice(0, 100)}`),
            },
            'verification cut or rewrote unsupported items',
          );
        }
        storiesBuilt += 1;
        progress();
        // The story's own id and article list are ours, whatever the summarizer said.
        return { ...verified.story, id: story.id, articleIds: story.articles.map((a) => a.id) };
      }),
    ),
  );

  const briefArticles = [...localId.entries()].map(([storeId, id]) => toBriefArticle(id, byStoreId.get(storeId)!));
  for (const [storeId, count] of planted) {
    const article = byStoreId.get(storeId)!;
    notes.push(
      `${localId.get(storeId)} (${outletOf(article)}) carried ${count === 1 ? 'an instruction' : `${count} instructions`} addressed to AI systems; ignored, never used as evidence`,
    );
    logger.warn(
      { topic: topic.id, article: storeId, url: article.url, instructions: count },
      'article carries instructions addressed to AI systems',
    );
  }
  const brief: Brief = {
    topic: topic.id,
    generatedAt: input.now.toISOString(),
    window: { since: input.window.since.toISOString(), until: input.window.until.toISOString() },
    summarizer: input.summarizer.name,
    articles: briefArticles,
    stories,
    usage,
    ...(notes.length > 0 && { notes: notes.sort() }),
    ...(input.failingSources && input.failingSources.length > 0 && { failingSources: input.failingSources }),
    ...(leftOut.length > 0 && { leftOut }),
  };
  return { brief, articleMap: Object.fromEntries([...localId.entries()].map(([s, l]) => [l, s])), droppedCount };
}
