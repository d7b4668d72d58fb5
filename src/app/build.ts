/**
 * Building a brief from its inputs, where the CPU work happens: in this thread (the CLI,
 * which has nothing else to do) or in a worker thread (serve: see build-pool.ts), behind the
 * same function type so the brief service does not care which.
 */
import { availableParallelism } from 'node:os';
import type { Article, SourceHealth, Topic } from '../core/types.ts';
import type { Logger } from '../core/log.ts';
import { buildBrief, type BuildProgress, type BuiltBrief } from '../brief/index.ts';
import type { CacheRepo } from '../store/port.ts';
import { createSummarizer, type SummarizerSpec } from './summarizer.ts';

/** Everything a build needs, as plain data (it is copied into a worker as it is). */
export interface BuildJob {
  readonly topic: Pick<Topic, 'id' | 'summarizer'>;
  readonly articles: readonly Article[];
  readonly window: { readonly since: Date; readonly until: Date };
  readonly now: Date;
  readonly failingSources: readonly SourceHealth[];
  readonly summarizer: SummarizerSpec;
}

export type BriefBuilder = (job: BuildJob, onProgress?: (progress: BuildProgress) => void) => Promise<BuiltBrief>;

/** The topic fields a build uses, without the rest (matchers hold functions, which don't copy). */
export function buildTopic(topic: Topic): BuildJob['topic'] {
  return { id: topic.id, summarizer: topic.summarizer };
}

/**
 * Threads a build in the calling thread may add for clustering: the cores beyond this one, at
 * most 3 (a CLI command has nothing else to run meanwhile).
 */
export function spareThreads(): number {
  return Math.max(0, Math.min(3, availableParallelism() - 1));
}

/** Builds in the calling thread, clustering with `clusterHelpers` more threads for big windows (default 0). */
export function inProcessBuilder(cache: CacheRepo, logger: Logger, options: { readonly clusterHelpers?: number } = {}): BriefBuilder {
  return (job, onProgress) =>
    buildBrief({
      ...(options.clusterHelpers !== undefined && { clusterHelpers: options.clusterHelpers }),
      topic: job.topic,
      articles: job.articles,
      window: job.window,
      now: job.now,
      failingSources: job.failingSources,
      summarizer: createSummarizer(job.summarizer, cache, logger),
      logger,
      ...(onProgress && { onProgress }),
    });
}
