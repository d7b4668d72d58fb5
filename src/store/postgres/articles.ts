import type { Article } from '../../core/types.ts';
import type { ArticleQuery, ArticleRepo, NewArticle } from '../port.ts';
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

  async insert(entry: NewArticle): Promise<boolean> {
    const params = articleParams(entry.article);
    const values = PARAM_KEYS.map((k) => pgText(params[k] ?? null));
    return inTransaction(this.pool, async (client) => {
      // A concurrent insert of the same URL waits here, then does nothing.
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO articles (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT DO NOTHING RETURNING id`,
        values,
      );
      let id = inserted.rows[0]?.id;
      if (id !== undefined) {
        if (entry.bands.length > 0) {
          await client.query('INSERT INTO article_bands (band, article_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING', [[...entry.bands], id]);
        }
      } else {
        id = (await client.query<{ id: string }>('SELECT id FROM articles WHERE canonical_url = $1', [entry.article.canonicalUrl])).rows[0]?.id ?? entry.article.id;
      }
      if (entry.topicIds.length > 0) {
        await client.query('INSERT INTO article_topics (article_id, topic_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [id, [...entry.topicIds]]);
      }
      return inserted.rows.length > 0;
    });
  }

  async addTopics(articleId: string, topicIds: readonly string[]): Promise<void> {
    if (topicIds.length === 0) return;
    await this.pool.query('INSERT INTO article_topics (article_id, topic_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [articleId, [...topicIds]]);
  }

  async list(query: ArticleQuery): Promise<Article[]> {
    const params: unknown[] = [query.topicId];
    const where = ['t.topic_id = $1'];
    if (query.since !== undefined) where.push(`a.effective_at >= $${params.push(query.since)}`);
    if (query.until !== undefined) where.push(`a.effective_at < $${params.push(query.until)}`);
    if (query.includeDuplicates !== true) where.push('a.duplicate_of IS NULL');
    const rows = (
      await this.pool.query<ArticleRow>(
        `SELECT a.* FROM article_topics t JOIN articles a ON a.id = t.article_id
         WHERE ${where.join(' AND ')} ORDER BY a.effective_at, a.id COLLATE "C"`,
        params,
      )
    ).rows;
    return rows.map(toArticle);
  }

  async duplicatesOf(articleId: string): Promise<Article[]> {
    return (await this.pool.query<ArticleRow>('SELECT * FROM articles WHERE duplicate_of = $1 ORDER BY first_seen_at', [articleId])).rows.map(toArticle);
  }

  async count(): Promise<number> {
    return Number((await this.pool.query<{ n: number }>('SELECT count(*) AS n FROM articles')).rows[0]?.n ?? 0);
  }
}
