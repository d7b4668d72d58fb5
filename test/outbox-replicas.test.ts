/**
 * Several serving processes on one database (two serve hosts in this process, each with its
 * own connection and replica id): one replica's recovery never re-queues what another is
 * posting right now (the bug that posted 13 of 50 briefs twice with three processes on one
 * SQLite file); the work is shared; an abandoned claim is taken over once its lease ends and
 * settled from the channel's history, never posted twice. On SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../src/store/port.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import { outboxKey } from '../src/store/rows.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { FakeSlack, waitFor } from './fakes/slack.ts';
import { freshDatabase, postgresUnavailable } from './helpers/postgres.ts';
import { startHarness, testTopics } from './helpers/slack-serve.ts';

/** Polls an async condition until it holds, or fails after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** When the claim on an outbox entry ends (NaN when it is not claimed), read on a connection of its own. */
async function leaseEndOf(open: () => Promise<Store>, key: string): Promise<number> {
  const store = await open();
  try {
    return Date.parse((await store.chat.outboxEntry(key))?.leaseUntil ?? '');
  } finally {
    await store.close();
  }
}

const CHANNELS = Array.from({ length: 20 }, (_, i) => `C${String(i + 1).padStart(3, '0')}`);

interface Variant {
  readonly name: string;
  readonly skip: string | false;
  /** Opens one more connection to the shared database of a test. */
  database(): Promise<() => Promise<Store>>;
}

const variants: Variant[] = [
  {
    name: 'one SQLite file',
    skip: false,
    async database() {
      const dir = mkdtempSync(join(tmpdir(), 'briefbot-replicas-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      const path = join(dir, 'shared.db');
      return async () => openSqliteStore(path);
    },
  },
  {
    name: 'one PostgreSQL database',
    skip: postgresUnavailable() ?? false,
    async database() {
      const url = await freshDatabase('outbox');
      return () => openPostgresStore(url);
    },
  },
];

for (const variant of variants) {
  describe(`two replicas on ${variant.name}`, { skip: variant.skip }, () => {
    let slack: FakeSlack;
    before(async () => {
      slack = await new FakeSlack().start();
    });
    after(async () => {
      await slack.close();
    });
    const tops = (channel: string): number => slack.messagesIn(channel).filter((m) => m.thread_ts === undefined).length;

    test('a replica flushing while another posts neither re-queues nor doubles its deliveries, and shares the work', async () => {
      const open = await variant.database();
      const topics = testTopics({ harborChannels: CHANNELS.map((c) => `slack:${c}`) });
      const serve = { deliveryConcurrency: 4, leaseMs: 5_000, tickMs: 60_000 };
      const posted = { a: 0, b: 0 };
      const a = await startHarness({
        slack,
        topics,
        openStore: open,
        serve: { ...serve, replicaId: 'replica-a', afterPost: () => void (posted.a += 1) },
      });
      const b = await startHarness({
        slack,
        topics,
        openStore: open,
        serve: { ...serve, replicaId: 'replica-b', afterPost: () => void (posted.b += 1) },
      });
      slack.postDelayMs = 60;
      const before = slack.messages.length;
      try {
        const fired = new Date('2026-11-23T09:00:00Z');
        const run = a.serve.scheduler.jobFor('harbor')({ date: fired });
        await waitFor(() => slack.messages.length - before >= 2, 20_000, 'replica a posting');
        // The old recovery re-queued every `sending` entry it did not post itself: here, a's.
        const flushes = [b.serve.outbox.flush(), b.serve.outbox.flush()];
        assert.equal(await run, 'delivered');
        await Promise.all(flushes);
        // On PostgreSQL a NOTIFY also started flushes of their own: wait for every delivery to settle.
        const keys = CHANNELS.map((c) => outboxKey('harbor', fired.toISOString(), `slack:${c}`));
        await until(
          async () => (await Promise.all(keys.map((k) => a.serve.chat.outboxEntry(k)))).every((e) => e?.status === 'sent'),
          20_000,
          'every delivery sent',
        );
        const entries = await Promise.all(
          CHANNELS.map((c) => a.serve.chat.outboxEntry(outboxKey('harbor', fired.toISOString(), `slack:${c}`))),
        );
        for (const c of CHANNELS)
          assert.equal(tops(c), 1, `${c} got exactly one brief: ${JSON.stringify(entries.find((e) => e?.channel === `slack:${c}`))}`);
        assert.ok(
          entries.every((e) => e?.status === 'sent' && e.attempts === 1),
          'each posted on its first attempt',
        );
        assert.equal(posted.a + posted.b, CHANNELS.length);
        assert.ok(posted.b > 0, `replica b took a share (a ${posted.a}, b ${posted.b})`);
      } finally {
        slack.postDelayMs = 0;
        await a.close();
        await b.close();
      }
    });

    test('an abandoned claim waits for its lease, then another replica settles it from channel history, posting nothing twice', async () => {
      const open = await variant.database();
      const topics = testTopics({ harborChannels: ['slack:C900', 'slack:C901'] });
      const fired = new Date('2026-11-24T09:00:00Z');
      const crashed = outboxKey('harbor', fired.toISOString(), 'slack:C900');
      // Replica a "dies" between posting to C900 and recording it: its claim stays `sending`.
      let crashedNow = (): void => undefined;
      const crashDone = new Promise<void>((resolve) => (crashedNow = resolve));
      const a = await startHarness({
        slack,
        topics,
        openStore: open,
        serve: {
          replicaId: 'replica-a',
          leaseMs: 1500,
          tickMs: 60_000,
          afterPost: (entry) => {
            if (entry.key !== crashed) return;
            // A crashed process does nothing more. Left running, a would find its own unrecorded
            // post at its next flush (an interrupted delivery of its own is in doubt) and settle
            // it before b is started: stopping first ends every later flush and recovery of a.
            void a.serve.outbox.stop();
            crashedNow();
            throw new Error('simulated crash after post');
          },
        },
      });
      await a.serve.scheduler.jobFor('harbor')({ date: fired });
      // The post may be another flush's than the job's own: on PostgreSQL a NOTIFY kicks one, and
      // the job's claim then skips the locked entry and returns before that post is made.
      await crashDone;
      // Closed, a renews nothing: the lease read now is the one b must wait out.
      await a.close();
      const leaseEnd = await leaseEndOf(open, crashed);
      assert.ok(Number.isFinite(leaseEnd), 'the abandoned claim is still leased to replica a');
      assert.equal(tops('C900'), 1);
      const b = await startHarness({ slack, topics, openStore: open, serve: { replicaId: 'replica-b', leaseMs: 1500, tickMs: 60_000 } });
      try {
        // b flushed at start; while a's lease lasts, b leaves a's claim alone.
        let entry = await b.serve.chat.outboxEntry(crashed);
        if (Date.now() < leaseEnd - 100) assert.deepEqual([entry?.status, entry?.leaseOwner], ['sending', 'replica-a']);
        await waitFor(() => Date.now() > leaseEnd, 5_000, "the dead replica's lease to end");
        // This flush, or a kick of b's own that is already running (a tick, a notification), settles it.
        await b.serve.outbox.flush();
        await until(async () => (await b.serve.chat.outboxEntry(crashed))?.status !== 'sending', 10_000, 'the claim to be settled');
        entry = await b.serve.chat.outboxEntry(crashed);
        assert.equal(entry?.status, 'sent', 'settled from the channel history');
        assert.equal(entry?.threadId, slack.messagesIn('C900')[0]?.ts);
        assert.equal(tops('C900'), 1, 'never posted twice');
        assert.equal(tops('C901'), 1);
      } finally {
        await b.close();
      }
    });
  });
}
