/**
 * The Discord adapter: the real discord.js client against the fake Discord REST API and
 * gateway. Assertions are on the REST calls Discord got.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDiscordAdapter } from '../src/chat/discord/adapter.ts';
import { deliveryMarker } from '../src/chat/discord/rest-post.ts';
import type { ChatHandlers, CommandReply, PostedBrief } from '../src/chat/port.ts';
import { ChatDeliveryError, ConfigError } from '../src/core/errors.ts';
import { silentLogger } from '../src/core/log.ts';
import type { Topic } from '../src/core/types.ts';
import type { StoredBrief } from '../src/core/types.ts';
import { FakeDiscord, type RecordedCall } from './fakes/discord.ts';

const topic: Topic = {
  id: 'china-ai',
  title: 'China AI',
  sources: [],
  include: [],
  exclude: [],
  window: 'all',
  channels: [],
  summarizer: { kind: 'extractive', maxStories: 5 },
};

/** A stored brief whose article text tries every trick: mentions, Markdown, masked links. */
const brief: StoredBrief = {
  id: 'brf_fixture',
  topicId: 'china-ai',
  articleMap: {},
  contentKey: 'fixture',
  createdAt: '2026-11-23T09:00:00.000Z',
  brief: {
    topic: 'china-ai',
    generatedAt: '2026-11-23T09:00:00.000Z',
    window: { since: '2026-11-22T09:00:00.000Z', until: '2026-11-23T09:00:00.000Z' },
    summarizer: 'extractive',
    usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
    articles: [
      {
        id: 'a1',
        title: '@everyone read this: **Tidewater-2** costs [questioned](https://evil.example/phish) <@&123456>',
        url: 'https://gossip.example/x',
      },
      { id: 'a2', title: 'Harbor Ledger on Tidewater-2', url: 'https://harbor.example/y', publisher: 'Harbor Ledger @here' },
    ],
    stories: [
      {
        id: 's1',
        headline: 'Qingdao lab releases Tidewater-2',
        summary: 'A Qingdao lab released an open-weight model. @everyone',
        articleIds: ['a1', 'a2'],
        claims: [{ text: 'It cost $4.2 million [x](https://evil.example/y)', articleIds: ['a1'] }],
        figures: [{ value: '40 days', text: 'The model was trained over 40 days.', articleIds: ['a2'] }],
        disagreements: [
          {
            about: 'Training cost',
            positions: [
              { text: 'About $4.2 million', articleIds: ['a2'] },
              { text: 'Closer to $30 million', articleIds: ['a1'] },
            ],
          },
        ],
      },
    ],
  },
};

/**
 * The serving core's side of the port, reduced to fixed data: this file tests the adapter
 * (what reaches Discord for each CommandReply and Answer). The end-to-end run over the real
 * router and BriefService is test/discord.test.ts.
 */
/** While held, the handlers' brief replies wait (as a slow build would). */
let briefGate: Promise<void> = Promise.resolve();
function holdBriefs(): { open: () => void } {
  let open: () => void = () => undefined;
  briefGate = new Promise<void>((resolve) => (open = resolve));
  return { open: () => open() };
}

function portHandlers(threads: Map<string, string>): ChatHandlers & {
  onBriefPosted(brief: StoredBrief, posted: PostedBrief): Promise<void>;
} {
  const key = (channel: string, threadId: string): string => `${channel}|${threadId}`;
  return {
    async onCommand(request): Promise<CommandReply> {
      const [first = '', second] = request.args;
      if (first === 'follow' || first === 'unfollow') return { kind: 'text', text: `${first}ed ${second}`, ephemeral: false };
      if (first !== 'china-ai') return { kind: 'text', text: `unknown topic "${first}"; known topics: china-ai`, ephemeral: true };
      await briefGate;
      return { kind: 'brief', brief };
    },
    async onThreadMessage(message) {
      if (!threads.has(key(message.thread.channel, message.thread.threadId))) return undefined;
      return {
        text: message.text.includes('days') ? 'Training took 40 days [1].' : 'It cost $4.2 million [1].',
        sources: [{ id: 'a2', title: 'Harbor Ledger on Tidewater-2', url: 'https://harbor.example/y' }],
        answered: true,
      };
    },
    async onBriefPosted(posted, where) {
      threads.set(key(where.thread.channel, where.thread.threadId), posted.id);
    },
  };
}

/** Every REST call that creates or edits a message. */
function messageCalls(calls: readonly RecordedCall[]): RecordedCall[] {
  return calls.filter(
    (c) =>
      (c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path)) ||
      (c.method === 'PATCH' && c.path.includes('/messages/@original')) ||
      (c.method === 'POST' && /^\/webhooks\//.test(c.path)) ||
      (c.method === 'POST' && c.path.endsWith('/callback') && (c.body as { type?: number }).type === 4),
  );
}

function bodyOf(call: RecordedCall): Record<string, unknown> {
  const body = call.body as Record<string, unknown>;
  return (body['data'] as Record<string, unknown> | undefined) ?? body;
}

describe('discord adapter against the fake Discord', () => {
  const fake = new FakeDiscord();
  const threads = new Map<string, string>();
  let bot: ReturnType<typeof createDiscordAdapter>;
  const [channelA = '', channelB = ''] = fake.channelIds;

  before(async () => {
    await fake.start();
    bot = createDiscordAdapter({
      token: fake.token,
      guildId: fake.guildId,
      apiUrl: fake.apiUrl,
      logger: silentLogger,
      topics: () => [topic],
      messageContent: true,
      rest: { timeout: 5_000, retries: 1 },
    });
    await bot.start(portHandlers(threads));
    // Standalone (no serving core holding the gateway lease): connect the gateway directly.
    await bot.exclusive.connect();
  });

  after(async () => {
    await bot.stop();
    await fake.close();
  });

  test('registers the four slash commands in the guild at start', () => {
    const put = fake.calls.find((c) => c.method === 'PUT');
    assert.ok(put, 'commands were registered');
    assert.equal(put.path, `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    assert.deepEqual(
      (put.body as { name: string }[]).map((c) => c.name),
      ['brief', 'brief-follow', 'brief-unfollow', 'brief-ask'],
    );
  });

  test('/brief topic:china-ai is deferred before it is built, answered with embeds, and opens a thread', async () => {
    // The reply waits for the gate, so a defer that waited for it would never come. How fast
    // the defer is under load is measured by bench/discord.bench.ts.
    const gate = holdBriefs();
    const { id, token } = fake.command('brief', { topic: 'china-ai' }, { channelId: channelA });
    const deferred = await fake.waitFor((c) => c.path === `/interactions/${id}/${token}/callback`);
    assert.equal((deferred.body as { type: number }).type, 5, 'deferred (type 5)');
    gate.open();

    const edit = await fake.waitFor(
      (c) => c.method === 'PATCH' && c.path === `/webhooks/${fake.applicationId}/${token}/messages/@original`,
    );
    const body = edit.body as { embeds: { title: string; description: string }[]; allowed_mentions: unknown };
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    assert.ok(body.embeds.length >= 2, 'a header and at least one story');
    assert.match(body.embeds[0]?.title ?? '', /China AI/);
    const stories = body.embeds
      .slice(1)
      .map((e) => e.description)
      .join('\n');
    assert.match(stories, /\[\d\] .+ — <https:\/\/[^>]+>/, 'numbered sources with their URLs shown');
    assert.match(stories, /\*\*Key claims\*\*/);

    const thread = await fake.waitFor((c) => c.method === 'POST' && /^\/channels\/\d+\/messages\/\d+\/threads$/.test(c.path));
    assert.ok(thread.path.startsWith(`/channels/${channelA}/messages/`));
  });

  test('a follow-up message in the thread gets a cited answer there', async () => {
    const threadCall = await fake.waitFor((c) => c.path.endsWith('/threads'));
    const threadId = threadCall.path.split('/')[4] ?? '';
    const before = fake.calls.length;
    fake.userMessage(threadId, 'How much did training Tidewater-2 cost?');
    const reply = await fake.waitFor(
      (c) => fake.calls.indexOf(c) >= before && c.method === 'POST' && c.path === `/channels/${threadId}/messages`,
    );
    const body = reply.body as { embeds: { description: string }[]; allowed_mentions: unknown };
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    const text = body.embeds[0]?.description ?? '';
    assert.match(text, /4\.2 million/);
    assert.match(text, /\\\[\d\\\]|\[\d\]/, 'cites a source number');
    assert.match(text, /<https:\/\/[^>]+>/, 'lists the cited sources with URLs');
  });

  test('/brief-ask inside the thread answers without the message-content intent', async () => {
    const threadCall = await fake.waitFor((c) => c.path.endsWith('/threads'));
    const threadId = threadCall.path.split('/')[4] ?? '';
    const { token } = fake.command('brief-ask', { question: 'How many days did training take?' }, { channelId: threadId });
    const edit = await fake.waitFor((c) => c.method === 'PATCH' && c.path.includes(`/${token}/messages/@original`));
    const body = edit.body as { content: string; embeds: { description: string }[]; allowed_mentions: unknown };
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    assert.match(body.embeds[0]?.description ?? '', /40 days/);
  });

  test('an unknown topic gets an ephemeral list of topics', async () => {
    const { token } = fake.command('brief', { topic: 'nope' }, { channelId: channelB });
    const follow = await fake.waitFor((c) => c.method === 'POST' && c.path.startsWith(`/webhooks/${fake.applicationId}/${token}`));
    const body = follow.body as { content: string; flags: number; allowed_mentions: unknown };
    assert.match(body.content, /china-ai/);
    assert.equal(body.flags & 64, 64, 'ephemeral');
    assert.deepEqual(body.allowed_mentions, { parse: [] });
  });

  test('topic autocomplete offers configured topics', async () => {
    const { id, token } = fake.command('brief', { topic: 'chi' }, { channelId: channelA, type: 4, focused: 'topic' });
    const call = await fake.waitFor((c) => c.path === `/interactions/${id}/${token}/callback`);
    const body = call.body as { type: number; data: { choices: { value: string }[] } };
    assert.equal(body.type, 8);
    assert.deepEqual(
      body.data.choices.map((c) => c.value),
      ['china-ai'],
    );
  });

  test('postBrief lands once in each channel given, findable by its delivery key', async () => {
    const before = fake.calls.length;
    const postedA = await bot.postBrief(`discord:${channelA}`, brief, { deliveryKey: `china-ai|run1|discord:${channelA}` });
    const postedB = await bot.postBrief(`discord:${channelB}`, brief, { deliveryKey: `china-ai|run1|discord:${channelB}` });
    const posts = fake.calls.slice(before).filter((c) => c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path));
    assert.equal(posts.filter((c) => c.path === `/channels/${channelA}/messages`).length, 1);
    assert.equal(posts.filter((c) => c.path === `/channels/${channelB}/messages`).length, 1);
    assert.equal(postedA.thread.channel, `discord:${channelA}`);
    assert.equal(postedA.thread.threadId, postedA.messageIds[0]);
    assert.notEqual(postedA.thread.threadId, postedB.thread.threadId);
    const found = await bot.findPostedBrief(`discord:${channelB}`, `china-ai|run1|discord:${channelB}`);
    assert.equal(found?.thread.threadId, postedB.thread.threadId);
    assert.equal(await bot.findPostedBrief(`discord:${channelB}`, 'china-ai|run2|other'), undefined);
  });

  test('one delivery posted twice (a replica that stalled past its lease, after a takeover) is one message and one thread', async () => {
    const key = `china-ai|run9|discord:${channelA}`;
    const first = await bot.postBrief(`discord:${channelA}`, brief, { deliveryKey: key });
    const second = await bot.postBrief(`discord:${channelA}`, brief, { deliveryKey: key });
    assert.deepEqual(second, first, 'the same messages in the same thread');
    const marker = deliveryMarker(key);
    assert.equal(fake.postedIn(channelA).filter((m) => JSON.stringify(m['embeds']).includes(marker)).length, 1);
    assert.equal(fake.postedIn(first.thread.threadId).length, first.messageIds.length - 1);
    const posts = fake.calls.filter((c) => c.method === 'POST' && JSON.stringify(c.body).includes(marker));
    assert.equal(posts.length, 2, 'both posts reached Discord');
    for (const call of posts) {
      const body = call.body as { nonce?: string; enforce_nonce?: boolean };
      assert.equal(body.enforce_nonce, true);
      assert.ok(body.nonce !== undefined && body.nonce.length <= 25, 'a nonce Discord accepts');
    }
    // Without a delivery key (a /brief reply's follow-ups) no nonce is sent.
    const before = fake.calls.length;
    await bot.postBrief(`discord:${channelA}`, brief);
    const plain = fake.calls.slice(before).find((c) => c.method === 'POST' && c.path === `/channels/${channelA}/messages`);
    assert.equal((plain?.body as { nonce?: string }).nonce, undefined);
  });

  test('missing permissions in one channel fail that channel only, with a coded error', async () => {
    const blocked = channelB;
    fake.failOn('POST', `/channels/${blocked}/messages`, { status: 403, body: { message: 'Missing Permissions', code: 50013 } }, 1);
    await assert.rejects(bot.postBrief(`discord:${blocked}`, brief), (error: unknown) => {
      assert.ok(error instanceof ChatDeliveryError);
      assert.equal(error.platformCode, '50013');
      assert.equal(error.retryable, false);
      assert.match(error.message, /permission/);
      return true;
    });
    const ok = await bot.postBrief(`discord:${channelA}`, brief);
    assert.equal(ok.messageIds.length >= 1, true);
  });

  test('a 429 is waited out by discord.js and the message still goes once', async () => {
    fake.failOn(
      'POST',
      `/channels/${channelB}/messages`,
      { status: 429, body: { message: 'You are being rate limited.', retry_after: 0.2, global: false }, headers: { 'retry-after': '0.2' } },
      1,
    );
    const before = fake.calls.length;
    const posted = await bot.postBrief(`discord:${channelB}`, brief);
    const attempts = fake.calls.slice(before).filter((c) => c.method === 'POST' && c.path === `/channels/${channelB}/messages`);
    assert.equal(attempts.length, 2, 'one refused, one delivered');
    assert.ok(posted.messageIds.length >= 1);
  });

  test('an article titled "@everyone read this" pings nobody and shows escaped', async () => {
    const calls = messageCalls(fake.calls);
    assert.ok(calls.length >= 5);
    for (const call of calls) {
      assert.deepEqual(bodyOf(call)['allowed_mentions'], { parse: [] }, `${call.method} ${call.path} sends allowed_mentions`);
      const body = bodyOf(call) as { content?: string; embeds?: { title?: string; description?: string }[] };
      const text = [body.content ?? '', ...(body.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? ''])].join('\n');
      assert.doesNotMatch(text, /@everyone|@here/, 'mentions are broken up');
      assert.doesNotMatch(text, /(^|[^\\])\]\(/, 'no masked link survives: every "](" is escaped');
      assert.doesNotMatch(text, /<@&123456>/, 'role mention syntax is broken up');
    }
    const all = calls.map((c) => JSON.stringify(c.body)).join('\n');
    assert.match(all, /@\\u200beveryone read this|@\u200beveryone read this/, 'the title is still shown');
  });

  test('a dropped gateway reconnects and commands keep working', async () => {
    const sessions = fake.identifies + fake.resumes;
    fake.dropGateway();
    const deadline = Date.now() + 15_000;
    while (fake.identifies + fake.resumes === sessions && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(fake.identifies + fake.resumes > sessions, 'the client came back');
    assert.equal(fake.resumes, 1, 'it resumed its session rather than starting over');
    // The command goes out on the resumed socket after RESUMED, so the client reads them in order.
    const { id, token } = fake.command('brief-follow', { topic: 'china-ai' }, { channelId: channelA });
    await fake.waitFor((c) => c.path === `/interactions/${id}/${token}/callback`);
    const edit = await fake.waitFor((c) => c.method === 'PATCH' && c.path.includes(`/${token}/messages/@original`));
    assert.match((edit.body as { content: string }).content, /followed china-ai/);
  });
});

test('an invalid token at start is a ConfigError naming DISCORD_TOKEN', async () => {
  const fake = await new FakeDiscord().start();
  try {
    const bot = createDiscordAdapter({
      token: 'wrong-token',
      apiUrl: fake.apiUrl,
      logger: silentLogger,
      topics: () => [],
      rest: { retries: 0, timeout: 5_000 },
    });
    await assert.rejects(
      bot.start({ onCommand: async () => ({ kind: 'text', text: '', ephemeral: true }), onThreadMessage: async () => undefined }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.key, 'DISCORD_TOKEN');
        assert.match(error.message, /DISCORD_TOKEN/);
        assert.doesNotMatch(error.message, /wrong-token/, 'the token itself is never printed');
        return true;
      },
    );
  } finally {
    await fake.close();
  }
});
