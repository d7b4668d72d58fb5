/**
 * A file reader worker: reads and parses the chunks of files read-files.ts sends it. Loaded as
 * compiled JS (dist/) in production and through tsx from the TypeScript sources in tests.
 */
import { parentPort } from 'node:worker_threads';
import { readOneFile, type ReadReply, type ReadRequest } from './read-files.ts';

const port = parentPort;
if (!port) throw new Error('read-worker.ts runs as a worker thread (see read-files.ts)');

port.on('message', (request: ReadRequest) => {
  port.postMessage({ chunk: request.chunk, reads: request.files.map((file) => readOneFile(file, request.prepare)) } satisfies ReadReply);
});
