/**
 * Scheduling: next/previous run times in a time zone, catch-up of a run missed while the bot
 * was down (once, across restarts), no overlapping runs. Real Bolt, fake Slack, real service.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { BriefService } from '../src/core/service.ts';
import { ConfigError } from '../src/core/errors.ts';
import { checkSchedule } from '../src/config/schedule.ts';
import { nextRun, previousRun } from '../src/schedule/cron.ts';
import { FakeSlack } from './fakes/slack.ts';
import { startHarness, testTopics } from './helpers/slack-serve.ts';

describe('nextRun / previousRun', () => {
  it('computes runs in the schedule’s time zone', () => {
    const shanghai = { cron: '0 9 * * *', timezone: 'Asia/Shanghai' };
    assert.equal(nextRun(shanghai, new Date('2026-11-23T00:59:00Z'))?.toISOString(), '2026-11-23T01:00:00.000Z');
    assert.equal(nextRun(shanghai, new Date('2026-11-23T01:00:00Z'))?.toISOString(), '2026-11-24T01:00:00.000Z', 'strictly after');
    assert.equal(
      nextRun({ cron: '30 9 * * *', timezone: 'Asia/Kolkata' }, new Date('2026-11-23T00:00:00Z'))?.toISOString(),
      '2026-11-23T04:00:00.000Z',
    );
    // Weekdays only: from a Friday afternoon to Monday, New York time (EST, UTC-5).
    assert.equal(
      nextRun({ cron: '0 9 * * 1-5', timezone: 'America/New_York' }, new Date('2026-11-27T15:00:00Z'))?.toISOString(),
      '2026-11-30T14:00:00.000Z',
    );
    // Across the DST change in Paris (last Sunday of March 2027): 09:00 is then UTC+2.
    assert.equal(
      nextRun({ cron: '0 9 * * *', timezone: 'Europe/Paris' }, new Date('2027-03-28T06:00:00Z'))?.toISOString(),
      '2027-03-28T07:00:00.000Z',
    );
    assert.equal(
      previousRun(shanghai, new Date('2026-11-23T03:00:00Z'), new Date('2026-11-22T21:00:00Z'))?.toISOString(),
      '2026-11-23T01:00:00.000Z',
    );
    assert.equal(
      previousRun(shanghai, new Date('2026-11-23T00:30:00Z'), new Date('2026-11-22T21:00:00Z')),
      undefined,
      'outside the window',
    );
  });

  it('refuses invalid cron expressions and time zones with a ConfigError', () => {
    assert.throws(() => checkSchedule({ cron: '0 25 * * *', timezone: 'UTC' }), ConfigError);
    assert.throws(() => checkSchedule({ cron: '0 9 * * *', timezone: 'Mars/Olympus' }), ConfigError);
  });
});

describe('scheduler', () => {
  it('a restart after a missed schedule posts once, and a second restart posts nothing more', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'briefbot-sched-'));
    const slack = await new FakeSlack().start();
    try {
      const dbPath = join(dir, 'missed.db');
      // The bot was down at 09:00 UTC and comes back at 10:30.
      const now = () => new Date('2026-11-23T10:30:00Z');
      const first = await startHarness({ dbPath, slack, serve: { now, catchUpWindowMs: 6 * 3600_000 } });
      const top = (): number => slack.messagesIn('C0001').filter((m) => m.thread_ts === undefined).length;
      assert.equal(top(), 1, 'caught up at start');
      assert.equal((await first.serve.chat.lastRun('harbor'))?.scheduledFor, '2026-11-23T09:00:00.000Z');
      await first.close();
      const second = await startHarness({ dbPath, slack, serve: { now, catchUpWindowMs: 6 * 3600_000 } });
      await second.close();
      assert.equal(top(), 1, 'not caught up twice');
      // Beyond the window, nothing is caught up.
      const late = await startHarness({
        dbPath: join(dir, 'late.db'),
        slack,
        serve: { now: () => new Date('2026-11-23T20:00:00Z'), catchUpWindowMs: 6 * 3600_000 },
      });
      await late.close();
      assert.equal(top(), 1);
    } finally {
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never overlaps runs of one topic', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let entered: () => void = () => undefined;
    const building = new Promise<void>((r) => (entered = r));
    const h = await startHarness({
      topics: testTopics(),
      wrap: (service): BriefService => ({
        ...service,
        topics: () => service.topics(),
        topic: (id) => service.topic(id),
        async brief(topicId, request) {
          entered();
          await gate;
          return service.brief(topicId, request);
        },
      }),
    });
    try {
      const job = h.serve.scheduler.jobFor('harbor');
      const firstRun = job({ date: new Date('2026-11-23T09:00:00Z') });
      await building;
      assert.equal(await job({ date: new Date('2026-11-23T09:01:00Z') }), 'overlap');
      release();
      assert.equal(await firstRun, 'delivered');
      assert.equal(h.slack.messagesIn('C0001').filter((m) => m.thread_ts === undefined).length, 1);
      // The real node-cron task runs the same job.
      assert.ok(h.serve.scheduler.task('harbor'));
    } finally {
      release();
      await h.close();
    }
  });
});
