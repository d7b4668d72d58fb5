import type { Article } from '../../core/types.ts';
import type { ArticleQuery, ArticleRepo, InsertResult, NewArticle } from '../port.ts';
import { articleParams, toArticle, type ArticleRow } from '../rows.ts';
import { inTransaction, pgText, type Pool } from './database.ts';

const COLUMNS = [
  'id', 'canonical_url', 'url', 'title', 'text', 'publisher', 'author', 'published_at', 'first_seen_at', 'effective_at',
  'lang', 'guid', 'source_id', 'content_hash', 'duplicate_of', 'instructions',
] as const;
const PARAM_KEYS = [
  'id', 'canonicalUrl', 'url', 'title', 'text', 'publisher', 'author', 'publishedAt', 'firstSeenAt', 'effectiveAt',
  'lang', 'guid', 'sourceId', 'contentHash', 'duplicateOf', 'instructions',
] as const;

export class PgArticleRepo implements ArticleRepo {
  constructor(private readonly pool: Pool) {}

  private async one(sql: string, params: unknown[]): Promise<Article | undefined> {
    const row = (await this.pool.query<ArticleRow>(sql, params)).rows[0];
    return row && toArticle(row);
  }

  byId(id: string): Promise<Article | undefined> {
    return this.one('SELECT * FROM articles WHERE id = $1', [id]);
  }

  async byIds(ids: readonly string[]): Promise<Article[]> {
    if (ids.length === 0) return [];
    const rows = (await this.pool.query<ArticleRow>('SELECT * FROM articles WHERE id = ANY($1::text[])', [[...new Set(ids)]])).rows;
    const found = new Map(rows.map((r) => [r.id, toArticle(r)]));
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  byCanonicalUrl(canonicalUrl: string): Promise<Article | undefined> {
    return this.one('SELECT * FROM articles WHERE canonical_url = $1', [canonicalUrl]);
  }

  byContentHash(contentHash: string): Promise<Article | undefined> {
    return this.one(
      'SELECT * FROM articles WHERE content_hash = $1 ORDER BY duplicate_of IS NOT NULL, first_seen_at LIMIT 1',
      [contentHash],
    );
  }

  async candidatesByBands(bands: readonly string[]): Promise<string[]> {
    if (bands.length === 0) return [];
    const rows = (await this.pool.query<{ article_id: string }>('SELECT DISTINCT article_id FROM article_bands WHERE band = ANY($1::text[])', [[...bands]])).rows;
    return rows.map((r) => r.article_id);
  }

  async insert(entry: NewArticle): Promise<InsertResult> {
    const { article } = entry;
    return inTransaction(this.pool, async (client) => {
      // One writer per text at a time (across replicas): the content-hash check and the insert
      // are then one step, as SQLite's IMMEDIATE transaction makes them.
      if (entry.matchContentHash === true && article.duplicateOf === undefined) {
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 14))', [article.contentHash]);
      }
      const existing = (await client.query<{ id: string; duplicate_of: string | null }>('SELECT id, duplicate_of FROM articles WHERE canonical_url = $1', [article.canonicalUrl])).rows[0];
      if (existing) {
        await this.link(client, existing.id, entry.topicIds, article.sourceId);
        return { inserted: false, ...(existing.duplicate_of !== null && { duplicateOf: existing.duplicate_of }) };
      }
      let duplicateOf = article.duplicateOf;
      if (duplicateOf === undefined && entry.matchContentHash === true) {
        duplicateOf = (await client.query<{ id: string }>('SELECT id FROM articles WHERE content_hash = $1 AND duplicate_of IS NULL LIMIT 1', [article.contentHash])).rows[0]?.id;
      }
      const params = articleParams({ ...article, ...(duplicateOf !== undefined && { duplicateOf }) });
      // A concurrent insert of the same URL waits here, then does nothing.
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO articles (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT (canonical_url) DO NOTHING RETURNING id`,
        PARAM_KEYS.map((k) => pgText(params[k] ?? null)),
      );
      if (inserted.rows.length === 0) {
        const id = (await client.query<{ id: string }>('SELECT id FROM articles WHERE canonical_url = $1', [article.canonicalUrl])).rows[0]?.id ?? article.id;
        await this.link(client, id, entry.topicIds, article.sourceId);
        return { inserted: false };
      }
      // Copies get no bands: later articles are compared with originals only.
      if (duplicateOf === undefined && entry.bands.length > 0) {
        await client.query('INSERT INTO article_bands (band, article_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING', [[...entry.bands], article.id]);
      }
      await this.link(client, article.id, entry.topicIds, article.sourceId);
      return { inserted: true, ...(duplicateOf !== undefined && { duplicateOf }) };
    });
  }

  private async link(client: Pick<Pool, 'query'>, articleId: string, topicIds: readonly string[], sourceId: string | undefined): Promise<void> {
    if (topicIds.length > 0) {
      await client.query('INSERT INTO article_topics (article_id, topic_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [articleId, [...topicIds]]);
    }
    if (sourceId !== undefined) {
      await client.query('INSERT INTO article_sources (source_id, article_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [sourceId, articleId]);
    }
  }

  async addTopics(articleId: string, topicIds: readonly string[], sourceId?: string): Promise<void> {
    await this.link(this.pool, articleId, topicIds, sourceId);
  }

  async list(query: ArticleQuery): Promise<Article[]> {
    const params: unknown[] = [];
    const members =
      query.sourceIds !== undefined
        ? `SELECT article_id FROM article_sources WHERE source_id = ANY($${params.push([...query.sourceIds])}::text[])`
        : `SELECT article_id FROM article_topics WHERE topic_id = $${params.push(query.topicId)}`;
    const where = [`a.id IN (${members})`];
    if (query.since !== undefined) where.push(`a.effective_at >= $${params.push(query.since)}`);
    if (query.until !== undefined) where.push(`a.effective_at < $${params.push(query.until)}`);
    // One article per text (original and copies share COALESCE(duplicate_of, id)): the original
    // when it is a member, else the earliest member copy.
    const sql =
      query.includeDuplicates === true
        ? `SELECT a.* FROM articles a WHERE ${where.join(' AND ')} ORDER BY a.effective_at, a.id COLLATE "C"`
        : `SELECT * FROM (
             SELECT a.*, row_number() OVER (
               PARTITION BY COALESCE(a.duplicate_of, a.id)
               ORDER BY a.duplicate_of IS NOT NULL, a.first_seen_at, a.id COLLATE "C") AS family_rank
             FROM articles a WHERE ${where.join(' AND ')}) f
           WHERE family_rank = 1 ORDER BY effective_at, id COLLATE "C"`;
    return (await this.pool.query<ArticleRow>(sql, params)).rows.map(toArticle);
  }

  async duplicatesOf(articleId: string): Promise<Article[]> {
    return (await this.pool.query<ArticleRow>('SELECT * FROM articles WHERE duplicate_of = $1 ORDER BY first_seen_at', [articleId])).rows.map(toArticle);
  }

  async count(): Promise<number> {
    return Number((await this.pool.query<{ n: number }>('SELECT count(*) AS n FROM articles')).rows[0]?.n ?? 0);
  }
}
