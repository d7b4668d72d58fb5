/**
 * The storage port. Everything the pipeline and the bot keep goes through these
 * interfaces: SQLite (the default, store/sqlite/) and PostgreSQL (several replicas,
 * store/postgres/) implement them alike, and the same contract tests run on both. Methods
 * are async for PostgreSQL's sake, even though SQLite answers at once.
 */
import type { Article, IsoTime, SourceHealth, StoredBrief } from '../core/types.ts';
import type { ChatRepo } from './chat-port.ts';

/** Conditional-GET validators and health of one source. */
export interface SourceState extends SourceHealth {
  readonly etag?: string;
  readonly lastModified?: string;
}

export interface SourceRepo {
  get(sourceId: string): Promise<SourceState | undefined>;
  /** A successful collection; stores validators for the next conditional GET. */
  recordSuccess(
    sourceId: string,
    url: string,
    at: IsoTime,
    validators: { etag?: string | undefined; lastModified?: string | undefined },
  ): Promise<void>;
  /** A failed collection: bumps the failure streak, keeps validators. */
  recordFailure(sourceId: string, url: string, at: IsoTime, error: string): Promise<void>;
  /** Health of the given sources (unknown ones are left out). */
  health(sourceIds: readonly string[]): Promise<SourceHealth[]>;
  /**
   * Validators of local files as last ingested under `scope` (the topics and rules they were
   * read for), keyed by path; files never recorded are absent. A local file's etag.
   */
  localFiles(scope: string, paths: readonly string[]): Promise<Map<string, LocalFileState>>;
  /** Records files as ingested under `scope` (after their articles are saved). */
  recordLocalFiles(scope: string, files: readonly LocalFileState[]): Promise<void>;
}

/** What identifies a local file's content without reading it again. */
export interface LocalFileState {
  readonly path: string;
  readonly size: number;
  /** Modification time, ms since the epoch (fractional where the file system has it). */
  readonly mtimeMs: number;
  /** SHA-256 (hex) of the file's bytes. */
  readonly hash: string;
  /** When these validators were taken (ms since the epoch): a file modified that same moment is re-read. */
  readonly checkedAtMs: number;
}

/** An article to insert, with its near-duplicate signature bands (see collect/dedupe.ts). */
export interface NewArticle {
  readonly article: Article;
  /**
   * LSH band keys of the article's MinHash signature, as collect/dedupe computes them: integers,
   * band × 2^32 + the band's 32-bit hash; used to find syndicated copies. A store may keep them
   * in another form (Postgres: their text labels, "b12:9f2c3a1b", see band-key.ts) as long as
   * the same numbers come back.
   */
  readonly bands: readonly number[];
  /** Topics this article belongs to. */
  readonly topicIds: readonly string[];
  /**
   * Store it as a copy of the stored original with the same `contentHash`, if there is one,
   * in the same atomic step as the insert: two collects at once never both store a text as
   * an original. False for an article without words, whose hash says nothing.
   */
  readonly matchContentHash?: boolean;
}

/** What {@link ArticleRepo.saveBatch} did with one insert. */
export interface InsertResult {
  /** False when the canonical URL was already stored (topics and source were linked to it). */
  readonly inserted: boolean;
  /** The original it was stored as a copy of (the caller's choice, or the content-hash match). */
  readonly duplicateOf?: string;
}

export interface ArticleQuery {
  /**
   * The topic's articles. Each text counts once: of an original and its copies, the original
   * when it belongs to the topic, else the topic's earliest copy — so a syndicated copy that
   * two topics hold from their own sources counts in both.
   */
  readonly topicId: string;
  /**
   * Instead of the topic's links: what these sources delivered (an ad-hoc topic is its
   * sources, whatever earlier runs of the same name read). Copies count once as above.
   */
  readonly sourceIds?: readonly string[];
  /** Inclusive lower bound on the article's effective time (published, else first seen). */
  readonly since?: IsoTime;
  /** Exclusive upper bound. */
  readonly until?: IsoTime;
  /** Include every copy too (default false: one article per text, as above). */
  readonly includeDuplicates?: boolean;
}

/** Topics (and, when given, the source that delivered it again) to link a stored article to. */
export interface TopicLink {
  readonly articleId: string;
  readonly topicIds: readonly string[];
  readonly sourceId?: string;
}

/** What one ingest batch writes: new articles and topic links of known ones. */
export interface ArticleBatch {
  readonly inserts: readonly NewArticle[];
  readonly links: readonly TopicLink[];
}

/**
 * Articles. Lookups take many keys at once and writes come in batches, so that ingesting n
 * articles costs a few queries and one transaction per batch, not several round trips each.
 */
export interface ArticleRepo {
  byId(id: string): Promise<Article | undefined>;
  byIds(ids: readonly string[]): Promise<Article[]>;
  /** Stored articles with these canonical URLs, keyed by canonical URL (unknown ones absent). */
  byCanonicalUrls(canonicalUrls: readonly string[]): Promise<Map<string, Article>>;
  /**
   * For each content hash, the stored article a new copy should point to: an original
   * (not itself a duplicate) first, the earliest seen first. Hashes never stored are absent.
   */
  originalsByContentHash(contentHashes: readonly string[]): Promise<Map<string, Article>>;
  /** Ids of the stored articles under each LSH band key (see collect/dedupe); unused bands absent. */
  bandMembers(bands: readonly number[]): Promise<Map<number, string[]>>;
  /**
   * Writes a batch in one transaction: a crash leaves the store as it was before it.
   * Inserts an article unless its canonical URL is already stored (then it is linked to the
   * topics and its source only); an insert is atomic with its content-hash match (see
   * NewArticle.matchContentHash), also across processes. Returns, per insert and in order, what
   * it did. Links (topics, and the source that delivered an article again) are idempotent.
   */
  saveBatch(batch: ArticleBatch): Promise<InsertResult[]>;
  /** Articles of a topic in a window, oldest first. */
  list(query: ArticleQuery): Promise<Article[]>;
  /** Copies of an article (articles whose duplicateOf is this id). */
  duplicatesOf(articleId: string): Promise<Article[]>;
  count(): Promise<number>;
}

export interface BriefRepo {
  save(brief: StoredBrief): Promise<void>;
  byId(id: string): Promise<StoredBrief | undefined>;
  byContentKey(topicId: string, contentKey: string): Promise<StoredBrief | undefined>;
  latest(topicId: string): Promise<StoredBrief | undefined>;
}

/** Generic key/value cache with expiry (LLM responses, rendered output …). */
export interface CacheRepo {
  get(namespace: string, key: string): Promise<string | undefined>;
  set(namespace: string, key: string, value: string, ttlSeconds?: number): Promise<void>;
}

/**
 * Named leases: work that one process at a time may do (collecting a source, holding the
 * Discord gateway). A lease is free, held until a time, or expired (its holder died or
 * stalled); times come from the callers' clocks, which replicas keep in sync (NTP).
 */
export interface LeaseRepo {
  /** Takes the lease for `owner` until `until` if it is free, expired, or already `owner`'s (then extended). */
  acquire(name: string, owner: string, until: IsoTime, at: IsoTime): Promise<boolean>;
  /** Extends a lease `owner` still holds; false when it was lost to another owner or released. */
  renew(name: string, owner: string, until: IsoTime): Promise<boolean>;
  /** Gives the lease up (no-op unless `owner` holds it). */
  release(name: string, owner: string): Promise<void>;
  /** The current holder, if the lease is held and not expired at `at`. */
  holder(name: string, at: IsoTime): Promise<{ owner: string; until: IsoTime } | undefined>;
}

/** A row of a table as plain JSON values: how `briefbot migrate --from` moves history between databases. */
export type TableRow = Record<string, string | number | null>;

/**
 * Table-level copy, for moving a whole database (SQLite → PostgreSQL) without losing history.
 * Column names are the same on both backends; times are ISO-8601 strings, JSON columns strings.
 */
export interface TransferRepo {
  /** Tables in an order that satisfies their references (originals before their copies). */
  readonly tables: readonly string[];
  /** Reads a table in batches. */
  read(table: string, batchSize: number): AsyncIterable<TableRow[]>;
  /** Inserts rows, keeping rows already present (so a copy can be re-run); returns how many were new. */
  write(table: string, rows: readonly TableRow[]): Promise<number>;
}

export interface Store {
  /** `sqlite` or `postgres`, for logs and /readyz. */
  readonly kind: 'sqlite' | 'postgres';
  readonly sources: SourceRepo;
  readonly articles: ArticleRepo;
  readonly briefs: BriefRepo;
  readonly cache: CacheRepo;
  /** Follows, the delivery outbox, schedule runs and chat state (store/chat-port.ts). */
  readonly chat: ChatRepo;
  readonly leases: LeaseRepo;
  readonly transfer: TransferRepo;
  /** Resolves when the database answers a trivial query; rejects otherwise (/readyz). */
  ping(): Promise<void>;
  /** Schema versions applied, oldest first. */
  schemaVersions(): Promise<number[]>;
  close(): Promise<void>;
}
