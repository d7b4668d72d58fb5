import type { Article } from '../../core/types.ts';
import { bandKey, bandLabel } from '../band-key.ts';
import type { ArticleBatch, ArticleQuery, ArticleRepo, InsertResult } from '../port.ts';
import { articleParams, toArticle, type ArticleRow } from '../rows.ts';
import { tableSpec } from '../tables.ts';
import { inTransaction, pgText, type Pool } from './database.ts';

// The columns as the SQLite/PostgreSQL transfer knows them (tables.ts), and the matching keys of
// articleParams: one list to keep in step with the migrations.
const COLUMNS = tableSpec('articles').columns;
const PARAM_KEYS = COLUMNS.map((column) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));

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

  async byCanonicalUrls(canonicalUrls: readonly string[]): Promise<Map<string, Article>> {
    if (canonicalUrls.length === 0) return new Map();
    const rows = (
      await this.pool.query<ArticleRow>('SELECT * FROM articles WHERE canonical_url = ANY($1::text[])', [[...new Set(canonicalUrls)]])
    ).rows;
    return new Map(rows.map((r) => [r.canonical_url, toArticle(r)]));
  }

  async originalsByContentHash(contentHashes: readonly string[]): Promise<Map<string, Article>> {
    if (contentHashes.length === 0) return new Map();
    // Per hash: originals before copies, then the earliest seen, then the id.
    const rows = (
      await this.pool.query<ArticleRow>(
        `SELECT DISTINCT ON (content_hash) * FROM articles WHERE content_hash = ANY($1::text[])
         ORDER BY content_hash, duplicate_of IS NOT NULL, first_seen_at, id COLLATE "C"`,
        [[...new Set(contentHashes)]],
      )
    ).rows;
    return new Map(rows.map((r) => [r.content_hash, toArticle(r)]));
  }

  async bandMembers(bands: readonly number[]): Promise<Map<number, string[]>> {
    const members = new Map<number, string[]>();
    if (bands.length === 0) return members;
    const rows = (
      await this.pool.query<{ band: string; article_id: string }>(
        'SELECT band, article_id FROM article_bands WHERE band = ANY($1::text[])',
        [[...new Set(bands)].map(bandLabel)],
      )
    ).rows;
    for (const row of rows) {
      const band = bandKey(row.band);
      const article_id = row.article_id;
      const list = members.get(band);
      if (list) list.push(article_id);
      else members.set(band, [article_id]);
    }
    return members;
  }

  async saveBatch(batch: ArticleBatch): Promise<InsertResult[]> {
    if (batch.inserts.length === 0 && batch.links.length === 0) return [];
    return inTransaction(this.pool, async (client) => {
      // One writer per text and per URL at a time (across replicas): each content-hash check and
      // each URL lookup is then one step with its insert, as SQLite's IMMEDIATE transaction makes
      // them. Without the URL lock, two inserts of one URL could both pass the lookup and the
      // second fail on the primary key (ON CONFLICT guards only the canonical_url index, and
      // the id index may be checked first). Locks are taken in one order, so two batches
      // sharing texts or URLs wait for each other instead of deadlocking.
      const locked = [
        ...new Set([
          ...batch.inserts
            .filter((e) => e.matchContentHash === true && e.article.duplicateOf === undefined)
            .map((e) => e.article.contentHash),
          ...batch.inserts.map((e) => pgText(`url:${e.article.canonicalUrl}`)),
        ]),
      ];
      if (locked.length > 0)
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended(h, 14)) FROM unnest($1::text[]) AS h ORDER BY h', [locked]);
      const results: InsertResult[] = [];
      const bands: [string, string][] = [];
      const topics: [string, string][] = [];
      const sources: [string, string][] = [];
      const link = (articleId: string, topicIds: readonly string[], sourceId: string | undefined): void => {
        for (const topicId of topicIds) topics.push([articleId, pgText(topicId)]);
        if (sourceId !== undefined) sources.push([pgText(sourceId), articleId]);
      };
      for (const entry of batch.inserts) {
        const { article } = entry;
        const existing = (
          await client.query<{ id: string; duplicate_of: string | null }>(
            'SELECT id, duplicate_of FROM articles WHERE canonical_url = $1',
            [article.canonicalUrl],
          )
        ).rows[0];
        if (existing) {
          link(existing.id, entry.topicIds, article.sourceId);
          results.push({ inserted: false, ...(existing.duplicate_of !== null && { duplicateOf: existing.duplicate_of }) });
          continue;
        }
        let duplicateOf = article.duplicateOf;
        if (duplicateOf === undefined && entry.matchContentHash === true) {
          duplicateOf = (
            await client.query<{ id: string }>('SELECT id FROM articles WHERE content_hash = $1 AND duplicate_of IS NULL LIMIT 1', [
              article.contentHash,
            ])
          ).rows[0]?.id;
        }
        const params = articleParams({ ...article, ...(duplicateOf !== undefined && { duplicateOf }) });
        // Another writer of this URL waited at the lock above and found it; a writer without the
        // lock (an older replica) is still met here and does nothing.
        const inserted = await client.query<{ id: string }>(
          `INSERT INTO articles (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
           ON CONFLICT (canonical_url) DO NOTHING RETURNING id`,
          PARAM_KEYS.map((k) => pgText(params[k] ?? null)),
        );
        if (inserted.rows.length === 0) {
          const id =
            (await client.query<{ id: string }>('SELECT id FROM articles WHERE canonical_url = $1', [article.canonicalUrl])).rows[0]?.id ??
            article.id;
          link(id, entry.topicIds, article.sourceId);
          results.push({ inserted: false });
          continue;
        }
        // Copies get no bands: later articles are compared with originals only.
        if (duplicateOf === undefined) for (const band of entry.bands) bands.push([bandLabel(band), article.id]);
        link(article.id, entry.topicIds, article.sourceId);
        results.push({ inserted: true, ...(duplicateOf !== undefined && { duplicateOf }) });
      }
      for (const l of batch.links) link(l.articleId, l.topicIds, l.sourceId);
      // Bands, topic links and source links of the whole batch, one statement each.
      const pairs = async (sql: string, rows: readonly [string, string][]): Promise<void> => {
        if (rows.length > 0) await client.query(sql, [rows.map((r) => r[0]), rows.map((r) => r[1])]);
      };
      await pairs(
        'INSERT INTO article_bands (band, article_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
        bands,
      );
      await pairs(
        'INSERT INTO article_topics (article_id, topic_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
        topics,
      );
      await pairs(
        'INSERT INTO article_sources (source_id, article_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
        sources,
      );
      return results;
    });
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
    return (
      await this.pool.query<ArticleRow>('SELECT * FROM articles WHERE duplicate_of = $1 ORDER BY first_seen_at', [articleId])
    ).rows.map(toArticle);
  }

  async count(): Promise<number> {
    return Number((await this.pool.query<{ n: number }>('SELECT count(*) AS n FROM articles')).rows[0]?.n ?? 0);
  }
}
