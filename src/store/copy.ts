/**
 * Copies every table of one store into another (SQLite → PostgreSQL, `briefbot migrate
 * --from`), in batches, keeping rows already present: a copy can be re-run after an
 * interruption and never duplicates or overwrites anything.
 */
import type { Store } from './port.ts';

export interface CopyProgress {
  readonly table: string;
  /** Rows read from the source. */
  readonly read: number;
  /** Rows that were new in the target. */
  readonly written: number;
}

export async function copyStore(
  from: Store,
  to: Store,
  options: { batchSize?: number; onTable?: (progress: CopyProgress) => void } = {},
): Promise<CopyProgress[]> {
  const batchSize = options.batchSize ?? 500;
  const report: CopyProgress[] = [];
  for (const table of to.transfer.tables) {
    if (!from.transfer.tables.includes(table)) continue;
    let read = 0;
    let written = 0;
    for await (const rows of from.transfer.read(table, batchSize)) {
      read += rows.length;
      written += await to.transfer.write(table, rows);
    }
    const progress = { table, read, written };
    report.push(progress);
    options.onTable?.(progress);
  }
  return report;
}
