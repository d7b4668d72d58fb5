/**
 * Briefbot on Discord, end to end: the real serving core (router, scheduler, outbox, chat
 * store) and the real BriefService over a temporary SQLite file and a folder of fixture
 * articles, with the Discord adapter built from DISCORD_* variables and the real discord.js
 * client talking to the fake Discord. Assertions are on the REST calls Discord received.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createBriefService } from '../src/app/brief-service.ts';
import type { BriefService } from '../src/core/service.ts';
import { discordFromEnv } from '../src/cli/discord-env.ts';
import { readEnv, toTopic } from '../src/config/load.ts';
import { topicSchema } from '../src/config/schema.ts';
import { silentLogger } from '../src/core/log.ts';
import type { Topic } from '../src/core/types.ts';
import { startServe, type ServeHandle } from '../src/cli/serve-host.ts';
import { outboxKey } from '../src/store/sqlite/chat.ts';
import type { Store } from '../src/store/port.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { FakeDiscord, type RecordedCall } from './fakes/discord.ts';
import { tempDir } from './helpers/cli.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/discord/', import.meta.url));
/** Shaped like a real bot token (three dot-separated parts), so DISCORD_TOKEN validation passes. */
const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.fake.discord-test-token';

/** Building a brief waits for this (open unless a test holds it). */
let briefGate: Promise<void> = Promise.resolve();

const topics: Topic[] = [
  toTopic(
    topicSchema.parse({
      id: 'china-ai',
      title: 'China AI',
      sources: [{ path: FIXTURES, title: 'Discord fixtures' }],
      window: 'all',
      schedule: { cron: '0 9 * * *', timezone: 'UTC' },
      summarizer: { kind: 'extractive' },
    }),
    0,
    process.cwd(),
  ),
];

function isChannelPost(c: RecordedCall, channelId: string): boolean {
  return c.method === 'POST' && c.path === `/channels/${channelId}/messages`;
}

/** Every REST call that creates or edits a message, with the message body. */
function messageBodies(calls: readonly RecordedCall[]): { call: RecordedCall; body: Record<string, unknown> }[] {
  return calls
    .filter(
      (c) =>
        (c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path)) ||
        (c.method === 'PATCH' && c.path.includes('/messages/@original')) ||
        (c.method === 'POST' && c.path.startsWith('/webhooks/')) ||
        (c.method === 'POST' && c.path.endsWith('/callback') && (c.body as { type?: number }).type === 4),
    )
    .map((call) => {
      const body = call.body as Record<string, unknown>;
      return { call, body: (body['data'] as Record<string, unknown> | undefined) ?? body };
    });
}

function visibleText(body: Record<string, unknown>): string {
  const embeds = (body['embeds'] as { title?: string; description?: string; footer?: { text: string } }[] | undefined) ?? [];
  return [String(body['content'] ?? ''), ...embeds.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? ''])].join('\n');
}

describe('Briefbot on Discord (serving core + real BriefService + fake Discord)', () => {
  const fake = new FakeDiscord({ token: TOKEN });
  const dbPath = join(tempDir('briefbot-discord-'), 'briefbot.db');
  const [channelA = '', channelB = ''] = fake.channelIds;
  let store: Store;
  let serve: ServeHandle;

  async function startBot(now?: () => Date, catchUpWindowMs = 0, afterPost?: Parameters<typeof startServe>[0]['afterPost']): Promise<void> {
    store = openSqliteStore(dbPath);
    const env = readEnv({
      DISCORD_TOKEN: TOKEN,
      DISCORD_GUILD_ID: fake.guildId,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_MESSAGE_CONTENT: 'true',
    });
    const real = createBriefService({ topics, env, store, logger: silentLogger, ...(now && { now }) });
    // The real service; a held gate makes building a brief wait (as a slow build would).
    const service: BriefService = {
      ...real,
      topics: () => real.topics(),
      topic: (id) => real.topic(id),
      async brief(topicId, request) {
        await briefGate;
        return real.brief(topicId, request);
      },
    };
    const adapter = discordFromEnv(env, silentLogger, () => service.topics());
    assert.ok(adapter);
    serve = await startServe({
      service,
      store,
      adapters: [adapter],
      logger: silentLogger,
      port: 0,
      host: '127.0.0.1',
      catchUpWindowMs,
      ...(now && { now }),
      ...(afterPost && { afterPost }),
    });
  }

  async function stopBot(): Promise<void> {
    await serve.stop();
    await store.close();
  }

  before(async () => {
    await fake.start();
    await startBot();
  });

  after(async () => {
    await stopBot();
    await fake.close();
  });

  test('/brief topic:china-ai is deferred before it is built, then answered with embeds and a thread', async () => {
    // Building waits for the gate, so a defer that waited for the build would never come.
    let open: () => void = () => undefined;
    briefGate = new Promise<void>((resolve) => (open = resolve));
    const { id, token } = fake.command('brief', { topic: 'china-ai' }, { channelId: channelA });
    const deferred = await fake.waitFor((c) => c.path === `/interactions/${id}/${token}/callback`);
    assert.equal((deferred.body as { type: number }).type, 5);
    open();

    const edit = await fake.waitFor(
      (c) => c.method === 'PATCH' && c.path === `/webhooks/${fake.applicationId}/${token}/messages/@original`,
      20_000,
    );
    const body = edit.body as { embeds: { title: string; description: string }[]; allowed_mentions: unknown };
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    assert.match(body.embeds[0]?.title ?? '', /China AI/);
    assert.ok(body.embeds.length >= 2, 'header and at least one story');
    const stories = body.embeds
      .slice(1)
      .map((e) => e.description)
      .join('\n');
    assert.match(stories, /\[\d\] .+ — <https:\/\/[a-z-]+\.example\/[^>]+>/, 'numbered sources, URLs shown');
    await fake.waitFor((c) => c.method === 'POST' && c.path.startsWith(`/channels/${channelA}/messages/`) && c.path.endsWith('/threads'));
  });

  test("a follow-up in the brief's thread gets a cited answer from its sources", async () => {
    const threadCall = await fake.waitFor((c) => c.path.startsWith(`/channels/${channelA}/messages/`) && c.path.endsWith('/threads'));
    const threadId = threadCall.path.split('/')[4] ?? '';
    const from = fake.calls.length;
    fake.userMessage(threadId, 'How much did training Tidewater-2 cost?');
    const reply = await fake.waitFor((c) => fake.calls.indexOf(c) >= from && isChannelPost(c, threadId), 20_000);
    const body = reply.body as Record<string, unknown>;
    assert.deepEqual(body['allowed_mentions'], { parse: [] });
    const text = visibleText(body);
    assert.match(text, /million/);
    assert.match(text, /\\?\[\d\\?\]/, 'cites a numbered source');
    assert.match(text, /<https:\/\/[a-z-]+\.example\/[^>]+>/, 'lists its sources with URLs');

    const { token } = fake.command('brief-ask', { question: 'How many days did the training take?' }, { channelId: threadId });
    const asked = await fake.waitFor((c) => c.method === 'PATCH' && c.path.includes(`/${token}/messages/@original`), 20_000);
    assert.match(visibleText(asked.body as Record<string, unknown>), /40 days/);
  });

  test('a scheduled brief lands once per following channel, and a repeated run posts nothing', async () => {
    for (const channelId of [channelA, channelB]) {
      const { token } = fake.command('brief-follow', { topic: 'china-ai' }, { channelId });
      const edit = await fake.waitFor((c) => c.method === 'PATCH' && c.path.includes(`/${token}/messages/@original`));
      assert.match(String((edit.body as { content: string }).content), /now gets the scheduled china-ai brief/);
    }
    const from = fake.calls.length;
    const run = new Date('2026-11-23T09:00:00.000Z');
    assert.equal(await serve.scheduler.run('china-ai', run), 'delivered');
    assert.equal(await serve.scheduler.run('china-ai', run), 'already-ran');
    const later = fake.calls.slice(from);
    assert.equal(later.filter((c) => isChannelPost(c, channelA)).length, 1, 'one brief in channel A');
    assert.equal(later.filter((c) => isChannelPost(c, channelB)).length, 1, 'one brief in channel B');
    assert.equal(later.filter((c) => c.path.endsWith('/threads')).length, 2, 'each opens its thread');
  });

  test('a run missed while the bot was down is caught up once at start', async () => {
    await stopBot();
    const from = fake.calls.length;
    const afterMissedRun = (): Date => new Date('2026-11-24T09:30:00.000Z');
    await startBot(afterMissedRun, 6 * 3_600_000);
    await stopBot();
    await startBot(afterMissedRun, 6 * 3_600_000); // a second restart must not post again
    const later = fake.calls.slice(from);
    assert.equal(later.filter((c) => isChannelPost(c, channelA)).length, 1);
    assert.equal(later.filter((c) => isChannelPost(c, channelB)).length, 1);
  });

  test('missing permissions in one channel fail that delivery only; the other channel gets its brief', async () => {
    fake.failOn('POST', `/channels/${channelB}/messages`, { status: 403, body: { message: 'Missing Permissions', code: 50013 } }, 1);
    const from = fake.calls.length;
    const run = new Date('2026-11-25T09:00:00.000Z');
    assert.equal(await serve.scheduler.run('china-ai', run), 'delivered');
    const later = fake.calls.slice(from);
    assert.equal(later.filter((c) => isChannelPost(c, channelA)).length, 1);
    assert.equal(later.filter((c) => isChannelPost(c, channelB)).length, 1, 'one refused attempt, not retried');
    const entry = await serve.chat.outboxEntry(outboxKey('china-ai', run.toISOString(), `discord:${channelB}`));
    assert.equal(entry?.status, 'failed');
    assert.match(entry?.lastError ?? '', /50013/);
    const ok = await serve.chat.outboxEntry(outboxKey('china-ai', run.toISOString(), `discord:${channelA}`));
    assert.equal(ok?.status, 'sent');
  });

  test('a crash between posting and recording it does not post twice after restart', async () => {
    await stopBot();
    const run = new Date('2026-11-26T09:00:00.000Z');
    await startBot(undefined, 0, () => {
      throw new Error('simulated crash after post');
    });
    const from = fake.calls.length;
    await serve.scheduler.run('china-ai', run);
    const keys = [channelA, channelB].map((id) => outboxKey('china-ai', run.toISOString(), `discord:${id}`));
    for (const key of keys) assert.equal((await serve.chat.outboxEntry(key))?.status, 'sending', 'outcome left unrecorded');
    await stopBot();

    await startBot();
    await serve.outbox.flush();
    const later = fake.calls.slice(from);
    assert.equal(later.filter((c) => isChannelPost(c, channelA)).length, 1, 'never posted twice in A');
    assert.equal(later.filter((c) => isChannelPost(c, channelB)).length, 1, 'never posted twice in B');
    assert.ok(
      later.some((c) => c.method === 'GET' && c.path === `/channels/${channelA}/messages`),
      'looked in the channel history',
    );
    for (const [i, key] of keys.entries()) {
      const entry = await serve.chat.outboxEntry(key);
      assert.equal(entry?.status, 'sent', 'recovered from channel history');
      assert.ok(
        await serve.chat.briefForThread(`discord:${[channelA, channelB][i]}`, entry?.threadId ?? ''),
        'its thread answers follow-ups',
      );
    }
  });

  test('an article titled "@everyone read this" pings nobody, in any message', () => {
    const bodies = messageBodies(fake.calls);
    assert.ok(bodies.length >= 8);
    let sawTitle = false;
    for (const { call, body } of bodies) {
      assert.deepEqual(body['allowed_mentions'], { parse: [] }, `${call.method} ${call.path} sends allowed_mentions`);
      const text = visibleText(body);
      assert.doesNotMatch(text, /@everyone|@here/, 'mentions are broken up');
      assert.doesNotMatch(text, /(^|[^\\])\]\(/, 'no masked link');
      assert.doesNotMatch(text, /<@&\d/, 'no role mention syntax');
      if (text.includes('@\u200beveryone read this')) sawTitle = true;
    }
    assert.ok(sawTitle, 'the hostile title is shown, escaped');
  });
});
