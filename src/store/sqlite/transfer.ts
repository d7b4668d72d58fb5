/** Table-level copy in and out of SQLite (see TransferRepo). */
import type { TableRow, TransferRepo } from '../port.ts';
import { TABLES, tableSpec } from '../tables.ts';
import type { Db } from './database.ts';

export class SqliteTransferRepo implements TransferRepo {
  readonly tables = TABLES.map((t) => t.name);

  constructor(private readonly db: Db) {}

  async *read(table: string, batchSize: number): AsyncIterable<TableRow[]> {
    const spec = tableSpec(table);
    // Keyset-free paging by OFFSET is fine here: the copy runs on a database no one writes to.
    const statement = this.db.prepare(`SELECT ${spec.columns.join(', ')} FROM ${spec.name} ORDER BY ${spec.orderBy} LIMIT ? OFFSET ?`);
    for (let offset = 0; ; offset += batchSize) {
      const rows = statement.all(batchSize, offset) as TableRow[];
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) return;
    }
  }

  async write(table: string, rows: readonly TableRow[]): Promise<number> {
    const spec = tableSpec(table);
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO ${spec.name} (${spec.columns.join(', ')}) VALUES (${spec.columns.map((c) => `@${c}`).join(', ')})`,
    );
    return this.db.transaction(() => rows.reduce((n, row) => n + insert.run(row).changes, 0))();
  }
}
