/**
 * Reading a local source's files: bytes, hash and parse, in order. With enough feeds and pages
 * to parse, the work goes to worker threads (read-worker.ts) while this thread stores what was
 * read before: on two cores, parsing 20 feed files of 500 items each no longer waits for their
 * storing, nor the other way round. The worker also turns each feed item's HTML into text.
 * Dedupe (hashes, shingles, MinHash) stays on the main thread: there it fills time the main
 * thread would spend waiting for the worker, which parsing keeps the busier of the two (taken on
 * the worker, it made collecting 20 feeds of 500 items 0.5 s slower).
 *
 * Files come back in the order given, so warnings, article order and the stored result are the
 * same as when read here. A worker that dies (out of memory, a crash) loses nothing: the files
 * it had not delivered are read on this thread.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { oneLine } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { startWorker } from '../core/worker.ts';
import type { LocalFileState } from '../store/port.ts';
import { FEED_EXTENSIONS, parseLocalFile, readLocalFile, type LocalDocument, type LocalFile } from './local.ts';
import { htmlToArticleText } from './pages/index.ts';

/** What reading one file gave: its validators and documents, or why it could not be read. */
export type FileRead =
  | {
      readonly file: LocalFile;
      readonly state: LocalFileState;
      /** Absent when the bytes hash as recorded: nothing to parse. */
      readonly documents?: readonly LocalDocument[];
    }
  | { readonly file: LocalFile; readonly error: string };

/** One file to read, and the hash recorded for it when it was last ingested. */
export interface FileToRead {
  readonly file: LocalFile;
  readonly recordedHash?: string;
}

/**
 * Reads and parses one file (on whichever thread runs it). `prepare`: also turn feed items' HTML
 * into text, as storing them would, so that a reader thread does it.
 */
export function readOneFile({ file, recordedHash }: FileToRead, prepare: boolean): FileRead {
  try {
    const bytes = readLocalFile(file);
    const state: LocalFileState = { ...file, hash: createHash('sha256').update(bytes).digest('hex'), checkedAtMs: Date.now() };
    if (recordedHash === state.hash) return { file, state };
    const documents = parseLocalFile(file.path, bytes);
    return { file, state, documents: prepare ? documents.map(prepared) : documents };
  } catch (error) {
    return { file, error: oneLine(error) };
  }
}

/** A feed with its items' texts taken here. */
function prepared(doc: LocalDocument): LocalDocument {
  if (doc.kind === 'article') return doc;
  const texts = doc.feed.items.map((item) => htmlToArticleText(item.content ?? item.summary ?? ''));
  // The items' HTML is not sent back: their texts stand in for it, and copying it cost both threads.
  const items = doc.feed.items.map(({ content: _content, summary: _summary, ...rest }) => rest);
  return { ...doc, feed: { ...doc.feed, items }, itemTexts: texts };
}

/**
 * By default reader threads are used for feeds and HTML pages only, and only for this many bytes
 * of them or more. Parsing those (XML, then each item's or page's HTML through a DOM) is what
 * costs; a plain-text or Markdown file parses in about 0.1 ms. For a folder of 10,000 of them a
 * reader can save time only when it may run more than an ingest batch ahead and takes the dedupe
 * sketches while this thread stores (the ingest bench, medians of 5: 6.9 s → 5.7 s), but the
 * brief's peak memory then rose from about 290 to 300–311 MB, past its 300 MB budget: the
 * thread's allocations stay with the process. So plain text stays on this thread.
 */
export const MIN_PARSED_BYTES_FOR_WORKERS = 1024 * 1024;
const PARSED_EXTENSIONS = new Set([...FEED_EXTENSIONS, '.html', '.htm']);

/** Reader threads for these files: as many as asked, else by core count when enough of them need parsing. */
export function readersFor(files: readonly FileToRead[], asked: number | undefined): number {
  if (files.length < 2) return 0;
  if (asked !== undefined) return asked;
  let bytes = 0;
  for (const { file } of files) if (PARSED_EXTENSIONS.has(extname(file.path).toLowerCase())) bytes += file.size;
  return bytes >= MIN_PARSED_BYTES_FOR_WORKERS ? defaultReaders() : 0;
}

/** A chunk (files sent to a worker per message) closes at this many bytes… */
const CHUNK_BYTES = 256 * 1024;
/** …or at this many files. */
const CHUNK_FILES = 64;

/** The file list cut into chunks of about CHUNK_BYTES: a 2 MB feed goes alone, small texts by dozens. */
function chunksOf(files: readonly FileToRead[]): FileToRead[][] {
  const chunks: FileToRead[][] = [];
  let current: FileToRead[] = [];
  let bytes = 0;
  for (const file of files) {
    current.push(file);
    bytes += file.file.size;
    if (bytes >= CHUNK_BYTES || current.length >= CHUNK_FILES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Chunks handed out and not yet taken, per worker: enough to keep it busy, few enough to bound memory. */
const CHUNKS_AHEAD = 4;

export interface ReadOptions {
  readonly logger: Logger;
  /** Worker threads (default: see readersFor; 0 reads on this thread). */
  readonly workers?: number;
  /** Old-generation heap cap per worker, MB. */
  readonly maxHeapMb?: number;
}

/** A worker's heap cap: a 20 MB file (the cap) takes a few hundred MB to parse. */
const DEFAULT_MAX_HEAP_MB = 1024;

export function defaultReaders(): number {
  return Math.max(1, Math.min(3, availableParallelism() - 1));
}

/** The files read and parsed, in the order given. */
export async function* readFiles(files: readonly FileToRead[], options: ReadOptions): AsyncGenerator<FileRead> {
  const workers = readersFor(files, options.workers);
  if (workers === 0) {
    for (const file of files) yield readOneFile(file, false);
    return;
  }
  const chunks = chunksOf(files);
  const pool = new ReaderPool(chunks, Math.min(workers, chunks.length), options.logger, options.maxHeapMb ?? DEFAULT_MAX_HEAP_MB);
  try {
    for (let chunk = 0; chunk < pool.chunkCount; chunk += 1) yield* await pool.take(chunk);
  } finally {
    await pool.close();
  }
}

/** Message from a read worker: the reads of one chunk. */
export interface ReadReply {
  readonly chunk: number;
  readonly reads: FileRead[];
}

/** Message to a read worker: a chunk of files to read. */
export interface ReadRequest {
  readonly chunk: number;
  readonly files: FileToRead[];
}

/** Workers reading chunks of the file list ahead of the consumer; chunks are taken in order. */
class ReaderPool {
  readonly chunkCount: number;
  private readonly done = new Map<number, FileRead[]>();
  private readonly waiting = new Map<number, (reads: FileRead[]) => void>();
  /** Chunks handed to a worker and not yet delivered. */
  private readonly out = new Set<number>();
  private readonly workers: Worker[] = [];
  private next = 0;
  private failed = false;

  constructor(
    private readonly chunks: readonly FileToRead[][],
    size: number,
    private readonly logger: Logger,
    maxHeapMb: number,
  ) {
    this.chunkCount = chunks.length;
    for (let i = 0; i < size; i += 1) this.spawn(maxHeapMb);
    this.handOut();
  }

  /** The reads of `chunk`, once read (on this thread when the workers have failed). */
  async take(chunk: number): Promise<FileRead[]> {
    const ready = this.done.get(chunk);
    const reads =
      ready ??
      (this.failed && !this.out.has(chunk)
        ? this.readHere(chunk)
        : await new Promise<FileRead[]>((resolve) => this.waiting.set(chunk, resolve)));
    this.done.delete(chunk);
    this.handOut();
    return reads;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }

  private filesOf(chunk: number): FileToRead[] {
    return this.chunks[chunk]!;
  }

  private readHere(chunk: number): FileRead[] {
    return this.filesOf(chunk).map((file) => readOneFile(file, false));
  }

  private spawn(maxHeapMb: number): void {
    const worker = startWorker(import.meta.url, 'read-worker', { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    worker.on('message', (reply: ReadReply) => {
      // After a failure every chunk not yet delivered is read on this thread.
      if (this.failed) return;
      this.out.delete(reply.chunk);
      this.deliver(reply.chunk, reply.reads);
      this.handOut();
    });
    worker.on('error', (error) => this.onDeath(worker, error));
    worker.on('exit', (code) => this.onDeath(worker, new Error(`exited with code ${code}`)));
    this.workers.push(worker);
  }

  private deliver(chunk: number, reads: FileRead[]): void {
    const resolve = this.waiting.get(chunk);
    this.waiting.delete(chunk);
    if (resolve) resolve(reads);
    else this.done.set(chunk, reads);
  }

  /** Hands chunks to idle workers, staying at most CHUNKS_AHEAD per worker ahead of the consumer. */
  private handOut(): void {
    if (this.failed) return;
    const pending = this.out.size + this.done.size;
    let room = CHUNKS_AHEAD * this.workers.length - pending;
    while (room > 0 && this.next < this.chunkCount) {
      const worker = this.workers[this.next % this.workers.length]!;
      const chunk = this.next++;
      this.out.add(chunk);
      worker.postMessage({ chunk, files: this.filesOf(chunk) } satisfies ReadRequest);
      room -= 1;
    }
  }

  /** A worker died: every chunk still out, and every later one, is read on this thread. */
  private onDeath(worker: Worker, error: Error): void {
    if (!this.workers.includes(worker) || this.failed) return;
    this.failed = true;
    this.logger.warn({ err: oneLine(error) }, 'a file reader thread stopped; reading the rest on the main thread');
    for (const chunk of [...this.out].sort((a, b) => a - b)) {
      this.out.delete(chunk);
      if (this.waiting.has(chunk)) this.deliver(chunk, this.readHere(chunk));
    }
    // Chunks never handed out are read by take() itself.
    this.next = this.chunkCount;
    void this.close();
  }
}
