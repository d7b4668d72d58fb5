/**
 * `briefbot serve` with the real Bolt app (HTTP mode) against the fake Slack Web API, real
 * signed requests, the real BriefService over SQLite and local article files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BriefService } from '../src/core/service.ts';
import { briefMessages } from '../src/chat/slack/blocks.ts';
import { outboxKey } from '../src/store/sqlite/chat.ts';
import { sendSigned, slashCommandBody, threadMessageEvent, waitFor } from './fakes/slack.ts';
import { recordingLogger } from './helpers/log.ts';
import { SIGNING_SECRET, startHarness, testTopics, type Harness } from './helpers/slack-serve.ts';

const FORM = 'application/x-www-form-urlencoded';

/** The real service, with building city-ai held until the test opens the gate. */
function gatedBuild(): { wrap: (service: BriefService) => BriefService; open: () => void } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const wrap = (service: BriefService): BriefService => ({
    ...service,
    topics: () => service.topics(),
    topic: (id) => service.topic(id),
    async brief(topicId, request) {
      if (topicId === 'city-ai') await gate;
      return service.brief(topicId, request);
    },
  });
  return { wrap, open: () => open() };
}

describe('slack serve (HTTP mode)', () => {
  let h: Harness;
  const build = gatedBuild();
  const log = recordingLogger();
  before(async () => {
    h = await startHarness({ wrap: build.wrap, logger: log.logger });
  });
  after(async () => {
    await h.close();
  });

  it('answers a signed url_verification and refuses bad or stale signatures', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'abc123', type: 'url_verification' });
    const ok = await sendSigned(h.eventsUrl, SIGNING_SECRET, body);
    assert.equal(ok.status, 200);
    assert.match(ok.text, /abc123/);
    const bad = await sendSigned(h.eventsUrl, SIGNING_SECRET, body, { signature: 'v0=' + '0'.repeat(64) });
    assert.equal(bad.status, 401);
    const stale = await sendSigned(h.eventsUrl, SIGNING_SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    assert.equal(stale.status, 401);
    const wrongSecret = await sendSigned(h.eventsUrl, 'not-the-secret', body);
    assert.equal(wrongSecret.status, 401);
  });

  it('serves /healthz and /readyz on the same port', async () => {
    const base = h.eventsUrl.replace('/slack/events', '');
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(((await ready.json()) as { adapters: string[] }).adapters, ['slack']);
  });

  it('acks /brief city-ai before building it, then posts the brief to the channel', async () => {
    // The build waits for the gate, so an ack that waited for the build would never come.
    // How fast acks are under load is measured by bench/slack-ack.bench.ts.
    const before = h.slack.callsOf('chat.postMessage').length;
    const res = await sendSigned(
      h.eventsUrl,
      SIGNING_SECRET,
      slashCommandBody({ text: 'city-ai', channel: 'C0100', responseUrl: h.slack.responseUrl() }),
      { contentType: FORM },
    );
    assert.equal(res.status, 200);
    assert.equal(h.slack.callsOf('chat.postMessage').length, before, 'nothing posted before the build finished');
    build.open();
    await waitFor(() => h.slack.messagesIn('C0100').length > 0, 15_000, 'brief post');
    const [first] = h.slack.messagesIn('C0100');
    assert.equal(first!.thread_ts, undefined, 'visible in the channel, not in a thread');
    const blocks = first!.blocks as { type: string; text?: { text: string } }[];
    assert.equal(blocks[0]?.type, 'header');
    assert.match(blocks[0]!.text!.text, /city-ai/);
    assert.ok(blocks.length <= 50);
    for (const b of blocks) assert.ok((b.text?.text.length ?? 0) <= 3000);
    assert.ok(first!.text.length > 0, 'plain-text fallback');
    // What does not fit Slack's limits continues in the brief's thread.
    await waitFor(() => JSON.stringify(h.slack.messagesIn('C0100')).includes('*Sources*'), 15_000, 'sources');
    for (const m of h.slack.messagesIn('C0100').slice(1)) assert.equal(m.thread_ts, first!.ts);
    const all = JSON.stringify(h.slack.messagesIn('C0100'));
    // Numbered sources; those with a web URL are links (checked on the harbor fixtures below).
    assert.match(all, /\*Sources\*\\n(<https?:[^|>]+\|)?\[1\] /, 'sources numbered');
  });

  it('lists topics for /brief and /brief help, and answers an unknown topic ephemerally', async () => {
    for (const text of ['', 'help', 'no-such-topic']) {
      const n = h.slack.responses.length;
      const res = await sendSigned(
        h.eventsUrl,
        SIGNING_SECRET,
        slashCommandBody({ text, responseUrl: h.slack.responseUrl(text || 'empty') }),
        { contentType: FORM },
      );
      assert.equal(res.status, 200);
      await waitFor(() => h.slack.responses.length > n, 5000, `reply to "/brief ${text}"`);
      const reply = h.slack.responses.at(-1)!;
      assert.equal(reply['response_type'], 'ephemeral');
      assert.match(String(reply['text']), /harbor/);
      assert.match(String(reply['text']), /city-ai/);
      if (text === 'no-such-topic') assert.match(String(reply['text']), /Unknown topic "no-such-topic"/);
    }
  });

  it('escapes article text: a title "<!channel> read this" pings nobody', async () => {
    const res = await sendSigned(
      h.eventsUrl,
      SIGNING_SECRET,
      // A window given as a date, before the fixtures' (2026-11-22): "7d" stopped holding them a week on.
      slashCommandBody({ text: 'harbor 2026-11-21', channel: 'C0200', responseUrl: h.slack.responseUrl() }),
      { contentType: FORM },
    );
    assert.equal(res.status, 200);
    await waitFor(() => JSON.stringify(h.slack.messagesIn('C0200')).includes('*Sources*'), 15_000, 'harbor brief');
    const posted = JSON.stringify(h.slack.messagesIn('C0200').map((m) => [m.text, m.blocks]));
    assert.doesNotMatch(posted, /<!channel>/);
    assert.doesNotMatch(posted, /<@U999>/);
    assert.match(posted, /&lt;!channel&gt; read this/);
    assert.match(posted, /<https:\/\/(news|blog)\.example\.(com|org)\/[a-z-]+\|\[1\] /, 'sources as numbered links');
  });

  it('answers a question in a brief’s thread with citations, once per message even when Slack retries', async () => {
    await waitFor(() => h.slack.messagesIn('C0200').length > 0, 15_000, 'harbor brief');
    const threadTs = h.slack.messagesIn('C0200')[0]!.ts;
    const body = threadMessageEvent({
      channel: 'C0200',
      threadTs,
      ts: '1900000000.000200',
      text: 'How many jobs will automation cut at the terminal?',
      eventId: 'Ev001',
    });
    const res = await sendSigned(h.eventsUrl, SIGNING_SECRET, body);
    assert.equal(res.status, 200);
    await waitFor(
      () => h.slack.messagesIn('C0200').some((m) => m.thread_ts === threadTs && m.ts !== threadTs && /\[\d\]/.test(m.text)),
      10_000,
      'answer',
    );
    const answers = (): number =>
      h.slack.messagesIn('C0200').filter((m) => m.thread_ts === threadTs && /\[\d\]/.test(m.text) && !/continued/.test(m.text)).length;
    const answer = h.slack.messagesIn('C0200').find((m) => m.thread_ts === threadTs && /\[\d\]/.test(m.text))!;
    assert.match(answer.text, /800/);
    assert.match(JSON.stringify(answer.blocks), /<https:\/\/[^|]+\|\[1\]/);
    const count = answers();
    // Slack redelivers the same event, and an @mention of the same message arrives as app_mention too.
    const dropped = log.count('duplicate event dropped');
    await sendSigned(h.eventsUrl, SIGNING_SECRET, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    await sendSigned(
      h.eventsUrl,
      SIGNING_SECRET,
      threadMessageEvent({
        channel: 'C0200',
        threadTs,
        ts: '1900000000.000200',
        text: '<@UBOT> How many jobs will automation cut?',
        eventId: 'Ev002',
        type: 'app_mention',
      }),
    );
    await log.waitFor('duplicate event dropped', dropped + 2);
    assert.equal(answers(), count);
  });

  it('ignores thread messages outside briefs and the bot’s own messages', async () => {
    const n = h.slack.callsOf('chat.postMessage').length;
    const ignored = log.count('not a brief thread; message ignored');
    await sendSigned(
      h.eventsUrl,
      SIGNING_SECRET,
      threadMessageEvent({ channel: 'C0999', threadTs: '1.1', ts: '1.2', text: 'unrelated thread', eventId: 'Ev010' }),
    );
    const threadTs = h.slack.messagesIn('C0200')[0]!.ts;
    await sendSigned(
      h.eventsUrl,
      SIGNING_SECRET,
      threadMessageEvent({ channel: 'C0200', threadTs, ts: '1.3', text: 'my own reply', user: 'UBOT', eventId: 'Ev011' }),
    );
    // Bolt drops the bot's own message before any handler; a later message that reaches the
    // router marks that the one sent before it has been dealt with.
    await sendSigned(
      h.eventsUrl,
      SIGNING_SECRET,
      threadMessageEvent({ channel: 'C0999', threadTs: '1.1', ts: '1.4', text: 'still unrelated', eventId: 'Ev012' }),
    );
    await log.waitFor('not a brief thread; message ignored', ignored + 2);
    assert.equal(h.slack.callsOf('chat.postMessage').length, n);
  });
});

describe('scheduled briefs through the outbox', () => {
  it('lands once per following channel; /brief follow is stored; a second trigger posts nothing', async () => {
    const h = await startHarness({ topics: testTopics({ harborChannels: ['slack:C0001'] }) });
    try {
      const res = await sendSigned(
        h.eventsUrl,
        SIGNING_SECRET,
        slashCommandBody({ text: 'follow harbor', channel: 'C0002', responseUrl: h.slack.responseUrl() }),
        { contentType: FORM },
      );
      assert.equal(res.status, 200);
      await waitFor(() => h.slack.responses.length > 0, 5000, 'follow reply');
      assert.match(String(h.slack.responses[0]!['text']), /now gets the scheduled harbor brief/);
      assert.deepEqual(await h.serve.chat.followers('harbor'), ['slack:C0002']);

      const job = h.serve.scheduler.jobFor('harbor');
      const fired = new Date('2026-11-23T09:00:00Z');
      assert.equal(await job({ date: fired }), 'delivered');
      const top = (c: string): number => h.slack.messagesIn(c).filter((m) => m.thread_ts === undefined).length;
      assert.equal(top('C0001'), 1);
      assert.equal(top('C0002'), 1);
      const first = h.slack.messagesIn('C0001')[0]!;
      assert.equal(first.metadata?.event_type, 'briefbot_brief');
      assert.equal(first.metadata?.event_payload['delivery_key'], outboxKey('harbor', fired.toISOString(), 'slack:C0001'));
      assert.equal(await job({ date: new Date('2026-11-23T09:00:30Z') }), 'already-ran');
      await h.serve.outbox.flush();
      assert.equal(top('C0001'), 1);
      assert.equal(top('C0002'), 1);
      assert.equal((await h.serve.chat.outboxEntry(outboxKey('harbor', fired.toISOString(), 'slack:C0002')))?.status, 'sent');
    } finally {
      await h.close();
    }
  });

  it('honours a 429 Retry-After on chat.postMessage and posts once', async () => {
    const h = await startHarness();
    try {
      h.slack.failNext('chat.postMessage', { kind: 'ratelimited', retryAfterSeconds: 1 });
      const outcome = await h.serve.scheduler.jobFor('harbor')({ date: new Date('2026-11-23T09:00:00Z') });
      assert.equal(outcome, 'delivered');
      const calls = h.slack.callsOf('chat.postMessage');
      assert.ok(calls.length >= 2);
      assert.ok(calls[1]!.at - calls[0]!.at >= 950, `waited ${calls[1]!.at - calls[0]!.at} ms`);
      assert.equal(h.slack.messagesIn('C0001').filter((m) => m.thread_ts === undefined).length, 1);
    } finally {
      await h.close();
    }
  });

  it('msg_too_long: the same blocks go out as smaller messages, the first one still top-level with its delivery key', async () => {
    const h = await startHarness();
    try {
      const fired = new Date('2026-11-23T09:00:00Z');
      h.slack.failNext('chat.postMessage', { kind: 'error', error: 'msg_too_long' });
      assert.equal(await h.serve.scheduler.jobFor('harbor')({ date: fired }), 'delivered');
      const posted = h.slack.messagesIn('C0001');
      const top = posted.filter((m) => m.thread_ts === undefined);
      assert.equal(top.length, 1);
      const blocks = (m: (typeof posted)[number]): Array<{ type: string }> => m.blocks as Array<{ type: string }>;
      assert.equal(blocks(top[0]!)[0]?.type, 'header');
      assert.equal(top[0]!.metadata?.event_payload['delivery_key'], outboxKey('harbor', fired.toISOString(), 'slack:C0001'));
      const thread = posted.filter((m) => m.thread_ts === top[0]!.ts);
      assert.ok(thread.length >= 1, 'the rest continues in the thread');
      // Nothing lost: every block of the normal rendering was posted, in order.
      const stored = await h.service.storedBrief(
        (await h.serve.chat.outboxEntry(outboxKey('harbor', fired.toISOString(), 'slack:C0001')))!.briefId!,
      );
      const expected = briefMessages(stored!.brief).flatMap((m) => m.blocks);
      assert.deepEqual([top[0]!, ...thread].flatMap(blocks), JSON.parse(JSON.stringify(expected)));
    } finally {
      await h.close();
    }
  });

  it('a channel error (channel_not_found) fails only that channel', async () => {
    const h = await startHarness({ topics: testTopics({ harborChannels: ['slack:C0001', 'slack:CGONE'] }) });
    try {
      h.slack.channelErrors.set('CGONE', 'channel_not_found');
      const fired = new Date('2026-11-23T09:00:00Z');
      await h.serve.scheduler.jobFor('harbor')({ date: fired });
      assert.equal(h.slack.messagesIn('C0001').filter((m) => m.thread_ts === undefined).length, 1);
      const gone = await h.serve.chat.outboxEntry(outboxKey('harbor', fired.toISOString(), 'slack:CGONE'));
      assert.equal(gone?.status, 'failed');
      assert.match(gone?.lastError ?? '', /channel_not_found/);
    } finally {
      await h.close();
    }
  });
});
