/**
 * The default store: one SQLite file (./data/briefbot.db unless configured), or ":memory:".
 */
import type { Store } from '../port.ts';
import { SqliteArticleRepo } from './articles.ts';
import { SqliteBriefRepo } from './briefs.ts';
import { SqliteCacheRepo } from './cache.ts';
import { openDatabase, type Db } from './database.ts';
import { SqliteSourceRepo } from './sources.ts';

export interface SqliteStore extends Store {
  /** The underlying connection, for repos added by later modules (outbox, follows …). */
  readonly db: Db;
}

export function openSqliteStore(path: string): SqliteStore {
  const db = openDatabase(path);
  return {
    db,
    sources: new SqliteSourceRepo(db),
    articles: new SqliteArticleRepo(db),
    briefs: new SqliteBriefRepo(db),
    cache: new SqliteCacheRepo(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
