/**
 * Local sources: a file or a folder of article files (.txt, .md, .html, .json) and feed files
 * (.xml, .rss, .atom, .rdf, JSON Feed). Listing reads no file (sizes and mtimes only), so an
 * unchanged file can be skipped; each file is then read alone: an unreadable one is reported
 * and the rest go on.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Zod from 'zod';
import { BriefbotError, oneLine } from '../core/errors.ts';
import { LoopYielder } from '../core/yield.ts';
import { lazy, lazyPackage } from '../core/lazy-package.ts';
import type { ArticleContent } from '../core/types.ts';
import { toIsoDate } from '../text/dates.ts';
import { looksBinary, notArticleReason } from './article-shape.ts';
import { megabytes } from '../core/units.ts';
import { extractFromHtml, extractFromText } from './pages/index.ts';
import { decodeBody } from './charset.ts';
import { looksLikeFeed, parseFeed, type ParsedFeed } from './feeds/index.ts';
import type { DedupeSketch } from './dedupe.ts';

export const ARTICLE_EXTENSIONS = new Set(['.txt', '.md', '.markdown', '.html', '.htm', '.json']);
export const FEED_EXTENSIONS = new Set(['.xml', '.rss', '.atom', '.rdf']);
/** Largest local file read; bigger ones are reported, not loaded. */
export const MAX_FILE_BYTES = 20_000_000;
/** Characters of a text or Markdown file read (five times the article text cap). */
const MAX_TEXT_FILE_CHARS = 1_000_000;
/** Folders are walked this deep at most (symlink loops, accidental home directories). */
const MAX_DEPTH = 4;
const MAX_FILES = 20_000;

/** What a local file turned out to be. */
export type LocalDocument =
  | {
      readonly kind: 'article';
      readonly fileUrl: string;
      readonly article: LocalArticle;
      /**
       * The dedupe sketch of the article's text, when a reader thread screened the text and took
       * it (see read-files.ts).
       */
      readonly sketch?: DedupeSketch;
    }
  | {
      readonly kind: 'feed';
      readonly fileUrl: string;
      readonly feed: ParsedFeed;
      /** Each item's text (htmlToArticleText), when a reader thread took it already (see read-files.ts). */
      readonly itemTexts?: readonly ArticleText[];
    };

/** A feed item's HTML as text, and the planted instructions its hidden text carried. */
export interface ArticleText {
  readonly text: string;
  readonly instructions: number;
}

/** An article file's content and its URL: its own http(s) URL when it names one, else the file's. */
export type LocalArticle = ArticleContent & { readonly url: string };

const zod = lazyPackage<typeof Zod>('zod');

function makeArticleSchema(z: typeof Zod.z) {
  return z.object({
    title: z.string().min(1),
    text: z.string().optional(),
    content: z.string().optional(),
    url: z.string().optional(),
    publisher: z.string().optional(),
    author: z.string().optional(),
    publishedAt: z.string().optional(),
    lang: z.string().optional(),
  });
}

/** The schema of a JSON article file, made the first time one is read (the schema library with it). */
const articleJson = lazy(() => makeArticleSchema(zod().z));

function httpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Drops undefined fields, so optional properties are absent rather than undefined. */
function withoutUndefined<T>(obj: { [K in keyof T]: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) if (value !== undefined) out[key] = value;
  return out as T;
}

/** Parses one file's bytes by its extension (sniffing feeds where the extension is vague). */
export function parseLocalFile(path: string, bytes: Uint8Array): LocalDocument[] {
  const fileUrl = pathToFileURL(path).href;
  const ext = extname(path).toLowerCase();
  if (FEED_EXTENSIONS.has(ext) || (ext === '.json' && looksLikeFeed(bytes, 'application/json'))) {
    return [{ kind: 'feed', fileUrl, feed: parseFeed(bytes, { url: fileUrl }) }];
  }
  if (ext === '.json') {
    const text = decodeBody(bytes, 'application/json', 'json').text;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new BriefbotError('PARSE', `not valid JSON: ${oneLine(error)}`);
    }
    const list = Array.isArray(raw) ? raw : [raw];
    return list.map((entry, i) => {
      const parsed = articleJson().safeParse(entry);
      if (!parsed.success) {
        throw new BriefbotError('PARSE', `entry ${i}: expected an article {title, text, url?, publisher?, publishedAt?}`);
      }
      const a = parsed.data;
      const article = withoutUndefined<LocalArticle>({
        url: httpUrl(a.url) ?? (list.length > 1 ? `${fileUrl}#${i + 1}` : fileUrl),
        title: a.title.trim(),
        text: (a.text ?? a.content ?? '').trim(),
        publisher: a.publisher,
        author: a.author,
        publishedAt: toIsoDate(a.publishedAt),
        lang: a.lang,
      });
      return { kind: 'article' as const, fileUrl, article };
    });
  }
  if (ext === '.html' || ext === '.htm') {
    const html = decodeBody(bytes, undefined, 'html').text;
    refuseNonArticle(html, undefined);
    const page = extractFromHtml(html, fileUrl);
    refuseNonArticle(undefined, `${page.title}\n${page.text}`);
    return [{ kind: 'article', fileUrl, article: extractedArticle(page, page.canonicalUrl, fileUrl) }];
  }
  if (looksLikeFeed(bytes)) return [{ kind: 'feed', fileUrl, feed: parseFeed(bytes, { url: fileUrl }) }];
  // Only the head of a huge text file is read: what an article keeps is capped at 200,000
  // characters, and extraction over all of a 20 MB file cost ~600 MB.
  const raw = decodeBody(bytes, undefined, 'text').text.slice(0, MAX_TEXT_FILE_CHARS);
  refuseNonArticle(raw, undefined);
  const extracted = extractFromText(raw, {
    format: ext === '.md' || ext === '.markdown' ? 'markdown' : 'text',
    fileName: path,
  });
  refuseNonArticle(undefined, `${extracted.title}\n${extracted.text}`);
  return [{ kind: 'article', fileUrl, article: extractedArticle(extracted, extracted.url, fileUrl) }];
}

/** Binary content is judged on the raw text, the lack of prose on what extraction kept. */
function refuseNonArticle(raw: string | undefined, extracted: string | undefined): void {
  const reason = raw !== undefined ? (looksBinary(raw) ? 'binary file, not an article' : undefined) : notArticleReason(extracted ?? '');
  if (reason !== undefined) throw new BriefbotError('PARSE', reason);
}

/**
 * Reads a regular file of at most `maxBytes`. Opened without blocking (a FIFO would block
 * the open itself), checked on the open descriptor (no swap between check and read), and
 * read with a bound even if the file grows or lies about its size (/proc, /dev/zero).
 * Synchronous on purpose: a small file costs microseconds where an async read makes four
 * thread-pool round trips (open, stat, read, close) — 5–10× slower per file here; callers
 * yield to the event loop between files (core/yield.ts).
 */
function readRegularFile(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new BriefbotError('SOURCE', 'not a regular file; skipped');
    if (info.size > maxBytes)
      throw new BriefbotError('SOURCE', `larger than the ${megabytes(maxBytes)} cap (${megabytes(info.size)}); skipped`);
    // Read in chunks: the size stat gives may be 0 for a file with content (/proc) or grow.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(info.size + 1, 4096), 1 << 20, maxBytes + 1 - length));
      const bytesRead = readSync(fd, chunk, 0, chunk.length, length);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > maxBytes) throw new BriefbotError('SOURCE', `larger than the ${megabytes(maxBytes)} cap; skipped`);
    }
    return Buffer.concat(chunks, length);
  } finally {
    closeSync(fd);
  }
}

/** An extracted page or text file as a local article: its own http(s) URL, else the file's. */
function extractedArticle(e: ArticleContent, ownUrl: string | undefined, fileUrl: string): LocalArticle {
  return withoutUndefined<LocalArticle>({
    url: httpUrl(ownUrl) ?? fileUrl,
    title: e.title,
    text: e.text,
    publisher: e.publisher,
    author: e.author,
    publishedAt: e.publishedAt,
    lang: e.lang,
    instructions: e.instructions,
  });
}

async function listFiles(dir: string, depth: number, out: string[], skipped: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || out.length >= MAX_FILES) continue;
    const path = join(dir, entry.name);
    const ext = extname(entry.name).toLowerCase();
    const wanted = ARTICLE_EXTENSIONS.has(ext) || FEED_EXTENSIONS.has(ext);
    if (entry.isDirectory()) {
      if (depth < MAX_DEPTH) await listFiles(path, depth + 1, out, skipped);
    } else if (entry.isFile()) {
      if (wanted) out.push(path);
    } else if (wanted && !entry.isSymbolicLink()) {
      // A FIFO, socket or device named like an article: reading it would block or never end.
      skipped.push(`${path}: not a regular file; skipped`);
    }
  }
}

/** A file of a local source, with what its validators need (see store LocalFileState). */
export interface LocalFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface LocalListing {
  readonly isDirectory: boolean;
  readonly files: readonly LocalFile[];
  /** Entries named like articles that are not regular files (FIFOs, sockets, devices): skipped. */
  readonly skipped: readonly string[];
}

/**
 * Lists a local source (a file, or a folder's article and feed files) with sizes and mtimes,
 * reading no file. Throws BriefbotError SOURCE when the path itself is missing, unreadable,
 * not a regular file or folder, or a folder without such files. A file that vanishes meanwhile
 * is left out.
 */
export async function listLocalSource(fileUrl: string): Promise<LocalListing> {
  const path = fileURLToPath(fileUrl);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : oneLine(error);
    throw new BriefbotError('SOURCE', `${path}: ${reason}`);
  }
  if (!info.isDirectory()) {
    if (!info.isFile()) throw new BriefbotError('SOURCE', `${path}: not a regular file or folder`);
    return { isDirectory: false, files: [{ path, size: info.size, mtimeMs: info.mtimeMs }], skipped: [] };
  }
  const paths: string[] = [];
  const skipped: string[] = [];
  try {
    await listFiles(path, 0, paths, skipped);
  } catch (error) {
    throw new BriefbotError('SOURCE', `${path}: cannot list folder: ${oneLine(error)}`);
  }
  if (paths.length === 0 && skipped.length === 0) {
    throw new BriefbotError('SOURCE', `${path}: no article or feed files (.txt, .md, .html, .json, .xml, .rss, .atom)`);
  }
  // Stat'ed one by one on this thread, yielding to the event loop between slices: a promise per
  // file through the thread pool cost this thread twice the CPU of the stat itself, and 10,000
  // files took 110–160 ms to list instead of 40–50.
  const files: LocalFile[] = [];
  const yielder = new LoopYielder();
  for (const p of paths) {
    await yielder.maybeYield();
    let info;
    try {
      info = statSync(p, { throwIfNoEntry: false });
    } catch {
      continue; // unreadable since it was listed: left out like one that vanished
    }
    if (info) files.push({ path: p, size: info.size, mtimeMs: info.mtimeMs });
  }
  return { isDirectory: true, files, skipped };
}

/** A local file's bytes, read with the caps and checks of readRegularFile. */
export function readLocalFile(file: LocalFile): Buffer {
  return readRegularFile(file.path, MAX_FILE_BYTES);
}
