import type { IsoTime, SourceHealth } from '../../core/types.ts';
import type { LocalFileState, SourceRepo, SourceState } from '../port.ts';
import { toSourceState as toState, type SourceRow } from '../rows.ts';
import { InListQuery } from './chunked.ts';
import type { Db } from './database.ts';

interface LocalFileRow {
  path: string;
  size: number;
  mtime_ms: number;
  hash: string;
  checked_at_ms: number;
}

export class SqliteSourceRepo implements SourceRepo {
  private readonly statements;
  private readonly localFileList: InListQuery<LocalFileRow>;

  constructor(private readonly db: Db) {
    this.localFileList = new InListQuery(db, 'SELECT * FROM local_files WHERE scope = ? AND path IN (?…)');
    this.statements = {
      recordFile: db.prepare(`INSERT INTO local_files (scope, path, size, mtime_ms, hash, checked_at_ms)
        VALUES (@scope, @path, @size, @mtimeMs, @hash, @checkedAtMs)
        ON CONFLICT(scope, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
          hash = excluded.hash, checked_at_ms = excluded.checked_at_ms`),
      get: db.prepare('SELECT * FROM sources WHERE id = ?'),
      success: db.prepare(`INSERT INTO sources (id, url, etag, last_modified, last_success_at, failure_streak)
        VALUES (@id, @url, @etag, @lastModified, @at, 0)
        ON CONFLICT(id) DO UPDATE SET url = excluded.url, etag = excluded.etag,
          last_modified = excluded.last_modified, last_success_at = excluded.last_success_at,
          failure_streak = 0, failing_since = NULL`),
      failure: db.prepare(`INSERT INTO sources (id, url, last_error_at, last_error, failure_streak, failing_since)
        VALUES (@id, @url, @at, @error, 1, @at)
        ON CONFLICT(id) DO UPDATE SET url = excluded.url, last_error_at = excluded.last_error_at,
          last_error = excluded.last_error, failure_streak = sources.failure_streak + 1,
          failing_since = COALESCE(sources.failing_since, excluded.failing_since)`),
    };
  }

  async get(sourceId: string): Promise<SourceState | undefined> {
    const row = this.statements.get.get(sourceId) as SourceRow | undefined;
    return row && toState(row);
  }

  async recordSuccess(
    sourceId: string,
    url: string,
    at: IsoTime,
    validators: { etag?: string | undefined; lastModified?: string | undefined },
  ): Promise<void> {
    this.statements.success.run({
      id: sourceId,
      url,
      at,
      etag: validators.etag ?? null,
      lastModified: validators.lastModified ?? null,
    });
  }

  async recordFailure(sourceId: string, url: string, at: IsoTime, error: string): Promise<void> {
    this.statements.failure.run({ id: sourceId, url, at, error });
  }

  async health(sourceIds: readonly string[]): Promise<SourceHealth[]> {
    const states: SourceHealth[] = [];
    for (const id of sourceIds) {
      const row = this.statements.get.get(id) as SourceRow | undefined;
      if (row) {
        const { etag: _etag, lastModified: _lastModified, ...health } = toState(row);
        states.push(health);
      }
    }
    return states;
  }

  async localFiles(scope: string, paths: readonly string[]): Promise<Map<string, LocalFileState>> {
    // A folder of 10,000 files is 20 queries: the serving thread gets a turn between them.
    const rows = await this.localFileList.allYielding(paths, scope);
    return new Map(
      rows.map((r) => [r.path, { path: r.path, size: r.size, mtimeMs: r.mtime_ms, hash: r.hash, checkedAtMs: r.checked_at_ms }]),
    );
  }

  async recordLocalFiles(scope: string, files: readonly LocalFileState[]): Promise<void> {
    this.db.transaction(() => {
      for (const file of files) this.statements.recordFile.run({ scope, ...file });
    })();
  }
}
