/** Named leases on PostgreSQL (see LeaseRepo): one row per name, taken over only once expired. */
import type { LeaseRepo } from '../port.ts';
import type { Pool } from './database.ts';

export class PgLeaseRepo implements LeaseRepo {
  constructor(private readonly pool: Pool) {}

  async acquire(name: string, owner: string, until: string, at: string): Promise<boolean> {
    // ON CONFLICT … WHERE runs under the row's lock: of two replicas racing, one wins.
    const result = await this.pool.query(
      `INSERT INTO leases (name, owner, until, acquired_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until,
         acquired_at = CASE WHEN leases.owner = EXCLUDED.owner THEN leases.acquired_at ELSE EXCLUDED.acquired_at END
       WHERE leases.owner = EXCLUDED.owner OR leases.until <= EXCLUDED.acquired_at`,
      [name, owner, until, at],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async renew(name: string, owner: string, until: string): Promise<boolean> {
    return ((await this.pool.query('UPDATE leases SET until = $1 WHERE name = $2 AND owner = $3', [until, name, owner])).rowCount ?? 0) > 0;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.pool.query('DELETE FROM leases WHERE name = $1 AND owner = $2', [name, owner]);
  }

  async holder(name: string, at: string): Promise<{ owner: string; until: string } | undefined> {
    return (
      await this.pool.query<{ owner: string; until: string }>('SELECT owner, until FROM leases WHERE name = $1 AND until > $2', [name, at])
    ).rows[0];
  }
}
