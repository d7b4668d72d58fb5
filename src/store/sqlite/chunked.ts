/**
 * `WHERE key IN (…)` over many keys: SQLite caps bound parameters per statement, so keys go
 * in chunks. A chunk is padded (with its last key, harmless in an IN list) to one of a few
 * sizes, so a handful of statements are prepared once and reused whatever the key counts.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.ts';

/** Keys per statement, well below SQLite's parameter limit. */
export const CHUNK = 512;
const SIZES = [1, 8, 64, CHUNK];

export class InListQuery<Row> {
  private readonly statements = new Map<number, Statement>();

  /** `sql` contains `(?…)` where the key list goes, e.g. `SELECT * FROM t WHERE id IN (?…)`. */
  constructor(
    private readonly db: Db,
    private readonly sql: string,
  ) {}

  /** Rows for all `keys` (deduplicated), with `leading` parameters bound before the list. */
  all(keys: readonly (string | number)[], ...leading: unknown[]): Row[] {
    const unique = [...new Set(keys)];
    const rows: Row[] = [];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      const size = SIZES.find((s) => s >= chunk.length) ?? CHUNK;
      const padded = chunk.concat(Array.from({ length: size - chunk.length }, () => chunk[chunk.length - 1]!));
      for (const row of this.statement(size).all(...leading, ...padded) as Row[]) rows.push(row);
    }
    return rows;
  }

  /** {@link all}, with a turn of the event loop between chunks (long key lists on a serving thread). */
  async allYielding(keys: readonly (string | number)[], ...leading: unknown[]): Promise<Row[]> {
    const unique = [...new Set(keys)];
    const rows: Row[] = [];
    for (let i = 0; i < unique.length; i += CHUNK) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      for (const row of this.all(unique.slice(i, i + CHUNK), ...leading)) rows.push(row);
    }
    return rows;
  }

  private statement(size: number): Statement {
    let statement = this.statements.get(size);
    if (!statement) {
      statement = this.db.prepare(this.sql.replace('(?…)', `(${Array.from({ length: size }, () => '?').join(',')})`));
      this.statements.set(size, statement);
    }
    return statement;
  }
}
