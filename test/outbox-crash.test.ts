/**
 * Exactly-once delivery across crashes: the serving core is stopped at the worst moments
 * (after the post, before it is recorded; before the post) and started again over the same
 * database file. Real Bolt, fake Slack Web API, real BriefService and SQLite.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BriefService } from '../src/core/service.ts';
import { outboxKey } from '../src/store/sqlite/chat.ts';
import { FakeSlack } from './fakes/slack.ts';
import { startHarness, testTopics } from './helpers/slack-serve.ts';

describe('outbox exactly-once', () => {
  let dir: string;
  let slack: FakeSlack;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'briefbot-outbox-'));
    slack = await new FakeSlack().start();
  });
  after(async () => {
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const topPosts = (channel: string): number => slack.messagesIn(channel).filter((m) => m.thread_ts === undefined).length;

  it('a crash between a successful post and marking it sent does not post twice after restart', async () => {
    const dbPath = join(dir, 'crash-after-post.db');
    const fired = new Date('2026-11-23T09:00:00Z');
    const key = outboxKey('harbor', fired.toISOString(), 'slack:C0001');
    const first = await startHarness({
      dbPath,
      slack,
      serve: {
        afterPost: () => {
          throw new Error('simulated crash after post');
        },
      },
    });
    await first.serve.scheduler.jobFor('harbor')({ date: fired });
    assert.equal(topPosts('C0001'), 1, 'posted once before the crash');
    assert.equal((await first.serve.chat.outboxEntry(key))?.status, 'sending', 'outcome left unrecorded');
    await first.close();

    const second = await startHarness({ dbPath, slack });
    try {
      const entry = await second.serve.chat.outboxEntry(key);
      assert.equal(entry?.status, 'sent', 'recovered from channel history');
      assert.equal(entry?.threadId, slack.messagesIn('C0001')[0]!.ts);
      assert.ok(slack.callsOf('conversations.history').length >= 1);
      await second.serve.outbox.flush();
      assert.equal(topPosts('C0001'), 1, 'never posted twice');
      // The run is recorded: triggering the same scheduled time again does nothing.
      assert.equal(await second.serve.scheduler.jobFor('harbor')({ date: fired }), 'already-ran');
      assert.equal(topPosts('C0001'), 1);
      // And the recovered thread answers follow-ups.
      assert.ok(await second.serve.chat.briefForThread('slack:C0001', entry!.threadId!));
    } finally {
      await second.close();
    }
  });

  it('a delivery whose post failed (5xx / network) stays pending and is posted once at restart', async () => {
    const dbPath = join(dir, 'crash-before-post.db');
    const fired = new Date('2026-11-24T09:00:00Z');
    const key = outboxKey('harbor', fired.toISOString(), 'slack:C0002');
    const topics = testTopics({ harborChannels: [] });
    const first = await startHarness({ dbPath, slack, topics, serve: { backoffMs: () => 0 } });
    const channelsBefore = topPosts('C0002');
    await first.serve.chat.follow('slack:C0002', 'harbor', fired.toISOString());
    slack.failNext('chat.postMessage', { kind: 'error', error: 'internal_error' });
    await first.serve.scheduler.jobFor('harbor')({ date: fired });
    const pending = await first.serve.chat.outboxEntry(key);
    assert.equal(pending?.status, 'pending');
    assert.match(pending?.lastError ?? '', /internal_error/);
    assert.equal(topPosts('C0002'), channelsBefore);
    await first.close();

    const second = await startHarness({ dbPath, slack, topics });
    try {
      assert.equal((await second.serve.chat.outboxEntry(key))?.status, 'sent');
      assert.equal(topPosts('C0002') - channelsBefore, 1);
      await second.serve.outbox.flush();
      assert.equal(topPosts('C0002') - channelsBefore, 1);
    } finally {
      await second.close();
    }
  });

  it('a brief that can never be built is retried a bounded number of times, then given up', async () => {
    const fired = new Date('2026-11-25T09:00:00Z');
    const key = outboxKey('harbor', fired.toISOString(), 'slack:C0001');
    const broken = (service: BriefService): BriefService => ({
      ...service,
      topics: () => service.topics(),
      topic: (id) => service.topic(id),
      brief: () => Promise.reject(new Error('source folder is gone')),
    });
    const h = await startHarness({ dbPath: join(dir, 'never-builds.db'), slack, wrap: broken, serve: { backoffMs: () => 0 } });
    try {
      const before = topPosts('C0001');
      assert.equal(await h.serve.scheduler.jobFor('harbor')({ date: fired }), 'failed');
      const attempts: number[] = [];
      for (let flush = 0; flush < 12; flush += 1) {
        await h.serve.outbox.flush();
        const entry = await h.serve.chat.outboxEntry(key);
        attempts.push(entry?.attempts ?? -1);
        if (entry?.status === 'failed') break;
      }
      const entry = await h.serve.chat.outboxEntry(key);
      assert.equal(entry?.status, 'failed', `attempts seen: ${attempts.join(', ')}`);
      assert.match(entry?.lastError ?? '', /source folder is gone/);
      assert.ok(entry!.attempts <= 8, `gave up after ${entry!.attempts} attempts`);
      assert.equal(topPosts('C0001'), before, 'nothing posted');
    } finally {
      await h.close();
    }
  });
});
