/**
 * The default store: one SQLite file (./data/briefbot.db unless configured), or ":memory:".
 */
import type { Store } from '../port.ts';
import { SqliteArticleRepo } from './articles.ts';
import { SqliteBriefRepo } from './briefs.ts';
import { SqliteCacheRepo } from './cache.ts';
import { SqliteChatRepo } from './chat.ts';
import { openDatabase } from './database.ts';
import { SqliteSourceRepo } from './sources.ts';

export function openSqliteStore(path: string): Store {
  const db = openDatabase(path);
  return {
    sources: new SqliteSourceRepo(db),
    articles: new SqliteArticleRepo(db),
    briefs: new SqliteBriefRepo(db),
    cache: new SqliteCacheRepo(db),
    chat: new SqliteChatRepo(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
