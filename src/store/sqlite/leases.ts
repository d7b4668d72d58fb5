/** Named leases on SQLite (see LeaseRepo): one row per name, taken over only once expired. */
import type { LeaseRepo } from '../port.ts';
import type { Db } from './database.ts';

export class SqliteLeaseRepo implements LeaseRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      acquire: db.prepare(`INSERT INTO leases (name, owner, until, acquired_at) VALUES (@name, @owner, @until, @at)
        ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, until = excluded.until,
          acquired_at = CASE WHEN leases.owner = excluded.owner THEN leases.acquired_at ELSE excluded.acquired_at END
        WHERE leases.owner = excluded.owner OR leases.until <= excluded.acquired_at`),
      renew: db.prepare('UPDATE leases SET until = ? WHERE name = ? AND owner = ?'),
      release: db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?'),
      holder: db.prepare('SELECT owner, until FROM leases WHERE name = ? AND until > ?'),
    };
  }

  async acquire(name: string, owner: string, until: string, at: string): Promise<boolean> {
    return this.s.acquire.run({ name, owner, until, at }).changes > 0;
  }

  async renew(name: string, owner: string, until: string): Promise<boolean> {
    return this.s.renew.run(until, name, owner).changes > 0;
  }

  async release(name: string, owner: string): Promise<void> {
    this.s.release.run(name, owner);
  }

  async holder(name: string, at: string): Promise<{ owner: string; until: string } | undefined> {
    return this.s.holder.get(name, at) as { owner: string; until: string } | undefined;
  }
}
