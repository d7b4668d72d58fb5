/**
 * Opening the configured store (composition root helpers): SQLite by default, PostgreSQL for
 * a postgres:// URL — loaded lazily, so SQLite runs never load the PostgreSQL client.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isPostgresUrl, type DatabaseSetting } from '../config/load.ts';
import { UsageError } from '../core/errors.ts';
import type { Store } from '../store/port.ts';
import { openSqliteStore } from '../store/sqlite/index.ts';

export async function openStore(database: DatabaseSetting, applicationName = 'briefbot'): Promise<Store> {
  if (database.kind === 'sqlite') return openSqliteStore(database.path);
  const { openPostgresStore } = await import('../store/postgres/index.ts');
  return openPostgresStore(database.url, { applicationName });
}

/** Where a database is, for messages: the SQLite path, or the URL without its password. */
export async function describeDatabase(database: DatabaseSetting): Promise<string> {
  if (database.kind === 'sqlite') return `SQLite ${database.path}`;
  const { describeUrl } = await import('../store/postgres/index.ts');
  return `PostgreSQL ${describeUrl(database.url)}`;
}

/** `--from` of `briefbot migrate`: an existing SQLite file or a postgres:// URL. */
export function sourceDatabase(value: string, cwd: string): DatabaseSetting {
  if (isPostgresUrl(value)) return { kind: 'postgres', url: value };
  const path = resolve(cwd, value);
  if (!existsSync(path)) throw new UsageError(`--from ${value}: no such SQLite file`);
  return { kind: 'sqlite', path };
}
