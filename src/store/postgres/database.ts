/**
 * Connecting to PostgreSQL (node-postgres pool) and bringing the schema up to date. The only
 * place besides its siblings that imports `pg`. Times travel as ISO-8601 strings, like on
 * SQLite: timestamptz values are parsed straight into `toISOString()` form.
 */
import pg from 'pg';
import { BriefbotError, oneLine } from '../../core/errors.ts';
import { migrations, type Migration } from './migrations/index.ts';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const INT8 = 20;

const parseTimestamp = pg.types.getTypeParser(TIMESTAMPTZ) as (value: string) => Date;

/** Per-connection type parsing (not pg's global registry): ISO strings for times, numbers for counts. */
export const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === TIMESTAMPTZ || oid === TIMESTAMP) return (value: string) => parseTimestamp(value).toISOString();
    if (oid === INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

/** A PostgreSQL URL without its password, for messages and logs. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.username ? `${decodeURIComponent(parsed.username)}@` : ''}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

export interface PoolOptions {
  /** Connections in the pool (default 10). */
  readonly max?: number;
  /** Shown in pg_stat_activity, e.g. the replica id. */
  readonly applicationName?: string;
}

export function connectionConfig(url: string, options: PoolOptions = {}): pg.PoolConfig {
  return {
    connectionString: url,
    max: options.max ?? 10,
    application_name: (options.applicationName ?? 'briefbot').slice(0, 63),
    types: typeParsers,
    // Sessions in UTC, so nothing depends on the server's time zone.
    options: '-c TimeZone=UTC',
    connectionTimeoutMillis: 10_000,
  };
}

/** Opens a pool and checks that the server answers; BriefbotError('STORE') naming the server otherwise. */
export async function openPool(url: string, options: PoolOptions = {}): Promise<Pool> {
  const pool = new pg.Pool(connectionConfig(url, options));
  // An idle client that loses its connection emits here; without a listener it would crash the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new BriefbotError('STORE', `cannot connect to ${describeUrl(url)}: ${oneLine(error)}`, { cause: error });
  }
  return pool;
}

/** Arbitrary, fixed: the advisory lock that serialises migrations of replicas starting together. */
const MIGRATION_LOCK = 4_815_162_342;

/** Applies pending migrations in one transaction, under an advisory lock; returns the versions applied now. */
export async function migrate(pool: Pool, list: readonly Migration[] = migrations): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`);
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const newest = Math.max(0, ...list.map((m) => m.version));
    const ahead = [...applied].filter((v) => v > newest);
    if (ahead.length > 0) {
      throw new BriefbotError(
        'STORE',
        `database schema version ${Math.max(...ahead)} is newer than this Briefbot (${newest}); upgrade Briefbot`,
      );
    }
    const done: number[] = [];
    for (const migration of [...list].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    await client.query('COMMIT');
    return done;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error instanceof BriefbotError
      ? error
      : new BriefbotError('STORE', `migrating the database failed: ${oneLine(error)}`, { cause: error });
  } finally {
    client.release();
  }
}

/** Runs `fn` in a transaction on one pooled connection. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** PostgreSQL text cannot hold NUL characters (SQLite can): they are dropped on the way in. */
export function pgText<T>(value: T): T {
  return (typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value) as T;
}
