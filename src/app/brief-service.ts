/**
 * The BriefService over the real pipeline and store: collect → list the window → build (or
 * reuse) → store. The CLI and every chat adapter go through this one implementation.
 */
import { createHash, randomUUID } from 'node:crypto';
import { answerQuestion } from '../answer/index.ts';
import type { EnvSettings } from '../config/load.ts';
import { parseSince } from '../core/window.ts';
import { BuildBudgetError, UnknownTopicError } from '../core/errors.ts';
import { maskUrl, maskUrlsIn } from '../core/redact.ts';
import type { Logger } from '../core/log.ts';
import type { SourceHealth, StoredBrief, Topic } from '../core/types.ts';
import { BRIEF_PIPELINE_REVISION, type BuildProgress } from '../brief/index.ts';
import { collectTopics, type CollectProgress, type CollectReport } from '../collect/index.ts';
import type { HttpClient } from '../collect/http/client.ts';
import type { Store } from '../store/port.ts';
import type { Answer, BriefRequest, BriefService } from '../core/service.ts';
import { buildTopic, inProcessBuilder, type BriefBuilder } from './build.ts';
import { summarizerName, summarizerSpec } from './summarizer.ts';

export interface BriefServiceOptions {
  readonly topics: readonly Topic[];
  readonly env: EnvSettings;
  readonly store: Store;
  readonly logger: Logger;
  /** Absent = offline: only stored articles and local paths. */
  readonly http?: HttpClient;
  readonly now?: () => Date;
  /** Called with each collect report (the CLI prints them). */
  readonly onCollect?: (report: CollectReport) => void;
  /** Where briefs are built: in this thread by default; serve passes a worker pool's. */
  readonly builder?: BriefBuilder;
  /** Progress of collects and builds as they go (the CLI's progress line on a terminal). */
  readonly onCollectProgress?: (progress: CollectProgress) => void;
  readonly onBuildProgress?: (progress: BuildProgress) => void;
}

export interface BriefServiceExtras {
  /** Builds with an explicit collect step skipped (e.g. right after `collect`). */
  brief(topicId: string, request?: BriefRequest & { readonly collect?: boolean }): Promise<StoredBrief>;
  /** Adds a topic for this process only (ad-hoc topics from `--source`). */
  addTopic(topic: Topic): void;
}

function contentKeyOf(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export function createBriefService(options: BriefServiceOptions): BriefService & BriefServiceExtras {
  const { env, store, logger } = options;
  const topics = new Map(options.topics.map((t) => [t.id, t]));
  const now = options.now ?? (() => new Date());
  const builder = options.builder ?? inProcessBuilder(store.cache, logger);
  const inFlight = new Map<string, Promise<StoredBrief>>();

  function topic(id: string): Topic {
    const found = topics.get(id);
    if (!found) throw new UnknownTopicError(id, [...topics.keys()]);
    return found;
  }

  /** Failing sources as a brief shows them: URLs and reasons without credentials. */
  async function failingSources(topicId: string): Promise<SourceHealth[]> {
    const health = await store.sources.health(topic(topicId).sources.map((s) => s.id));
    return health
      .filter((h) => h.failureStreak > 0)
      .map((h) => ({
        ...h,
        sourceId: maskUrl(h.sourceId),
        url: maskUrl(h.url),
        ...(h.lastError !== undefined && { lastError: maskUrlsIn(h.lastError) }),
      }));
  }

  async function latestStored(latestKey: string): Promise<StoredBrief | undefined> {
    const latestId = await store.cache.get('latest-brief', latestKey);
    return latestId !== undefined ? store.briefs.byId(latestId) : undefined;
  }

  async function brief(topicId: string, request: BriefRequest & { collect?: boolean } = {}): Promise<StoredBrief> {
    const t = topic(topicId);
    const windowText = request.window ?? t.window;
    // Validate the window before any work, so a typo fails fast.
    parseSince(windowText, now(), request.window !== undefined ? 'window' : `topic ${t.id} window`);
    const latestKey = `${t.id}\u0000${windowText}`;
    if (request.maxAgeMs !== undefined) {
      const latest = await latestStored(latestKey);
      if (latest && now().getTime() - Date.parse(latest.createdAt) < request.maxAgeMs) return latest;
    }
    // One collect-and-build per topic and window at a time: requests arriving meanwhile (a
    // burst of /brief commands, a scheduled run) share it instead of queueing copies of it.
    const running = inFlight.get(latestKey);
    if (running) return running;
    const run = collectAndBuild(t, windowText, latestKey, request.collect !== false).finally(() => inFlight.delete(latestKey));
    inFlight.set(latestKey, run);
    return run;
  }

  async function collectAndBuild(t: Topic, windowText: string, latestKey: string, collect: boolean): Promise<StoredBrief> {
    if (collect) {
      const report = await collectTopics([t], {
        store,
        logger,
        now,
        ...(options.http && { http: options.http }),
        ...(options.onCollectProgress && { onProgress: options.onCollectProgress }),
      });
      options.onCollect?.(report);
    }
    // The window ends after the collect, so what it just stored is inside.
    const at = now();
    const since = parseSince(windowText, at);
    const until = new Date(at.getTime() + 1);
    const articles = await store.articles.list({
      topicId: t.id,
      // An ad-hoc topic is the sources given this time, not whatever earlier runs of its name read.
      ...(t.adHoc === true && { sourceIds: t.sources.map((s) => s.id) }),
      since: since.toISOString(),
      until: until.toISOString(),
    });
    const spec = summarizerSpec(t, env);
    const failing = await failingSources(t.id);
    const contentKey = contentKeyOf([
      BRIEF_PIPELINE_REVISION,
      summarizerName(spec),
      windowText,
      t.summarizer.maxStories,
      articles.map((a) => [a.id, a.contentHash]),
      failing.map((f) => [f.sourceId, f.failureStreak]),
    ]);
    const existing = await store.briefs.byContentKey(t.id, contentKey);
    if (existing) {
      await store.cache.set('latest-brief', latestKey, existing.id);
      return existing;
    }
    let built;
    const buildStarted = performance.now();
    try {
      built = await builder(
        { topic: buildTopic(t), articles, window: { since, until: at }, now: at, failingSources: failing, summarizer: spec },
        options.onBuildProgress,
      );
    } catch (error) {
      if (!(error instanceof BuildBudgetError)) throw error;
      const stale = await latestStored(latestKey);
      logger.warn(
        { topic: t.id, articles: articles.length, budgetMs: error.budgetMs, stale: stale?.id },
        'brief build ran past its time budget and was stopped',
      );
      throw new BuildBudgetError({ topicId: t.id, budgetMs: error.budgetMs, articles: articles.length, ...(stale && { stale }) });
    }
    const stored: StoredBrief = {
      id: `brf_${randomUUID()}`,
      topicId: t.id,
      brief: built.brief,
      articleMap: built.articleMap,
      contentKey,
      createdAt: at.toISOString(),
    };
    await store.briefs.save(stored);
    await store.cache.set('latest-brief', latestKey, stored.id);
    logger.info(
      {
        topic: t.id,
        brief: stored.id,
        articles: articles.length,
        stories: built.brief.stories.length,
        dropped: built.droppedCount,
        buildMs: Math.round(performance.now() - buildStarted),
      },
      'brief built',
    );
    return stored;
  }

  async function answer(briefId: string, question: string): Promise<Answer> {
    const stored = await store.briefs.byId(briefId);
    if (!stored) return { text: 'That brief is no longer stored, so I cannot answer from its sources.', sources: [], answered: false };
    const storeIds = stored.brief.articles.map((a) => stored.articleMap[a.id]).filter((id): id is string => id !== undefined);
    const byStoreId = new Map((await store.articles.byIds(storeIds)).map((a) => [a.id, a]));
    const sources = stored.brief.articles.flatMap((a) => {
      const article = byStoreId.get(stored.articleMap[a.id] ?? '');
      return article ? [{ id: a.id, title: a.title, url: a.url, text: article.text }] : [];
    });
    // The brief's topic decides how answers are written, as it decides how briefs are: its
    // model and streaming; an extractive topic quotes passages. A topic no longer (or never)
    // configured, such as an ad-hoc one from --source, gets the defaults.
    const settings = topics.get(stored.topicId)?.summarizer;
    const useLlm = env.openai !== undefined && settings?.kind !== 'extractive';
    const result = await answerQuestion(question, sources, {
      ...(useLlm && {
        llm: {
          apiKey: env.openai!.apiKey,
          model: settings?.model ?? env.openai!.model,
          ...(env.openai!.baseURL !== undefined && { baseURL: env.openai!.baseURL }),
          ...(settings?.stream === true && { stream: true }),
        },
      }),
      cache: store.cache,
      logger,
    });
    return { text: result.text, sources: result.sources, answered: result.answered };
  }

  return {
    topics: () => [...topics.values()],
    topic,
    brief,
    storedBrief: (id) => store.briefs.byId(id),
    answer,
    failingSources,
    addTopic: (t) => {
      topics.set(t.id, t);
    },
  };
}
