/**
 * The store backends the contract tests run against: SQLite in memory, and PostgreSQL on the
 * test server (a fresh database per store) — skipped with one line where no server exists.
 */
import type { Store } from '../../src/store/port.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { freshDatabase, postgresUnavailable } from './postgres.ts';

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  /** A reason to skip, or false. */
  readonly skip: string | false;
  open(): Promise<Store>;
}

export const backends: readonly Backend[] = [
  { name: 'sqlite', skip: false, open: async () => openSqliteStore(':memory:') },
  { name: 'postgres', skip: postgresUnavailable() ?? false, open: async () => openPostgresStore(await freshDatabase('store')) },
];
