/**
 * The BriefService over the real pipeline and store: collect → list the window → build (or
 * reuse) → store. The CLI and every chat adapter go through this one implementation.
 */
import { createHash, randomUUID } from 'node:crypto';
import { answerQuestion } from '../answer/index.ts';
import type { EnvSettings } from '../config/load.ts';
import { parseSince } from '../core/window.ts';
import { ConfigError, UnknownTopicError } from '../core/errors.ts';
import { maskUrl, maskUrlsIn } from '../core/redact.ts';
import type { Logger } from '../core/log.ts';
import type { SourceHealth, StoredBrief, Summarizer, Topic } from '../core/types.ts';
import { BRIEF_PIPELINE_REVISION, buildBrief } from '../brief/index.ts';
import { collectTopics, type CollectReport } from '../collect/index.ts';
import type { HttpClient } from '../collect/http/client.ts';
import type { Store } from '../store/port.ts';
import { ExtractiveSummarizer } from '../brief/summarize/extractive.ts';
import { LlmSummarizer } from '../brief/summarize/llm.ts';
import type { Answer, BriefRequest, BriefService } from '../core/service.ts';

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
}

export interface BriefServiceExtras {
  /** Builds with an explicit collect step skipped (e.g. right after `collect`). */
  brief(topicId: string, request?: BriefRequest & { readonly collect?: boolean }): Promise<StoredBrief>;
  /** Adds a topic for this process only (ad-hoc topics from `--source`). */
  addTopic(topic: Topic): void;
}

/** Chooses the summarizer a topic's settings and the environment ask for. */
export function summarizerFor(topic: Topic, env: EnvSettings, store: Store, logger: Logger): Summarizer {
  const extractive = new ExtractiveSummarizer();
  const kind = topic.summarizer.kind;
  if (kind === 'extractive' || (kind === 'auto' && env.openai === undefined)) return extractive;
  if (env.openai === undefined) {
    throw new ConfigError(`topic ${topic.id}: summarizer.kind is "llm" but OPENAI_API_KEY is not set`, 'OPENAI_API_KEY');
  }
  return new LlmSummarizer({
    apiKey: env.openai.apiKey,
    ...(env.openai.baseURL !== undefined && { baseURL: env.openai.baseURL }),
    model: topic.summarizer.model ?? env.openai.model,
    ...(topic.summarizer.maxTokensPerBrief !== undefined && { maxTokensPerBrief: topic.summarizer.maxTokensPerBrief }),
    ...(topic.summarizer.stream === true && { stream: true }),
    cache: store.cache,
    fallback: extractive,
    logger,
  });
}

function contentKeyOf(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export function createBriefService(options: BriefServiceOptions): BriefService & BriefServiceExtras {
  const { env, store, logger } = options;
  const topics = new Map(options.topics.map((t) => [t.id, t]));
  const now = options.now ?? (() => new Date());

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

  async function brief(topicId: string, request: BriefRequest & { collect?: boolean } = {}): Promise<StoredBrief> {
    const t = topic(topicId);
    const windowText = request.window ?? t.window;
    // Validate the window before any work, so a typo fails fast.
    parseSince(windowText, now(), request.window !== undefined ? 'window' : `topic ${t.id} window`);
    const latestKey = `${t.id}\u0000${windowText}`;
    if (request.maxAgeMs !== undefined) {
      const latestId = await store.cache.get('latest-brief', latestKey);
      const latest = latestId !== undefined ? await store.briefs.byId(latestId) : undefined;
      if (latest && now().getTime() - Date.parse(latest.createdAt) < request.maxAgeMs) return latest;
    }
    if (request.collect !== false) {
      const report = await collectTopics([t], { store, logger, now, ...(options.http && { http: options.http }) });
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
    const summarizer = summarizerFor(t, env, store, logger);
    const failing = await failingSources(t.id);
    const contentKey = contentKeyOf([
      BRIEF_PIPELINE_REVISION,
      summarizer.name,
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
    const built = await buildBrief({ topic: t, articles, window: { since, until: at }, summarizer, logger, now: at, failingSources: failing });
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
      { topic: t.id, brief: stored.id, articles: articles.length, stories: built.brief.stories.length, dropped: built.droppedCount },
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
