/**
 * LeaseKeeper (who holds the Discord gateway): one holder at a time on a shared database; a
 * stopped holder hands over; a holder that cannot renew gives the work up before its lease
 * can end, and only then does another replica take it. Real SQLite file shared by two
 * connections.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../src/core/log.ts';
import { LeaseKeeper } from '../src/schedule/lease-keeper.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { waitFor } from './fakes/slack.ts';

test('one holder at a time: handover on stop, and a holder that cannot renew steps down before its lease ends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-keeper-'));
  const path = join(dir, 'shared.db');
  const stores = [openSqliteStore(path), openSqliteStore(path), openSqliteStore(path)];
  let connected = 0;
  let maxConnected = 0;
  const events: string[] = [];
  const keeper = (owner: string, index: number): LeaseKeeper =>
    new LeaseKeeper({
      leases: stores[index]!.leases,
      name: 'discord-gateway',
      owner,
      leaseMs: 600,
      logger: silentLogger,
      onAcquired: async () => {
        connected += 1;
        maxConnected = Math.max(maxConnected, connected);
        events.push(`${owner} up`);
      },
      onReleased: async () => {
        connected -= 1;
        events.push(`${owner} down`);
      },
    });
  const a = keeper('a', 0);
  const b = keeper('b', 1);
  const c = keeper('c', 2);
  try {
    await a.start();
    await b.start();
    assert.deepEqual([a.held, b.held], [true, false]);
    await a.stop();
    await waitFor(() => b.held, 5_000, 'b to take over after a stopped');
    // b loses its database: renewals fail, so it steps down before its lease can end…
    await c.start();
    await stores[1]!.close();
    await waitFor(() => !b.held, 5_000, 'b to step down');
    // …and c takes it only once that lease has ended (c has been trying all along).
    await waitFor(() => c.held, 5_000, 'c to take over');
    assert.equal(maxConnected, 1, `never two holders: ${events.join(', ')}`);
    assert.deepEqual(events, ['a up', 'a down', 'b up', 'b down', 'c up']);
  } finally {
    await a.stop();
    await c.stop();
    await Promise.all(stores.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  }
});
