/**
 * A helper thread counting terms for cluster-threads.ts: documents arrive in batches, and after
 * the last one the counts of all of them go back, flat. Loaded as compiled JS (dist/) in
 * production and through tsx from the TypeScript sources in tests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TermCounter, type VectorWeights } from './term-counts.ts';
import { flatten, type CountRequest } from './cluster-threads.ts';

const port = parentPort;
if (!port) throw new Error('cluster-worker.ts runs as a worker thread (see cluster-threads.ts)');

const counter = new TermCounter((workerData as { weighting: VectorWeights }).weighting);
port.on('message', (request: CountRequest) => {
  counter.add(request.docs);
  if (!request.last) return;
  const flat = flatten(counter.result());
  // Moved, not copied: the arrays are this thread's own (never shared) buffers.
  port.postMessage(
    flat,
    [flat.entity, flat.offsets, flat.terms, flat.tf].map((array) => array.buffer as ArrayBuffer),
  );
});
