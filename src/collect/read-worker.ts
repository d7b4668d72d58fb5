/**
 * A file reader worker: reads and parses the chunks of files read-files.ts sends it. Loaded as
 * compiled JS (dist/) in production and through tsx from the TypeScript sources in tests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { preparationNow, readOneFile, type ReaderData, type ReadReply, type ReadRequest } from './read-files.ts';

const port = parentPort;
if (!port) throw new Error('read-worker.ts runs as a worker thread (see read-files.ts)');

const data = workerData as ReaderData;
port.on('message', (request: ReadRequest) => {
  // Asked again for each file: whether the consumer is behind changes while a chunk is read.
  port.postMessage({
    chunk: request.chunk,
    reads: request.files.map((file) => readOneFile(file, preparationNow(data))),
  } satisfies ReadReply);
});
