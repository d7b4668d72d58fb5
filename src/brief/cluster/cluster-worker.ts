/**
 * A helper thread of cluster-threads.ts. It counts terms (documents arrive in batches, and after
 * the last one the counts of all of them go back, flat), then scores the candidate pairs found
 * from the range of documents it is given, over vectors in shared memory. Loaded as compiled JS
 * (dist/) in production and through tsx from the TypeScript sources in tests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { flatten, type HelperRequest } from './cluster-threads.ts';
import { scorePairs, spaceOf } from './pair-scores.ts';
import { TermCounter, type VectorWeights } from './term-counts.ts';

const port = parentPort;
if (!port) throw new Error('cluster-worker.ts runs as a worker thread (see cluster-threads.ts)');

const counter = new TermCounter((workerData as { weighting: VectorWeights }).weighting);
port.on('message', (request: HelperRequest) => {
  if (request.kind === 'count') {
    counter.add(request.docs);
    if (!request.last) return;
    const flat = flatten(counter.result());
    // Moved, not copied: the arrays are this thread's own (never shared) buffers.
    port.postMessage(
      flat,
      [flat.entity, flat.offsets, flat.terms, flat.tf].map((array) => array.buffer as ArrayBuffer),
    );
    return;
  }
  const scores = scorePairs(spaceOf(request.space), request.settings, request.range);
  port.postMessage(
    scores,
    [scores.pairs, scores.cosine, scores.rarity].map((array) => array.buffer as ArrayBuffer),
  );
});
