/** Table-level copy in and out of PostgreSQL (see TransferRepo). */
import type { TableRow, TransferRepo } from '../port.ts';
import { TABLES, tableSpec } from '../tables.ts';
import { pgKey } from './cache.ts';
import { pgText, type Pool } from './database.ts';

/** PostgreSQL binds at most 65,535 parameters per statement. */
const MAX_PARAMS = 30_000;

export class PgTransferRepo implements TransferRepo {
  readonly tables = TABLES.map((t) => t.name);

  constructor(private readonly pool: Pool) {}

  async *read(table: string, batchSize: number): AsyncIterable<TableRow[]> {
    const spec = tableSpec(table);
    for (let offset = 0; ; offset += batchSize) {
      const rows = (
        await this.pool.query<TableRow>(`SELECT ${spec.columns.join(', ')} FROM ${spec.name} ORDER BY ${spec.orderBy} LIMIT $1 OFFSET $2`, [
          batchSize,
          offset,
        ])
      ).rows;
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) return;
    }
  }

  async write(table: string, rows: readonly TableRow[]): Promise<number> {
    const spec = tableSpec(table);
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / spec.columns.length));
    let written = 0;
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      const params: unknown[] = [];
      // Cache keys are escaped as the cache repo does (they may hold NUL); other text loses NULs.
      const value = (column: string, v: string | number | null): unknown =>
        spec.name === 'cache' && (column === 'namespace' || column === 'key') && typeof v === 'string' ? pgKey(v) : pgText(v);
      const tuples = chunk.map((row) => `(${spec.columns.map((c) => `$${params.push(value(c, row[c] ?? null))}`).join(', ')})`);
      const result = await this.pool.query(
        `INSERT INTO ${spec.name} (${spec.columns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`,
        params,
      );
      written += result.rowCount ?? 0;
    }
    return written;
  }
}
