/**
 * A pool of worker threads that build briefs, so that in `serve` a build (clustering,
 * summarizing, verifying thousands of articles) never holds the event loop: Slack acks,
 * Discord defers, health checks and other channels are answered while it runs.
 *
 * Each build has a time budget. A build past it is stopped — its worker terminated, which a
 * worker thread allows and a promise on the main thread would not — and the caller gets a
 * BuildBudgetError (the brief service adds the last stored brief to it; see brief-service).
 * A worker that dies (out of memory under `maxHeapMb`, a crash) fails its job alone and is
 * replaced by the next job.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { BriefbotError, BuildBudgetError, oneLine } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { startWorker } from '../core/worker.ts';
import type { BuiltBrief } from '../brief/index.ts';
import type { CacheRepo } from '../store/port.ts';
import type { BriefBuilder, BuildJob } from './build.ts';
import type { FromWorker, ToWorker, WorkerSettings } from './build-protocol.ts';

export interface BuildPoolOptions {
  /** Worker threads (default: one per core beyond the serving thread's, at least 1, at most 4). */
  readonly size?: number;
  /** Longest a build may run before it is stopped, ms. */
  readonly budgetMs: number;
  /** The store's cache (LLM replies), which workers reach through this thread. */
  readonly cache: CacheRepo;
  readonly logger: Logger;
  /** Old-generation heap cap per worker, MB: a pathological build fails alone instead of taking the process down. */
  readonly maxHeapMb?: number;
}

export const DEFAULT_BUILD_BUDGET_MS = 120_000;
const DEFAULT_MAX_HEAP_MB = 1024;
/** Articles copied to a worker per message (copying is synchronous on this thread). */
const TRANSFER_CHUNK = 500;

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

interface Pending {
  readonly job: BuildJob;
  readonly resolve: (built: BuiltBrief) => void;
  readonly reject: (error: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  current?: { readonly id: number; readonly pending: Pending; readonly timer: NodeJS.Timeout; readonly startedAt: number } | undefined;
  dead: boolean;
}

const PINO_LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

function startBuildWorker(settings: WorkerSettings, maxHeapMb: number): Worker {
  return startWorker(import.meta.url, 'build-worker', { workerData: settings, resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
}

export class BuildPool {
  /** The brief service's builder: every build goes through the pool. */
  readonly builder: BriefBuilder = (job) => this.run(job);
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextJob = 0;
  private closed = false;

  constructor(private readonly options: BuildPoolOptions) {
    this.size = Math.max(1, options.size ?? defaultPoolSize());
  }

  /** Builds in a worker; rejects with BuildBudgetError past the budget. */
  run(job: BuildJob): Promise<BuiltBrief> {
    if (this.closed) return Promise.reject(new BriefbotError('INTERNAL', 'the build pool is closed (shutting down)'));
    return new Promise<BuiltBrief>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Workers started, builds running and builds waiting (for logs and benches). */
  stats(): { workers: number; busy: number; queued: number } {
    return { workers: this.slots.length, busy: this.slots.filter((s) => s.current).length, queued: this.queue.length };
  }

  /** Stops every worker; builds running or waiting are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const stopping = new BriefbotError('INTERNAL', 'the build pool was closed (shutting down)');
    for (const pending of this.queue.splice(0)) pending.reject(stopping);
    await Promise.all(this.slots.splice(0).map((slot) => this.retire(slot, stopping)));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => !s.current && !s.dead);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = startBuildWorker({ logLevel: this.options.logger.level }, this.options.maxHeapMb ?? DEFAULT_MAX_HEAP_MB);
    const slot: Slot = { worker, dead: false };
    worker.on('message', (message: FromWorker) => void this.onMessage(slot, message));
    worker.on('error', (error) => this.onDeath(slot, error));
    worker.on('exit', (code) => this.onDeath(slot, new Error(`worker exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, pending: Pending): void {
    const id = ++this.nextJob;
    const budgetMs = this.options.budgetMs;
    const timer = setTimeout(() => {
      const error = new BuildBudgetError({ topicId: pending.job.topic.id, budgetMs, articles: pending.job.articles.length });
      void this.retire(slot, error);
      this.dispatch();
    }, budgetMs);
    slot.current = { id, pending, timer, startedAt: performance.now() };
    void this.send(slot, id, pending.job);
  }

  /** Posts a job, its articles in chunks with a turn of the event loop between them. */
  private async send(slot: Slot, id: number, job: BuildJob): Promise<void> {
    const { articles } = job;
    slot.worker.postMessage({ type: 'build', jobId: id, job: { ...job, articles: [] }, articleCount: articles.length } satisfies ToWorker);
    for (let i = 0; i < articles.length; i += TRANSFER_CHUNK) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (slot.dead || slot.current?.id !== id) return;
      slot.worker.postMessage({ type: 'articles', jobId: id, articles: articles.slice(i, i + TRANSFER_CHUNK) } satisfies ToWorker);
    }
  }

  private finish(slot: Slot): Pending | undefined {
    const current = slot.current;
    if (!current) return undefined;
    clearTimeout(current.timer);
    slot.current = undefined;
    return current.pending;
  }

  /** Takes a worker out of the pool and stops it; its job (if any) is rejected with `reason`. */
  private async retire(slot: Slot, reason: unknown): Promise<void> {
    if (slot.dead) return;
    slot.dead = true;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    this.finish(slot)?.reject(reason);
    await slot.worker.terminate();
  }

  private onDeath(slot: Slot, error: Error): void {
    if (slot.dead) return;
    const job = slot.current?.pending.job;
    this.options.logger.error({ topic: job?.topic.id, err: oneLine(error) }, 'a brief build worker died');
    void this.retire(slot, new BriefbotError('INTERNAL', `the brief build worker died: ${oneLine(error)}`, { cause: error }));
    this.dispatch();
  }

  private async onMessage(slot: Slot, message: FromWorker): Promise<void> {
    switch (message.type) {
      case 'done':
      case 'failed': {
        if (slot.current?.id !== message.jobId) return; // a job already stopped or failed
        const pending = this.finish(slot)!;
        if (message.type === 'done') pending.resolve(message.built);
        else pending.reject(new BriefbotError('INTERNAL', message.message));
        this.dispatch();
        return;
      }
      case 'cache-get':
      case 'cache-set': {
        let reply: ToWorker;
        try {
          const value =
            message.type === 'cache-get'
              ? await this.options.cache.get(message.namespace, message.key)
              : await this.options.cache.set(message.namespace, message.key, message.value, message.ttlSeconds);
          reply = { type: 'cache-reply', callId: message.callId, ...(value !== undefined && { value }) };
        } catch (error) {
          reply = { type: 'cache-reply', callId: message.callId, error: oneLine(error) };
        }
        if (!slot.dead) slot.worker.postMessage(reply);
        return;
      }
      case 'log':
        this.relog(message.line);
    }
  }

  private relog(line: string): void {
    try {
      const { level, time: _time, msg, ...fields } = JSON.parse(line) as { level: number; time?: unknown; msg?: string };
      this.options.logger[PINO_LEVELS[level] ?? 'info']({ ...fields, worker: true }, msg ?? '');
    } catch {
      this.options.logger.warn({ line: line.slice(0, 200) }, 'unreadable log line from a build worker');
    }
  }
}
