import type { Statement } from 'better-sqlite3';
import type { Article } from '../../core/types.ts';
import type { ArticleBatch, ArticleQuery, ArticleRepo, InsertResult } from '../port.ts';
import { articleParams, toArticle, type ArticleRow } from '../rows.ts';
import { InListQuery } from './chunked.ts';
import type { Db } from './database.ts';

/** Rows read between two turns of the event loop when listing. */
const LIST_CHUNK = 512;

export class SqliteArticleRepo implements ArticleRepo {
  private readonly statements;
  private readonly listStatements = new Map<string, Statement>();
  private readonly byIdList: InListQuery<ArticleRow>;
  private readonly byUrlList: InListQuery<ArticleRow>;
  private readonly byHashList: InListQuery<ArticleRow>;
  private readonly bandList: InListQuery<{ band: string; article_id: string }>;

  constructor(private readonly db: Db) {
    this.statements = {
      byId: db.prepare('SELECT * FROM articles WHERE id = ?'),
      insert: db.prepare(`INSERT OR IGNORE INTO articles
        (id, canonical_url, url, title, text, publisher, author, published_at, first_seen_at, effective_at,
         lang, guid, source_id, content_hash, duplicate_of, instructions)
        VALUES (@id, @canonicalUrl, @url, @title, @text, @publisher, @author, @publishedAt, @firstSeenAt,
         @effectiveAt, @lang, @guid, @sourceId, @contentHash, @duplicateOf, @instructions)`),
      byUrl: db.prepare('SELECT id, duplicate_of FROM articles WHERE canonical_url = ?'),
      originalByHash: db.prepare('SELECT id FROM articles WHERE content_hash = ? AND duplicate_of IS NULL LIMIT 1').pluck(),
      insertBand: db.prepare('INSERT OR IGNORE INTO article_bands (band, article_id) VALUES (?, ?)'),
      insertTopic: db.prepare('INSERT OR IGNORE INTO article_topics (article_id, topic_id) VALUES (?, ?)'),
      insertSource: db.prepare('INSERT OR IGNORE INTO article_sources (source_id, article_id) VALUES (?, ?)'),
      duplicatesOf: db.prepare('SELECT * FROM articles WHERE duplicate_of = ? ORDER BY first_seen_at'),
      count: db.prepare('SELECT count(*) AS n FROM articles'),
    };
    this.byIdList = new InListQuery(db, 'SELECT * FROM articles WHERE id IN (?…)');
    this.byUrlList = new InListQuery(db, 'SELECT * FROM articles WHERE canonical_url IN (?…)');
    this.byHashList = new InListQuery(db, 'SELECT * FROM articles WHERE content_hash IN (?…)');
    this.bandList = new InListQuery(db, 'SELECT band, article_id FROM article_bands WHERE band IN (?…)');
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

  async bandMembers(bands: readonly string[]): Promise<Map<string, string[]>> {
    const members = new Map<string, string[]>();
    for (const { band, article_id } of this.bandList.all(bands)) {
      const list = members.get(band);
      if (list) list.push(article_id);
      else members.set(band, [article_id]);
    }
    return members;
  }

  async saveBatch(batch: ArticleBatch): Promise<InsertResult[]> {
    const { insert, byUrl, originalByHash, insertBand } = this.statements;
    // IMMEDIATE: the write lock is taken before the content-hash checks, so another process's
    // insert of the same text cannot fall between a check and its insert.
    return this.db.transaction((): InsertResult[] => {
      const results = batch.inserts.map(({ article, bands, topicIds, matchContentHash }): InsertResult => {
        const existing = byUrl.get(article.canonicalUrl) as { id: string; duplicate_of: string | null } | undefined;
        if (existing) {
          // Already stored (another collect got there first): link its topics and source only.
          this.link(existing.id, topicIds, article.sourceId);
          return { inserted: false, ...(existing.duplicate_of !== null && { duplicateOf: existing.duplicate_of }) };
        }
        let duplicateOf = article.duplicateOf;
        if (duplicateOf === undefined && matchContentHash === true) duplicateOf = originalByHash.get(article.contentHash) as string | undefined;
        insert.run(articleParams({ ...article, ...(duplicateOf !== undefined && { duplicateOf }) }));
        // Copies get no bands: later articles are compared with originals only.
        if (duplicateOf === undefined) for (const band of bands) insertBand.run(band, article.id);
        this.link(article.id, topicIds, article.sourceId);
        return { inserted: true, ...(duplicateOf !== undefined && { duplicateOf }) };
      });
      for (const link of batch.links) this.link(link.articleId, link.topicIds, link.sourceId);
      return results;
    }).immediate();
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
    const sql = query.includeDuplicates === true
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
