import type { Article } from '../../core/types.ts';
import type { ArticleQuery, ArticleRepo, NewArticle } from '../port.ts';
import { articleParams, toArticle, type ArticleRow } from '../rows.ts';
import type { Db } from './database.ts';

// SQLite caps bound parameters per statement; chunk IN (…) lists well below it.
const CHUNK = 500;

export class SqliteArticleRepo implements ArticleRepo {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      byId: db.prepare('SELECT * FROM articles WHERE id = ?'),
      byCanonicalUrl: db.prepare('SELECT * FROM articles WHERE canonical_url = ?'),
      byContentHash: db.prepare(
        'SELECT * FROM articles WHERE content_hash = ? ORDER BY duplicate_of IS NOT NULL, first_seen_at LIMIT 1',
      ),
      insert: db.prepare(`INSERT OR IGNORE INTO articles
        (id, canonical_url, url, title, text, publisher, author, published_at, first_seen_at, effective_at,
         lang, guid, source_id, content_hash, duplicate_of, instructions)
        VALUES (@id, @canonicalUrl, @url, @title, @text, @publisher, @author, @publishedAt, @firstSeenAt,
         @effectiveAt, @lang, @guid, @sourceId, @contentHash, @duplicateOf, @instructions)`),
      insertBand: db.prepare('INSERT OR IGNORE INTO article_bands (band, article_id) VALUES (?, ?)'),
      insertTopic: db.prepare('INSERT OR IGNORE INTO article_topics (article_id, topic_id) VALUES (?, ?)'),
      duplicatesOf: db.prepare('SELECT * FROM articles WHERE duplicate_of = ? ORDER BY first_seen_at'),
      count: db.prepare('SELECT count(*) AS n FROM articles'),
    };
  }

  async byId(id: string): Promise<Article | undefined> {
    const row = this.statements.byId.get(id) as ArticleRow | undefined;
    return row && toArticle(row);
  }

  async byIds(ids: readonly string[]): Promise<Article[]> {
    const found = new Map<string, Article>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const rows = this.db
        .prepare(`SELECT * FROM articles WHERE id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as ArticleRow[];
      for (const row of rows) found.set(row.id, toArticle(row));
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  async byCanonicalUrl(canonicalUrl: string): Promise<Article | undefined> {
    const row = this.statements.byCanonicalUrl.get(canonicalUrl) as ArticleRow | undefined;
    return row && toArticle(row);
  }

  async byContentHash(contentHash: string): Promise<Article | undefined> {
    const row = this.statements.byContentHash.get(contentHash) as ArticleRow | undefined;
    return row && toArticle(row);
  }

  async candidatesByBands(bands: readonly string[]): Promise<string[]> {
    const ids = new Set<string>();
    for (let i = 0; i < bands.length; i += CHUNK) {
      const chunk = bands.slice(i, i + CHUNK);
      const rows = this.db
        .prepare(`SELECT DISTINCT article_id FROM article_bands WHERE band IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as { article_id: string }[];
      for (const row of rows) ids.add(row.article_id);
    }
    return [...ids];
  }

  async insert(entry: NewArticle): Promise<boolean> {
    const { article } = entry;
    const run = this.db.transaction((): boolean => {
      const result = this.statements.insert.run(articleParams(article));
      const existing = result.changes === 0 ? (this.statements.byCanonicalUrl.get(article.canonicalUrl) as ArticleRow) : undefined;
      const id = existing?.id ?? article.id;
      if (!existing) for (const band of entry.bands) this.statements.insertBand.run(band, id);
      for (const topicId of entry.topicIds) this.statements.insertTopic.run(id, topicId);
      return result.changes > 0;
    });
    return run();
  }

  async addTopics(articleId: string, topicIds: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const topicId of topicIds) this.statements.insertTopic.run(articleId, topicId);
    })();
  }

  async list(query: ArticleQuery): Promise<Article[]> {
    const where = ['t.topic_id = @topicId'];
    if (query.since !== undefined) where.push('a.effective_at >= @since');
    if (query.until !== undefined) where.push('a.effective_at < @until');
    if (query.includeDuplicates !== true) where.push('a.duplicate_of IS NULL');
    const rows = this.db
      .prepare(
        `SELECT a.* FROM article_topics t JOIN articles a ON a.id = t.article_id
         WHERE ${where.join(' AND ')} ORDER BY a.effective_at, a.id`,
      )
      .all({ topicId: query.topicId, since: query.since ?? null, until: query.until ?? null }) as ArticleRow[];
    return rows.map(toArticle);
  }

  async duplicatesOf(articleId: string): Promise<Article[]> {
    return (this.statements.duplicatesOf.all(articleId) as ArticleRow[]).map(toArticle);
  }

  async count(): Promise<number> {
    return (this.statements.count.get() as { n: number }).n;
  }
}
