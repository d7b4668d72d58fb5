/**
 * The default store: one SQLite file (./data/briefbot.db unless configured), or ":memory:".
 */
import type { Store } from '../port.ts';
import { SqliteArticleRepo } from './articles.ts';
import { SqliteBriefRepo } from './briefs.ts';
import { SqliteCacheRepo } from './cache.ts';
import { SqliteChatRepo } from './chat.ts';
import { openDatabase } from './database.ts';
import { SqliteLeaseRepo } from './leases.ts';
import { SqliteSourceRepo } from './sources.ts';
import { SqliteTransferRepo } from './transfer.ts';

export function openSqliteStore(path: string): Store {
  const db = openDatabase(path);
  return {
    kind: 'sqlite',
    sources: new SqliteSourceRepo(db),
    articles: new SqliteArticleRepo(db),
    briefs: new SqliteBriefRepo(db),
    cache: new SqliteCacheRepo(db),
    chat: new SqliteChatRepo(db),
    leases: new SqliteLeaseRepo(db),
    transfer: new SqliteTransferRepo(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async schemaVersions() {
      return db
        .prepare('SELECT version FROM schema_migrations ORDER BY version')
        .all()
        .map((r) => (r as { version: number }).version);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
