/**
 * Reading a local source's files: bytes, hash and parse, in order. With a megabyte of files or
 * more, the work goes to worker threads (read-worker.ts) while this thread stores what was read
 * before: on two cores, parsing 20 feed files of 500 items each no longer waits for their
 * storing, nor the other way round. The worker also turns each feed item's HTML into text.
 *
 * Which thread takes an article's dedupe sketch (hash, shingles, MinHash) depends on which one
 * is behind. Parsing feeds and pages keeps the reader the busier one, and the sketches then stay
 * on this thread, filling time it would spend waiting (taken on the reader, they made collecting
 * 20 feeds of 500 items 0.5 s slower). Plain text parses fast, and which thread is behind
 * changes from moment to moment: the reader asks before each file (a flag the consumer sets
 * while read chunks wait for it) and sketches the file's articles while it is ahead.
 *
 * Files come back in the order given, so warnings, article order and the stored result are the
 * same as when read here. A worker that dies (out of memory, a crash) loses nothing: the files
 * it had not delivered are read on this thread.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { oneLine } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { startWorker } from '../core/worker.ts';
import type { LocalFileState } from '../store/port.ts';
import { parseLocalFile, readLocalFile, type LocalDocument, type LocalFile } from './local.ts';
import { MAX_ARTICLE_CHARS } from '../text/bounds.ts';
import { screenArticle } from '../text/instructions.ts';
import { sketchOf } from './dedupe.ts';
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

/** What a reader thread does beyond parsing, so that the thread storing need not. */
export interface Preparation {
  /** Turn feed items' HTML into text. */
  readonly itemTexts: boolean;
  /**
   * Screen each article's text for planted instructions (as collect/context.ts does) and take
   * its dedupe sketch: what storing would do first. Texts over the length cap are left whole, to
   * be capped (with a warning) and screened where they are stored.
   */
  readonly sketches: boolean;
}

const PARSE_ONLY: Preparation = { itemTexts: false, sketches: false };

/** Reads and parses one file (on whichever thread runs it), and does what `prepare` asks. */
export function readOneFile({ file, recordedHash }: FileToRead, prepare: Preparation = PARSE_ONLY): FileRead {
  try {
    const bytes = readLocalFile(file);
    const state: LocalFileState = { ...file, hash: createHash('sha256').update(bytes).digest('hex'), checkedAtMs: Date.now() };
    if (recordedHash === state.hash) return { file, state };
    const documents = parseLocalFile(file.path, bytes);
    return { file, state, documents: documents.map((doc) => prepared(doc, prepare)) };
  } catch (error) {
    return { file, error: oneLine(error) };
  }
}

/** An article screened with its sketch, a feed with its items' texts, as asked. */
function prepared(doc: LocalDocument, prepare: Preparation): LocalDocument {
  if (doc.kind === 'article') {
    if (!prepare.sketches || doc.article.text.length > MAX_ARTICLE_CHARS) return doc;
    const article = screenArticle(doc.article);
    return { ...doc, article, sketch: sketchOf(article.text) };
  }
  if (!prepare.itemTexts) return doc;
  const texts = doc.feed.items.map((item) => htmlToArticleText(item.content ?? item.summary ?? ''));
  // The items' HTML is not sent back: their texts stand in for it, and copying it cost both threads.
  const items = doc.feed.items.map(({ content: _content, summary: _summary, ...rest }) => rest);
  return { ...doc, feed: { ...doc.feed, items }, itemTexts: texts };
}

/**
 * By default reader threads are used for this many bytes of files or more: below it, starting a
 * thread (some 30 ms) is a large share of the work. Plain text counts too: parsing it is quick,
 * but with a reader reading ahead and taking dedupe sketches, 10,000 text files brief in 5.4 s
 * instead of 6.9 s, for 17 MB more peak memory (273 MB; the ingest bench, medians of 5).
 */
const MIN_BYTES_FOR_WORKERS = 1024 * 1024;

/** Reader threads for these files: as many as asked, else by core count when there is enough to read. */
export function readersFor(files: readonly FileToRead[], asked: number | undefined): number {
  if (files.length < 2) return 0;
  if (asked !== undefined) return asked;
  let bytes = 0;
  for (const { file } of files) bytes += file.size;
  return bytes >= MIN_BYTES_FOR_WORKERS ? defaultReaders() : 0;
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

/**
 * How far the readers may run ahead of the consumer (files handed out and not yet taken): more
 * than the files of one ingest batch (500, collect/context.ts), so that they keep reading while
 * the consumer stores a batch. With at most 256 files ahead, the reader stalled during each store
 * and the consumer then waited for it: 10,000 text files took 6.3 s, against 5.7 s with 1,024
 * (before readers took sketches)…
 */
const AHEAD_FILES = 1024;
/** …and at most this many bytes of files, to bound memory with big ones. */
const AHEAD_BYTES = 16 * 1024 * 1024;

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
    for (const file of files) yield readOneFile(file);
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

/**
 * What a read worker is started with: one shared 32-bit flag, set by the consumer while read
 * chunks wait for it and cleared while it waits for them. A worker reads it before each file and
 * sketches the file's articles while it is set (see ReaderPool.take).
 */
export interface ReaderData {
  readonly consumerBehind: Int32Array;
}

/** What a worker prepares of the next file: item texts always, sketches while the consumer is behind. */
export function preparationNow(data: ReaderData): Preparation {
  return Atomics.load(data.consumerBehind, 0) === 1 ? SKETCHED : ITEM_TEXTS;
}

const ITEM_TEXTS: Preparation = { itemTexts: true, sketches: false };
const SKETCHED: Preparation = { itemTexts: true, sketches: true };

/** Workers reading chunks of the file list ahead of the consumer; chunks are taken in order. */
class ReaderPool {
  readonly chunkCount: number;
  private readonly done = new Map<number, FileRead[]>();
  private readonly waiting = new Map<number, (reads: FileRead[]) => void>();
  /** Chunks handed to a worker and not yet delivered. */
  private readonly out = new Set<number>();
  private readonly workers: Worker[] = [];
  /** Shared with the workers (ReaderData): 1 while read chunks wait for the consumer. */
  private readonly consumerBehind = new Int32Array(new SharedArrayBuffer(4));
  /** Files and bytes in the chunks before each chunk (prefix sums), to bound how far readers go ahead. */
  private readonly filesBefore: number[] = [0];
  private readonly bytesBefore: number[] = [0];
  /** The next chunk to hand out, and the next one the consumer takes. */
  private next = 0;
  private nextTaken = 0;
  private failed = false;

  constructor(
    private readonly chunks: readonly FileToRead[][],
    size: number,
    private readonly logger: Logger,
    maxHeapMb: number,
  ) {
    this.chunkCount = chunks.length;
    for (const chunk of chunks) {
      this.filesBefore.push(this.filesBefore.at(-1)! + chunk.length);
      this.bytesBefore.push(this.bytesBefore.at(-1)! + chunk.reduce((sum, f) => sum + f.file.size, 0));
    }
    for (let i = 0; i < size; i += 1) this.spawn(maxHeapMb);
    this.handOut();
  }

  /** The reads of `chunk`, once read (on this thread when the workers have failed). */
  async take(chunk: number): Promise<FileRead[]> {
    const ready = this.done.get(chunk);
    // Waiting for a read chunk: the readers are behind, this thread takes the sketches.
    if (!ready) Atomics.store(this.consumerBehind, 0, 0);
    const reads =
      ready ??
      (this.failed && !this.out.has(chunk)
        ? this.readHere(chunk)
        : await new Promise<FileRead[]>((resolve) => this.waiting.set(chunk, resolve)));
    this.done.delete(chunk);
    this.nextTaken = chunk + 1;
    // The next chunk read already: this thread is behind, the readers take the sketches.
    if (this.done.has(this.nextTaken)) Atomics.store(this.consumerBehind, 0, 1);
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
    return this.filesOf(chunk).map((file) => readOneFile(file));
  }

  private spawn(maxHeapMb: number): void {
    const worker = startWorker(import.meta.url, 'read-worker', {
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
      workerData: { consumerBehind: this.consumerBehind } satisfies ReaderData,
    });
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

  /** Hands chunks to the workers in turn, up to AHEAD_FILES and AHEAD_BYTES ahead of the consumer (and always one chunk per worker). */
  private handOut(): void {
    if (this.failed) return;
    while (this.next < this.chunkCount) {
      const pending = this.next - this.nextTaken;
      const files = this.filesBefore[this.next]! - this.filesBefore[this.nextTaken]!;
      const bytes = this.bytesBefore[this.next]! - this.bytesBefore[this.nextTaken]!;
      if (pending >= this.workers.length && (files >= AHEAD_FILES || bytes >= AHEAD_BYTES)) break;
      const worker = this.workers[this.next % this.workers.length]!;
      const chunk = this.next++;
      this.out.add(chunk);
      worker.postMessage({ chunk, files: this.filesOf(chunk) } satisfies ReadRequest);
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
