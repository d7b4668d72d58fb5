/**
 * Serving replicas on one PostgreSQL database, in this process (two serve hosts, each with
 * its own pool and replica id), real Bolt in HTTP mode against the fake Slack:
 * - HTTP mode is stateless: a command on one replica, the follow-up on another (as a load
 *   balancer would send them), a retried event on a third path — answered once;
 * - /readyz reflects the database: 503 while PostgreSQL refuses connections, 200 after;
 * - stopping (SIGTERM) lets the post in flight finish and hands unstarted claims back.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createLogger } from '../src/core/log.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import { outboxKey } from '../src/store/rows.ts';
import { FakeSlack, sendSigned, slashCommandBody, threadMessageEvent, waitFor } from './fakes/slack.ts';
import { freshDatabase, postgresUnavailable } from './helpers/postgres.ts';
import { SIGNING_SECRET, startHarness, testTopics } from './helpers/slack-serve.ts';

const FORM = 'application/x-www-form-urlencoded';

/** A debug logger whose lines the test can count. */
function capturedLogger(): { logger: ReturnType<typeof createLogger>; count: (msg: string) => number } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return {
    logger: createLogger({ level: 'debug', destination: stream }),
    count: (msg) => text.split('\n').filter((l) => l.includes(`"msg":"${msg}"`)).length,
  };
}

describe('serve replicas on one PostgreSQL database', { skip: postgresUnavailable() ?? false }, () => {
  let slack: FakeSlack;
  before(async () => {
    slack = await new FakeSlack().start();
  });
  after(async () => {
    await slack.close();
  });

  test('Slack HTTP mode is stateless: command on one replica, follow-up on the other, a retry answered once', async () => {
    const url = await freshDatabase('http');
    const logs = [capturedLogger(), capturedLogger()];
    const [a, b] = await Promise.all(
      ['replica-a', 'replica-b'].map((replicaId, i) =>
        startHarness({ slack, openStore: () => openPostgresStore(url), logger: logs[i]!.logger, serve: { replicaId, tickMs: 60_000 } }),
      ),
    );
    try {
      const before = slack.messagesIn('C0300').length;
      const res = await sendSigned(
        a!.eventsUrl,
        SIGNING_SECRET,
        slashCommandBody({ text: 'harbor', channel: 'C0300', responseUrl: slack.responseUrl() }),
        { contentType: FORM },
      );
      assert.equal(res.status, 200);
      await waitFor(() => slack.messagesIn('C0300').length > before, 20_000, 'the brief posted by replica a');
      const threadTs = slack.messagesIn('C0300')[before]!.ts;
      await until(async () => (await a!.serve.chat.briefForThread('slack:C0300', threadTs)) !== undefined, 'replica a records the thread');
      // Replica a stored the thread in the database, so replica b answers there.
      const event = threadMessageEvent({
        channel: 'C0300',
        threadTs,
        ts: '1900000001.000100',
        text: 'How long were the repairs?',
        eventId: 'EvR1',
      });
      const replies = (): number => slack.messagesIn('C0300').filter((m) => m.thread_ts === threadTs).length;
      const repliesBefore = replies();
      await until(async () => (await sendSigned(b!.eventsUrl, SIGNING_SECRET, event)).status === 200, 'b acks the event');
      await waitFor(() => replies() === repliesBefore + 1, 20_000, 'replica b answers in the thread');
      // Slack retries the event to whichever replica the balancer picks: seen once, answered once.
      await sendSigned(a!.eventsUrl, SIGNING_SECRET, event, {
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      });
      await waitFor(() => logs[0]!.count('duplicate event dropped') === 1, 20_000, 'replica a drops the retry');
      assert.equal(replies(), repliesBefore + 1);
    } finally {
      await a!.close();
      await b!.close();
    }
  });

  test('/readyz is 503 while the database refuses connections, 200 again after', async () => {
    const url = await freshDatabase('ready');
    const name = new URL(url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: url.replace(`/${name}`, '/postgres') });
    await admin.connect();
    const h = await startHarness({ slack, openStore: () => openPostgresStore(url), serve: { tickMs: 60_000 } });
    const readyz = h.eventsUrl.replace('/slack/events', '/readyz');
    try {
      assert.equal((await fetch(readyz)).status, 200);
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const down = await fetch(readyz);
      assert.equal(down.status, 503);
      assert.match(((await down.json()) as { error: string }).error, /^database: /);
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await until(async () => (await fetch(readyz)).status === 200, 'ready again');
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
      await h.close();
    }
  });

  test('stopping lets the post in flight finish and hands an unstarted claim back for other replicas', async () => {
    const url = await freshDatabase('stop');
    const h = await startHarness({
      slack,
      topics: testTopics({ harborChannels: [] }),
      openStore: () => openPostgresStore(url),
      serve: { replicaId: 'stopping', tickMs: 60_000 },
    });
    const brief = await h.service.brief('harbor');
    // Two deliveries to one channel: the second waits in that channel's queue behind the first.
    await h.serve.outbox.enqueue(
      ['run-1', 'run-2'].map((runId) => ({ topicId: 'harbor', runId, channel: 'slack:C0400', briefId: brief.id })),
    );
    slack.holdPosts();
    try {
      const flushing = h.serve.outbox.flush();
      await until(
        async () => (await h.serve.chat.outboxEntry(outboxKey('harbor', 'run-2', 'slack:C0400')))?.status === 'sending',
        'both claimed',
      );
      await waitFor(() => slack.callsOf('chat.postMessage').some((c) => c.args['channel'] === 'C0400'), 10_000, 'the first post in flight');
      const stopping = h.close();
      slack.releasePosts();
      await stopping;
      await flushing;
    } finally {
      slack.releasePosts();
    }
    const store = await openPostgresStore(url);
    try {
      const entries = await Promise.all(['run-1', 'run-2'].map((run) => store.chat.outboxEntry(outboxKey('harbor', run, 'slack:C0400'))));
      // Which of the two went first is the claim's order (the test's flush and the enqueue's
      // notification race for it); the other one waited in the channel's queue behind it.
      const sent = entries.filter((e) => e?.status === 'sent');
      const waiting = entries.filter((e) => e?.status !== 'sent');
      assert.equal(sent.length, 1, 'the post in flight finished and was recorded');
      assert.deepEqual(
        waiting.map((e) => [e?.status, e?.attempts, e?.leaseOwner]),
        [['pending', 0, undefined]],
        'handed back, not counted',
      );
      assert.equal(slack.messagesIn('C0400').filter((m) => m.thread_ts === undefined).length, 1);
    } finally {
      await store.close();
    }
  });
});

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
