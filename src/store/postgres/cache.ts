import type { CacheRepo } from '../port.ts';
import { pgText, type Pool } from './database.ts';

/** PostgreSQL text cannot hold NUL, which callers use as a separator in keys: escaped, reversibly. */
export function pgKey(value: string): string {
  return value.includes('\u0000') || value.includes('\\') ? value.replaceAll('\\', '\\\\').replaceAll('\u0000', '\\0') : value;
}

export class PgCacheRepo implements CacheRepo {
  constructor(
    private readonly pool: Pool,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(namespace: string, key: string): Promise<string | undefined> {
    const row = (
      await this.pool.query<{ value: string; expires_at: string | null }>(
        'SELECT value, expires_at FROM cache WHERE namespace = $1 AND key = $2',
        [pgKey(namespace), pgKey(key)],
      )
    ).rows[0];
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= this.now().toISOString()) return undefined;
    return row.value;
  }

  async set(namespace: string, key: string, value: string, ttlSeconds?: number): Promise<void> {
    const expires = ttlSeconds === undefined ? null : new Date(this.now().getTime() + ttlSeconds * 1000).toISOString();
    await this.pool.query(
      `INSERT INTO cache (namespace, key, value, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
      [pgKey(namespace), pgKey(key), pgText(value), expires],
    );
  }
}
