import type { CacheRepo } from '../port.ts';
import type { Db } from './database.ts';

export class SqliteCacheRepo implements CacheRepo {
  private readonly statements;

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.statements = {
      get: db.prepare('SELECT value, expires_at FROM cache WHERE namespace = ? AND key = ?'),
      set: db.prepare('INSERT OR REPLACE INTO cache (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)'),
    };
  }

  async get(namespace: string, key: string): Promise<string | undefined> {
    const row = this.statements.get.get(namespace, key) as { value: string; expires_at: string | null } | undefined;
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= this.now().toISOString()) return undefined;
    return row.value;
  }

  async set(namespace: string, key: string, value: string, ttlSeconds?: number): Promise<void> {
    const expires = ttlSeconds === undefined ? null : new Date(this.now().getTime() + ttlSeconds * 1000).toISOString();
    this.statements.set.run(namespace, key, value, expires);
  }
}
