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
}

/** An article to insert, with its near-duplicate signature bands (see collect/dedupe.ts). */
export interface NewArticle {
  readonly article: Article;
  /** LSH band keys of the article's MinHash signature; used to find syndicated copies. */
  readonly bands: readonly string[];
  /** Topics this article belongs to. */
  readonly topicIds: readonly string[];
}

export interface ArticleQuery {
  readonly topicId: string;
  /** Inclusive lower bound on the article's effective time (published, else first seen). */
  readonly since?: IsoTime;
  /** Exclusive upper bound. */
  readonly until?: IsoTime;
  /** Include articles that are duplicates of another (default false: originals only). */
  readonly includeDuplicates?: boolean;
}

export interface ArticleRepo {
  byId(id: string): Promise<Article | undefined>;
  byIds(ids: readonly string[]): Promise<Article[]>;
  byCanonicalUrl(canonicalUrl: string): Promise<Article | undefined>;
  byContentHash(contentHash: string): Promise<Article | undefined>;
  /** Ids of stored articles sharing at least one band with the given ones. */
  candidatesByBands(bands: readonly string[]): Promise<string[]>;
  /**
   * Inserts the article unless its canonical URL is already stored; in both cases links it
   * to the given topics. Returns false when it was already there.
   */
  insert(entry: NewArticle): Promise<boolean>;
  /** Links an already stored article to more topics (idempotent). */
  addTopics(articleId: string, topicIds: readonly string[]): Promise<void>;
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
