/**
 * The chat side of the store contract — follows, the outbox with its claims and leases,
 * scheduled runs, threads, events, named leases — on SQLite and PostgreSQL alike. Several
 * stores opened on one PostgreSQL database stand for several replicas.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Lease } from '../src/store/chat-port.ts';
import type { Store } from '../src/store/port.ts';
import { outboxKey } from '../src/store/rows.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import { backends } from './helpers/backends.ts';
import { freshDatabase, postgresUnavailable } from './helpers/postgres.ts';

const T0 = '2026-11-23T09:00:00.000Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const lease = (owner: string, untilSeconds: number): Lease => ({ owner, until: at(untilSeconds) });
const PLATFORMS = ['slack', 'discord'];

async function withStore(open: () => Promise<Store>, fn: (store: Store) => Promise<void>): Promise<void> {
  const store = await open();
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

for (const backend of backends) {
  describe(`chat repo contract on ${backend.name}`, { skip: backend.skip }, () => {
    test('follows, threads and events', () =>
      withStore(backend.open, async ({ chat }) => {
        assert.equal(await chat.follow('slack:C2', 'harbor', at(0)), true);
        assert.equal(await chat.follow('slack:C2', 'harbor', at(1)), false);
        await chat.follow('slack:C1', 'harbor', at(2));
        await chat.follow('slack:C1', 'ai', at(3));
        assert.deepEqual(await chat.followers('harbor'), ['slack:C2', 'slack:C1']);
        assert.deepEqual(await chat.following('slack:C1'), ['ai', 'harbor']);
        assert.equal(await chat.unfollow('slack:C1', 'ai'), true);
        assert.equal(await chat.unfollow('slack:C1', 'ai'), false);
        await chat.savePostedBrief('slack:C1', '171.1', 'brf_1', at(0));
        assert.equal(await chat.briefForThread('slack:C1', '171.1'), 'brf_1');
        assert.equal(await chat.briefForThread('slack:C1', 'nope'), undefined);
        assert.equal(await chat.markEventProcessed('ev1', at(0)), true);
        assert.equal(await chat.markEventProcessed('ev1', at(1)), false, 'a redelivered event is seen once');
      }));

    test('a scheduled run begins once per slot, with its deliveries, and they wait for its live lease', () =>
      withStore(backend.open, async ({ chat }) => {
        const run = { topicId: 'harbor', scheduledFor: T0, channels: ['slack:C1', 'discord:42', 'slack:C1'], lease: lease('r1', 15) };
        assert.equal(await chat.beginRun(run, at(0)), true);
        assert.equal(await chat.beginRun({ ...run, lease: lease('r2', 15) }, at(1)), false, 'another replica cannot begin the same slot');
        const key = outboxKey('harbor', T0, 'slack:C1');
        assert.equal((await chat.outboxEntry(key))?.status, 'pending');
        // No brief yet and the builder's lease is live: nobody claims them.
        assert.deepEqual(await chat.claimDue(at(1), lease('r2', 16), 10, PLATFORMS), []);
        assert.equal(await chat.renewRun('harbor', T0, lease('r1', 30)), true);
        assert.equal(await chat.renewRun('harbor', T0, lease('r2', 30)), false, 'only the builder renews');
        assert.deepEqual(await chat.claimDue(at(20), lease('r2', 35), 10, PLATFORMS), [], 'renewed: still waiting at 20 s');
        // The builder died: once its lease ends, another replica may claim (and build).
        const claimed = await chat.claimDue(at(31), lease('r2', 46), 10, PLATFORMS);
        assert.deepEqual(claimed.map((e) => e.channel).sort(), ['discord:42', 'slack:C1']);
        assert.ok(claimed.every((e) => e.status === 'sending' && e.leaseOwner === 'r2' && e.attempts === 1 && e.briefId === undefined));
        await chat.finishRun('harbor', T0, at(40), 'boom');
        assert.equal((await chat.lastRun('harbor'))?.error, 'boom');
      }));

    test('claims: one owner each, renewed, guarded transitions, handed back, taken over only when their lease ends', () =>
      withStore(backend.open, async ({ chat }) => {
        for (const channel of ['slack:C1', 'slack:C2', 'slack:C3', 'teams:T1']) {
          await chat.enqueue({ topicId: 'harbor', runId: 'r', channel, briefId: 'brf_1' }, at(0));
        }
        const k = (c: string): string => outboxKey('harbor', 'r', c);
        assert.deepEqual(await chat.claimDue(at(1), lease('a', 16), 0, PLATFORMS), []);
        const first = await chat.claimDue(at(1), lease('a', 16), 2, PLATFORMS);
        assert.deepEqual(
          first.map((e) => e.channel),
          ['slack:C1', 'slack:C2'],
          'oldest first, at most the limit',
        );
        const second = await chat.claimDue(at(1), lease('b', 60), 10, PLATFORMS);
        assert.deepEqual(
          second.map((e) => e.channel),
          ['slack:C3'],
          'never a claimed entry, never a platform nobody here serves',
        );
        const [c1, c2] = first;
        assert.ok(c1?.attemptId && c2?.attemptId && c1.attemptId !== c2.attemptId);

        // Renewal keeps only what the owner holds.
        assert.deepEqual((await chat.renewClaims([k('slack:C1'), k('slack:C3')], lease('a', 30), at(10))).sort(), [k('slack:C1')]);
        // A live claim of another replica is never in doubt; one's own (after a restart) is.
        assert.deepEqual(
          (await chat.inDoubt(at(12), 'b')).map((e) => e.channel),
          ['slack:C3'],
          'a holds C1 and C2 live at 12 s',
        );
        assert.deepEqual(
          (await chat.inDoubt(at(20), 'b')).map((e) => e.channel),
          ['slack:C2', 'slack:C3'],
        );
        assert.deepEqual(
          (await chat.inDoubt(at(20), 'z')).map((e) => e.channel),
          ['slack:C2'],
          'C2 was not renewed: its lease ended at 16 s',
        );
        assert.equal(await chat.takeOver(k('slack:C1'), 'wrong-attempt', lease('z', 40), at(20)), undefined);
        const taken = await chat.takeOver(k('slack:C2'), c2.attemptId, lease('z', 40), at(20));
        assert.equal(taken?.leaseOwner, 'z');
        assert.notEqual(taken?.attemptId, c2.attemptId);
        assert.equal(await chat.takeOver(k('slack:C2'), c2.attemptId, lease('y', 40), at(21)), undefined, 'taken once');
        // The old attempt can no longer record anything.
        assert.equal(await chat.markSent(k('slack:C2'), c2.attemptId, { threadId: 't', messageIds: ['m'] }, at(22)), false);
        assert.equal(await chat.markRetry(k('slack:C2'), c2.attemptId, 'x', at(22), at(22)), false);
        assert.equal(await chat.markFailed(k('slack:C2'), c2.attemptId, 'x', at(22)), false);
        assert.equal(await chat.markRetry(k('slack:C2'), taken!.attemptId!, 'not posted', at(22), at(22)), true);
        const retried = await chat.outboxEntry(k('slack:C2'));
        assert.equal(retried?.status, 'pending');
        assert.equal(retried?.leaseOwner, undefined);
        assert.equal(retried?.attempts, 1, 'a takeover and re-queue does not count an attempt');

        assert.equal(await chat.markSent(k('slack:C1'), c1.attemptId, { threadId: '171.1', messageIds: ['171.1', '171.2'] }, at(23)), true);
        const sent = await chat.outboxEntry(k('slack:C1'));
        assert.deepEqual(
          [sent?.status, sent?.threadId, sent?.messageIds, sent?.leaseOwner],
          ['sent', '171.1', ['171.1', '171.2'], undefined],
        );

        // Shutdown: an unstarted claim goes back, not counted.
        const [c3] = second;
        assert.equal(await chat.releaseClaim(k('slack:C3'), c3!.attemptId!, at(24)), true);
        assert.equal((await chat.outboxEntry(k('slack:C3')))?.attempts, 0);
        assert.deepEqual(
          (await chat.due(at(25))).map((e) => e.channel),
          ['slack:C2', 'slack:C3', 'teams:T1'],
        );
        const again = await chat.claimDue(at(25), lease('b', 40), 10, ['slack']);
        assert.deepEqual(
          again.map((e) => e.channel),
          ['slack:C2', 'slack:C3'],
        );
        assert.equal(await chat.markFailed(k('slack:C3'), again[1]!.attemptId!, 'channel_not_found', at(26)), true);
        assert.equal((await chat.outboxEntry(k('slack:C3')))?.status, 'failed');
        // Retry later: not due before its time.
        assert.equal(await chat.markRetry(k('slack:C2'), again[0]!.attemptId!, '500', at(100), at(26), { countAttempt: true }), true);
        assert.equal((await chat.outboxEntry(k('slack:C2')))?.attempts, 3);
        assert.deepEqual(await chat.claimDue(at(99), lease('b', 114), 10, ['slack']), []);
        assert.equal((await chat.claimDue(at(100), lease('b', 115), 10, ['slack'])).length, 1);
      }));

    test('named leases: one holder, renewed by it, taken over once expired, released', () =>
      withStore(backend.open, async ({ leases }) => {
        assert.equal(await leases.acquire('gw', 'a', at(10), at(0)), true);
        assert.equal(await leases.acquire('gw', 'b', at(12), at(2)), false);
        assert.equal(await leases.acquire('gw', 'a', at(15), at(5)), true, 'the holder extends');
        assert.deepEqual(await leases.holder('gw', at(6)), { owner: 'a', until: at(15) });
        assert.equal(await leases.renew('gw', 'b', at(20)), false);
        assert.equal(await leases.acquire('gw', 'b', at(30), at(15)), true, 'expired: taken over');
        assert.equal(await leases.renew('gw', 'a', at(40)), false, 'the old holder learns it lost it');
        await leases.release('gw', 'a');
        assert.equal((await leases.holder('gw', at(16)))?.owner, 'b', 'release by a non-holder is a no-op');
        await leases.release('gw', 'b');
        assert.equal(await leases.holder('gw', at(16)), undefined);
      }));
  });
}

describe('replicas on one PostgreSQL database', { skip: postgresUnavailable() ?? false }, () => {
  test('replicas claiming at the same moment take disjoint deliveries (SKIP LOCKED), and two racing for a slot begin it once', async () => {
    const url = await freshDatabase('replicas');
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url)));
    try {
      const [one] = stores;
      for (let i = 0; i < 60; i += 1) await one!.chat.enqueue({ topicId: 't', runId: 'r', channel: `slack:C${i}`, briefId: 'b' }, at(0));
      const rounds = await Promise.all(
        stores.flatMap((s, n) => [0, 1, 2, 3].map(() => s.chat.claimDue(at(1), lease(`r${n}`, 20), 7, PLATFORMS))),
      );
      const keys = rounds.flat().map((e) => e.key);
      assert.equal(new Set(keys).size, keys.length, 'no delivery claimed twice');
      assert.equal(keys.length, 60, 'all claimed');
      const began = await Promise.all(
        stores.map((s, n) => s.chat.beginRun({ topicId: 't', scheduledFor: T0, channels: ['slack:X'], lease: lease(`r${n}`, 15) }, at(0))),
      );
      assert.equal(began.filter(Boolean).length, 1);
      const acquired = await Promise.all(stores.map((s, n) => s.leases.acquire('discord-gateway', `r${n}`, at(15), at(0))));
      assert.equal(acquired.filter(Boolean).length, 1, 'one gateway holder');
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
