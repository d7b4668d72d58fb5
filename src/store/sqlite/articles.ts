import type { Article } from '../../core/types.ts';
import type { ArticleQuery, ArticleRepo, InsertResult, NewArticle } from '../port.ts';
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
      insertSource: db.prepare('INSERT OR IGNORE INTO article_sources (source_id, article_id) VALUES (?, ?)'),
      originalByHash: db.prepare('SELECT id FROM articles WHERE content_hash = ? AND duplicate_of IS NULL LIMIT 1'),
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

  async insert(entry: NewArticle): Promise<InsertResult> {
    const { article } = entry;
    // IMMEDIATE: the write lock is taken before the content-hash check, so another process's
    // insert of the same text cannot fall between the check and this insert.
    const run = this.db.transaction((): InsertResult => {
      const existing = this.statements.byCanonicalUrl.get(article.canonicalUrl) as ArticleRow | undefined;
      if (existing) {
        this.link(existing.id, entry.topicIds, article.sourceId);
        return { inserted: false, ...(existing.duplicate_of !== null && { duplicateOf: existing.duplicate_of }) };
      }
      let duplicateOf = article.duplicateOf;
      if (duplicateOf === undefined && entry.matchContentHash === true) {
        duplicateOf = (this.statements.originalByHash.get(article.contentHash) as { id: string } | undefined)?.id;
      }
      this.statements.insert.run(articleParams({ ...article, ...(duplicateOf !== undefined && { duplicateOf }) }));
      // Copies get no bands: later articles are compared with originals only.
      if (duplicateOf === undefined) for (const band of entry.bands) this.statements.insertBand.run(band, article.id);
      this.link(article.id, entry.topicIds, article.sourceId);
      return { inserted: true, ...(duplicateOf !== undefined && { duplicateOf }) };
    });
    return run.immediate();
  }

  private link(articleId: string, topicIds: readonly string[], sourceId: string | undefined): void {
    for (const topicId of topicIds) this.statements.insertTopic.run(articleId, topicId);
    if (sourceId !== undefined) this.statements.insertSource.run(sourceId, articleId);
  }

  async addTopics(articleId: string, topicIds: readonly string[], sourceId?: string): Promise<void> {
    this.db.transaction(() => this.link(articleId, topicIds, sourceId))();
  }

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
    const sql = query.includeDuplicates === true
      ? `SELECT a.* FROM articles a WHERE a.id IN (${members}) ${filter} ORDER BY a.effective_at, a.id`
      : `SELECT * FROM (
           SELECT a.*, ROW_NUMBER() OVER (
             PARTITION BY COALESCE(a.duplicate_of, a.id)
             ORDER BY a.duplicate_of IS NOT NULL, a.first_seen_at, a.id) AS family_rank
           FROM articles a WHERE a.id IN (${members}) ${filter})
         WHERE family_rank = 1 ORDER BY effective_at, id`;
    const rows = this.db.prepare(sql).all(params) as ArticleRow[];
    return rows.map(toArticle);
  }

  async duplicatesOf(articleId: string): Promise<Article[]> {
    return (this.statements.duplicatesOf.all(articleId) as ArticleRow[]).map(toArticle);
  }

  async count(): Promise<number> {
    return (this.statements.count.get() as { n: number }).n;
  }
}
