/**
 * `briefbot migrate [--from SOURCE]`: brings the configured database's schema up to date
 * (the step to run before starting new replicas), and with `--from` copies a whole database
 * into it — e.g. a team's SQLite file into PostgreSQL — without losing history. Re-running a
 * copy is safe: rows already there are kept.
 */
import { UsageError } from '../core/errors.ts';
import { copyStore } from '../store/copy.ts';
import type { CliContext } from './context.ts';
import { describeDatabase, openStore, sourceDatabase } from './store.ts';

export async function runMigrate(ctx: CliContext, options: { from?: string; cwd: string }): Promise<number> {
  const target = ctx.settings.database;
  const versions = await ctx.store.schemaVersions();
  ctx.stdout.write(`${await describeDatabase(target)}: schema version ${Math.max(0, ...versions)} (migrations ${versions.join(', ')})\n`);
  if (options.from === undefined) return 0;
  const source = sourceDatabase(options.from, options.cwd);
  const same =
    source.kind === target.kind &&
    (source.kind === 'sqlite' ? source.path === (target as { path: string }).path : source.url === (target as { url: string }).url);
  if (same) throw new UsageError('migrate --from names the configured database itself; set BRIEFBOT_DB to the target');
  const from = await openStore(source, 'briefbot-migrate');
  try {
    ctx.stdout.write(`copying from ${await describeDatabase(source)}\n`);
    const report = await copyStore(from, ctx.store, {
      onTable: (p) =>
        ctx.stdout.write(
          `  ${p.table}: ${p.read} rows, ${p.written} new${p.read > p.written ? `, ${p.read - p.written} already there` : ''}\n`,
        ),
    });
    const rows = report.reduce((n, p) => n + p.read, 0);
    ctx.stdout.write(`done: ${rows} rows in ${report.length} tables\n`);
    return 0;
  } finally {
    await from.close();
  }
}
