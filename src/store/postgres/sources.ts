import type { IsoTime, SourceHealth } from '../../core/types.ts';
import type { SourceRepo, SourceState } from '../port.ts';
import { toSourceState, type SourceRow } from '../rows.ts';
import type { Pool } from './database.ts';

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
}
