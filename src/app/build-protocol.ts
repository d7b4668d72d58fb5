/**
 * Messages between the build pool (main thread) and a build worker. Everything is plain
 * data (structured clone): a job's articles go in (in chunks, so that copying 10,000 of them
 * never holds the main thread long), the built brief comes out; the worker's
 * cache reads and writes and its log lines come back to the main thread, which owns the
 * store and the logger.
 */
import type { BuiltBrief } from '../brief/index.ts';
import type { BuildJob } from './build.ts';

/** Given to each worker at start (workerData). */
export interface WorkerSettings {
  /** The main logger's level, so the worker does not format lines nobody keeps. */
  readonly logLevel: string;
}

export type ToWorker =
  /** A job without its articles, which follow in `articles` messages (`articleCount` in all). */
  | { readonly type: 'build'; readonly jobId: number; readonly job: BuildJob; readonly articleCount: number }
  | { readonly type: 'articles'; readonly jobId: number; readonly articles: BuildJob['articles'] }
  | { readonly type: 'cache-reply'; readonly callId: number; readonly value?: string; readonly error?: string };

export type FromWorker =
  | { readonly type: 'done'; readonly jobId: number; readonly built: BuiltBrief }
  | { readonly type: 'failed'; readonly jobId: number; readonly message: string }
  | { readonly type: 'cache-get'; readonly callId: number; readonly namespace: string; readonly key: string }
  | {
      readonly type: 'cache-set';
      readonly callId: number;
      readonly namespace: string;
      readonly key: string;
      readonly value: string;
      readonly ttlSeconds?: number;
    }
  /** One pino JSON line, re-logged by the main thread's logger. */
  | { readonly type: 'log'; readonly line: string };
