/**
 * The PostgreSQL store (BRIEFBOT_DB=postgres://…), for several `serve` replicas on one
 * database. Opening it applies pending migrations under an advisory lock, so replicas that
 * start together migrate once.
 */
import type { Store } from '../port.ts';
import { PgArticleRepo } from './articles.ts';
import { PgBriefRepo } from './briefs.ts';
import { PgCacheRepo } from './cache.ts';
import { PgChatRepo } from './chat.ts';
import { migrate, openPool, type PoolOptions } from './database.ts';
import { PgLeaseRepo } from './leases.ts';
import { PgSourceRepo } from './sources.ts';
import { PgTransferRepo } from './transfer.ts';

export { describeUrl, isPostgresUrl } from './database.ts';

export interface PostgresStoreOptions extends PoolOptions {
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean;
}

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const pool = await openPool(url, options);
  try {
    if (options.migrate !== false) await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  let closed = false;
  return {
    kind: 'postgres',
    sources: new PgSourceRepo(pool),
    articles: new PgArticleRepo(pool),
    briefs: new PgBriefRepo(pool),
    cache: new PgCacheRepo(pool),
    chat: new PgChatRepo(pool, url),
    leases: new PgLeaseRepo(pool),
    transfer: new PgTransferRepo(pool),
    async ping() {
      await pool.query('SELECT 1');
    },
    async schemaVersions() {
      return (await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
