import type { IsoTime, SourceHealth } from '../../core/types.ts';
import type { LocalFileState, SourceRepo, SourceState } from '../port.ts';
import { toSourceState, type SourceRow } from '../rows.ts';
import { pgText, type Pool } from './database.ts';

export class PgSourceRepo implements SourceRepo {
  constructor(private readonly pool: Pool) {}

  async get(sourceId: string): Promise<SourceState | undefined> {
    const row = (await this.pool.query<SourceRow>('SELECT * FROM sources WHERE id = $1', [sourceId])).rows[0];
    return row && toSourceState(row);
  }

  async recordSuccess(
    sourceId: string,
    url: string,
    at: IsoTime,
    validators: { etag?: string | undefined; lastModified?: string | undefined },
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO sources (id, url, etag, last_modified, last_success_at, failure_streak) VALUES ($1, $2, $3, $4, $5, 0)
       ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified,
         last_success_at = EXCLUDED.last_success_at, failure_streak = 0, failing_since = NULL`,
      [sourceId, url, validators.etag ?? null, validators.lastModified ?? null, at],
    );
  }

  async recordFailure(sourceId: string, url: string, at: IsoTime, error: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO sources (id, url, last_error_at, last_error, failure_streak, failing_since) VALUES ($1, $2, $3, $4, 1, $3)
       ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, last_error_at = EXCLUDED.last_error_at, last_error = EXCLUDED.last_error,
         failure_streak = sources.failure_streak + 1, failing_since = COALESCE(sources.failing_since, EXCLUDED.failing_since)`,
      [sourceId, url, at, error],
    );
  }

  async health(sourceIds: readonly string[]): Promise<SourceHealth[]> {
    if (sourceIds.length === 0) return [];
    const rows = (await this.pool.query<SourceRow>('SELECT * FROM sources WHERE id = ANY($1::text[])', [[...sourceIds]])).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    return sourceIds.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      const { etag: _etag, lastModified: _lastModified, ...health } = toSourceState(row);
      return [health];
    });
  }

  async localFiles(scope: string, paths: readonly string[]): Promise<Map<string, LocalFileState>> {
    if (paths.length === 0) return new Map();
    const rows = (
      await this.pool.query<{ path: string; size: number; mtime_ms: number; hash: string; checked_at_ms: number }>(
        'SELECT path, size, mtime_ms, hash, checked_at_ms FROM local_files WHERE scope = $1 AND path = ANY($2::text[])',
        [scope, [...new Set(paths)]],
      )
    ).rows;
    return new Map(
      rows.map((r) => [
        r.path,
        { path: r.path, size: Number(r.size), mtimeMs: Number(r.mtime_ms), hash: r.hash, checkedAtMs: Number(r.checked_at_ms) },
      ]),
    );
  }

  async recordLocalFiles(scope: string, files: readonly LocalFileState[]): Promise<void> {
    if (files.length === 0) return;
    await this.pool.query(
      `INSERT INTO local_files (scope, path, size, mtime_ms, hash, checked_at_ms)
       SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::double precision[], $5::text[], $6::bigint[])
       ON CONFLICT (scope, path) DO UPDATE SET size = EXCLUDED.size, mtime_ms = EXCLUDED.mtime_ms,
         hash = EXCLUDED.hash, checked_at_ms = EXCLUDED.checked_at_ms`,
      [
        scope,
        files.map((f) => pgText(f.path)),
        files.map((f) => f.size),
        files.map((f) => f.mtimeMs),
        files.map((f) => f.hash),
        files.map((f) => f.checkedAtMs),
      ],
    );
  }
}
