/**
 * Table-level copy in and out of SQLite (see TransferRepo). Rows cross in the shared table
 * shapes of tables.ts; where SQLite stores a table its own way — near-duplicate band keys as
 * integers against an article sequence number (migration 007) — it converts on the way.
 */
import { bandKey } from '../band-key.ts';
import type { TableRow, TransferRepo } from '../port.ts';
import { TABLES, tableSpec } from '../tables.ts';
import type { Db } from './database.ts';

/** The band key "b12:9f2c3a1b" of a stored integer (bandKey's inverse for real keys). */
const BAND_TEXT = "printf('b%d:%08x', b.band >> 32, b.band & 4294967295)";

export class SqliteTransferRepo implements TransferRepo {
  readonly tables = TABLES.map((t) => t.name);

  constructor(private readonly db: Db) {}

  async *read(table: string, batchSize: number): AsyncIterable<TableRow[]> {
    const spec = tableSpec(table);
    // Keyset-free paging by OFFSET is fine here: the copy runs on a database no one writes to.
    const statement =
      table === 'article_bands'
        ? this.db.prepare(
            `SELECT ${BAND_TEXT} AS band, a.id AS article_id FROM article_bands b JOIN articles a ON a.seq = b.seq ORDER BY band, article_id LIMIT ? OFFSET ?`,
          )
        : this.db.prepare(`SELECT ${spec.columns.join(', ')} FROM ${spec.name} ORDER BY ${spec.orderBy} LIMIT ? OFFSET ?`);
    for (let offset = 0; ; offset += batchSize) {
      const rows = statement.all(batchSize, offset) as TableRow[];
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) return;
    }
  }

  async write(table: string, rows: readonly TableRow[]): Promise<number> {
    if (table === 'article_bands') {
      const insert = this.db.prepare('INSERT OR IGNORE INTO article_bands (band, seq) SELECT ?, seq FROM articles WHERE id = ?');
      return this.db.transaction(() =>
        rows.reduce((n, row) => n + insert.run(bandKey(String(row['band'])), row['article_id']).changes, 0),
      )();
    }
    const spec = tableSpec(table);
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO ${spec.name} (${spec.columns.join(', ')}) VALUES (${spec.columns.map((c) => `@${c}`).join(', ')})`,
    );
    return this.db.transaction(() => {
      const written = rows.reduce((n, row) => n + insert.run(row).changes, 0);
      // Copied articles get sequence numbers after every number in use (their bands follow them).
      if (table === 'articles')
        this.db.exec('UPDATE articles SET seq = (SELECT coalesce(max(seq), 0) FROM articles) + rowid WHERE seq IS NULL');
      return written;
    })();
  }
}
