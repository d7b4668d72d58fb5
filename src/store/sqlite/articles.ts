import type { Statement } from 'better-sqlite3';
import type { Article } from '../../core/types.ts';
import type { ArticleBatch, ArticleQuery, ArticleRepo, InsertResult } from '../port.ts';
import { articleParams, toArticle, type ArticleRow } from '../rows.ts';
import { InListQuery } from './chunked.ts';
import type { Db } from './database.ts';

/** Rows read between two turns of the event loop when listing. */
const LIST_CHUNK = 512;
/** Band keys inserted per statement (fewer calls into SQLite). */
const BANDS_PER_STATEMENT = 64;

/** Band keys of the 32 bands "b0:…"–"b31:…" are below this (bandKey). */
const BAND_KEY_LIMIT = 2 ** 37;
/** Sequence numbers within one batch, packed beside a band key in a double (2^37 × 2^16 = 2^53). */
const SEQ_SPAN = 2 ** 16;

/**
 * Flat (band key, seq) rows [k0, s0, k1, s1, …] sorted by key, then seq. Each row is packed
 * into one double (key × 2^16 + seq − the batch's first seq, exact below 2^53) and the packed
 * values sorted natively: a comparator sort of one small array per row cost some 300 ms per
 * 10,000 articles (320,000 rows). Keys or a batch too big to pack take the comparator sort.
 */
export function sortedBandRows(flat: readonly number[]): Float64Array {
  const n = flat.length / 2;
  let least = Infinity;
  let most = -Infinity;
  let packable = true;
  for (let i = 0; i < n; i += 1) {
    if (flat[2 * i]! >= BAND_KEY_LIMIT) packable = false;
    least = Math.min(least, flat[2 * i + 1]!);
    most = Math.max(most, flat[2 * i + 1]!);
  }
  const rows = new Float64Array(2 * n);
  if (packable && most - least < SEQ_SPAN) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i += 1) packed[i] = flat[2 * i]! * SEQ_SPAN + (flat[2 * i + 1]! - least);
    packed.sort();
    for (let i = 0; i < n; i += 1) {
      const key = Math.floor(packed[i]! / SEQ_SPAN);
      rows[2 * i] = key;
      rows[2 * i + 1] = least + (packed[i]! - key * SEQ_SPAN);
    }
    return rows;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => flat[2 * a]! - flat[2 * b]! || flat[2 * a + 1]! - flat[2 * b + 1]!);
  order.forEach((from, i) => {
    rows[2 * i] = flat[2 * from]!;
    rows[2 * i + 1] = flat[2 * from + 1]!;
  });
  return rows;
}

export class SqliteArticleRepo implements ArticleRepo {
  private readonly statements;
  private readonly listStatements = new Map<string, Statement>();
  private readonly byIdList: InListQuery<ArticleRow>;
  private readonly byUrlList: InListQuery<ArticleRow>;
  private readonly byHashList: InListQuery<ArticleRow>;
  private readonly bandList: InListQuery<{ band: number; id: string }>;

  constructor(private readonly db: Db) {
    this.statements = {
      byId: db.prepare('SELECT * FROM articles WHERE id = ?'),
      insert: db.prepare(`INSERT OR IGNORE INTO articles
        (id, canonical_url, url, title, text, publisher, author, published_at, first_seen_at, effective_at,
         lang, guid, source_id, content_hash, duplicate_of, instructions, screen_revision, seq)
        VALUES (@id, @canonicalUrl, @url, @title, @text, @publisher, @author, @publishedAt, @firstSeenAt,
         @effectiveAt, @lang, @guid, @sourceId, @contentHash, @duplicateOf, @instructions, @screenRevision, @seq)`),
      lastSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM articles').pluck(),
      byUrl: db.prepare('SELECT id, duplicate_of FROM articles WHERE canonical_url = ?'),
      originalByHash: db.prepare('SELECT id FROM articles WHERE content_hash = ? AND duplicate_of IS NULL LIMIT 1').pluck(),
      insertBands: db.prepare(
        `INSERT OR IGNORE INTO article_bands (band, seq) VALUES ${Array.from({ length: BANDS_PER_STATEMENT }, () => '(?, ?)').join(', ')}`,
      ),
      insertBand: db.prepare('INSERT OR IGNORE INTO article_bands (band, seq) VALUES (?, ?)'),
      insertTopic: db.prepare('INSERT OR IGNORE INTO article_topics (article_id, topic_id) VALUES (?, ?)'),
      insertSource: db.prepare('INSERT OR IGNORE INTO article_sources (source_id, article_id) VALUES (?, ?)'),
      duplicatesOf: db.prepare('SELECT * FROM articles WHERE duplicate_of = ? ORDER BY first_seen_at'),
      count: db.prepare('SELECT count(*) AS n FROM articles'),
    };
    this.byIdList = new InListQuery(db, 'SELECT * FROM articles WHERE id IN (?…)');
    this.byUrlList = new InListQuery(db, 'SELECT * FROM articles WHERE canonical_url IN (?…)');
    this.byHashList = new InListQuery(db, 'SELECT * FROM articles WHERE content_hash IN (?…)');
    this.bandList = new InListQuery(db, 'SELECT b.band, a.id FROM article_bands b JOIN articles a ON a.seq = b.seq WHERE b.band IN (?…)');
  }

  async byId(id: string): Promise<Article | undefined> {
    const row = this.statements.byId.get(id) as ArticleRow | undefined;
    return row && toArticle(row);
  }

  async byIds(ids: readonly string[]): Promise<Article[]> {
    const found = new Map(this.byIdList.all(ids).map((row) => [row.id, toArticle(row)]));
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  async byCanonicalUrls(canonicalUrls: readonly string[]): Promise<Map<string, Article>> {
    return new Map(this.byUrlList.all(canonicalUrls).map((row) => [row.canonical_url, toArticle(row)]));
  }

  async originalsByContentHash(contentHashes: readonly string[]): Promise<Map<string, Article>> {
    const best = new Map<string, ArticleRow>();
    // Originals before copies, then the earliest seen (then the id, for a stable choice).
    const rank = (r: ArticleRow): string => `${r.duplicate_of === null ? 0 : 1}${r.first_seen_at}${r.id}`;
    for (const row of this.byHashList.all(contentHashes)) {
      const current = best.get(row.content_hash);
      if (!current || rank(row) < rank(current)) best.set(row.content_hash, row);
    }
    return new Map([...best].map(([hash, row]) => [hash, toArticle(row)]));
  }

  async bandMembers(bands: readonly number[]): Promise<Map<number, string[]>> {
    const members = new Map<number, string[]>();
    for (const { band, id } of this.bandList.all([...new Set(bands)])) {
      const list = members.get(band);
      if (list) list.push(id);
      else members.set(band, [id]);
    }
    return members;
  }

  async saveBatch(batch: ArticleBatch): Promise<InsertResult[]> {
    const { insert, lastSeq, byUrl, originalByHash, insertBands, insertBand } = this.statements;
    // IMMEDIATE: the write lock is taken before the content-hash checks and the last sequence
    // number are read, so another process's insert of the same text cannot fall between a check
    // and its insert, nor take the same numbers.
    return this.db
      .transaction((): InsertResult[] => {
        let seq = lastSeq.get() as number;
        const keys: number[] = [];
        const results = batch.inserts.map(({ article, bands, topicIds, matchContentHash }): InsertResult => {
          const existing = byUrl.get(article.canonicalUrl) as { id: string; duplicate_of: string | null } | undefined;
          if (existing) {
            // Already stored (another collect got there first): link its topics and source only.
            this.link(existing.id, topicIds, article.sourceId);
            return { inserted: false, ...(existing.duplicate_of !== null && { duplicateOf: existing.duplicate_of }) };
          }
          let duplicateOf = article.duplicateOf;
          if (duplicateOf === undefined && matchContentHash === true)
            duplicateOf = originalByHash.get(article.contentHash) as string | undefined;
          seq += 1;
          insert.run({ ...articleParams({ ...article, ...(duplicateOf !== undefined && { duplicateOf }) }), seq });
          // Copies get no bands: later articles are compared with originals only.
          if (duplicateOf === undefined) for (const band of bands) keys.push(band, seq);
          this.link(article.id, topicIds, article.sourceId);
          return { inserted: true, ...(duplicateOf !== undefined && { duplicateOf }) };
        });
        // Band keys of the whole batch, sorted (inserts in index order touch fewer pages), many per statement.
        const rows = sortedBandRows(keys);
        const params: number[] = new Array(2 * BANDS_PER_STATEMENT);
        let i = 0;
        for (; i + 2 * BANDS_PER_STATEMENT <= rows.length; i += 2 * BANDS_PER_STATEMENT) {
          for (let k = 0; k < params.length; k += 1) params[k] = rows[i + k]!;
          insertBands.run(params);
        }
        for (; i < rows.length; i += 2) insertBand.run(rows[i]!, rows[i + 1]!);
        for (const link of batch.links) this.link(link.articleId, link.topicIds, link.sourceId);
        return results;
      })
      .immediate();
  }

  private link(articleId: string, topicIds: readonly string[], sourceId: string | undefined): void {
    for (const topicId of topicIds) this.statements.insertTopic.run(articleId, topicId);
    if (sourceId !== undefined) this.statements.insertSource.run(sourceId, articleId);
  }

  /**
   * Ids first (one sorted query), then the rows a chunk at a time with a turn of the event loop
   * between chunks: listing 10,000 articles then holds `serve`'s thread for a few ms at a time
   * instead of for the whole read.
   */
  async list(query: ArticleQuery): Promise<Article[]> {
    const where: string[] = [];
    if (query.since !== undefined) where.push('a.effective_at >= @since');
    if (query.until !== undefined) where.push('a.effective_at < @until');
    const params: Record<string, unknown> = { topicId: query.topicId, since: query.since ?? null, until: query.until ?? null };
    let members: string;
    if (query.sourceIds !== undefined) {
      const names = query.sourceIds.map((id, i) => {
        params[`s${i}`] = id;
        return `@s${i}`;
      });
      members = `SELECT DISTINCT article_id FROM article_sources WHERE source_id IN (${names.length > 0 ? names.join(',') : 'NULL'})`;
    } else {
      members = 'SELECT article_id FROM article_topics WHERE topic_id = @topicId';
    }
    const filter = where.length > 0 ? `AND ${where.join(' AND ')}` : '';
    // One article per text (original and copies share COALESCE(duplicate_of, id)): the original
    // when it is a member, else the earliest member copy.
    const sql =
      query.includeDuplicates === true
        ? `SELECT a.id FROM articles a WHERE a.id IN (${members}) ${filter} ORDER BY a.effective_at, a.id`
        : `SELECT id FROM (
           SELECT a.id, a.effective_at, ROW_NUMBER() OVER (
             PARTITION BY COALESCE(a.duplicate_of, a.id)
             ORDER BY a.duplicate_of IS NOT NULL, a.first_seen_at, a.id) AS family_rank
           FROM articles a WHERE a.id IN (${members}) ${filter})
         WHERE family_rank = 1 ORDER BY effective_at, id`;
    let statement = this.listStatements.get(sql);
    if (!statement) this.listStatements.set(sql, (statement = this.db.prepare(sql).pluck()));
    const ids = statement.all(params) as string[];
    const articles: Article[] = [];
    for (let i = 0; i < ids.length; i += LIST_CHUNK) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      articles.push(...(await this.byIds(ids.slice(i, i + LIST_CHUNK))));
    }
    return articles;
  }

  async duplicatesOf(articleId: string): Promise<Article[]> {
    return (this.statements.duplicatesOf.all(articleId) as ArticleRow[]).map(toArticle);
  }

  async count(): Promise<number> {
    return (this.statements.count.get() as { n: number }).n;
  }
}
