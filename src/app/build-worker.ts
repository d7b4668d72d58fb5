/**
 * A build worker: runs brief builds (cluster, summarize, verify) off the serving thread, one
 * job at a time. Loaded by build-pool.ts as compiled JS (dist/) in production and through
 * tsx from the TypeScript sources in tests and benches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { oneLine } from '../core/errors.ts';
import type { CacheRepo } from '../store/port.ts';
import type { Article } from '../core/types.ts';
import { inProcessBuilder, type BuildJob } from './build.ts';
import type { FromWorker, ToWorker, WorkerSettings } from './build-protocol.ts';

const port = parentPort;
if (!port) throw new Error('build-worker.ts runs as a worker thread (see build-pool.ts)');
const settings = workerData as WorkerSettings;
const send = (message: FromWorker): void => port.postMessage(message);

/** Log lines go to the main thread's logger (its destination, redaction and level). */
const logger = pino({ level: settings.logLevel, base: null }, { write: (line: string) => send({ type: 'log', line }) });

/** The store's cache, reached through the main thread. */
let nextCall = 0;
const calls = new Map<number, { resolve: (value: string | undefined) => void; reject: (error: Error) => void }>();
function call(message: FromWorker & { callId: number }): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    calls.set(message.callId, { resolve, reject });
    send(message);
  });
}
const cache: CacheRepo = {
  get: (namespace, key) => call({ type: 'cache-get', callId: ++nextCall, namespace, key }),
  set: async (namespace, key, value, ttlSeconds) => {
    await call({ type: 'cache-set', callId: ++nextCall, namespace, key, value, ...(ttlSeconds !== undefined && { ttlSeconds }) });
  },
};

const build = inProcessBuilder(cache, logger);

/** The job whose articles are arriving. */
let incoming: { jobId: number; job: BuildJob; articles: Article[]; expected: number } | undefined;

function startWhenComplete(): void {
  if (!incoming || incoming.articles.length < incoming.expected) return;
  const { jobId, job, articles } = incoming;
  incoming = undefined;
  build({ ...job, articles }).then(
    (built) => send({ type: 'done', jobId, built }),
    (error: unknown) => send({ type: 'failed', jobId, message: oneLine(error) }),
  );
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'cache-reply': {
      const pending = calls.get(message.callId);
      calls.delete(message.callId);
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.value);
      return;
    }
    case 'build':
      incoming = { jobId: message.jobId, job: message.job, articles: [], expected: message.articleCount };
      startWhenComplete();
      return;
    case 'articles':
      if (incoming?.jobId !== message.jobId) return;
      for (const article of message.articles) incoming.articles.push(article);
      startWhenComplete();
  }
});
