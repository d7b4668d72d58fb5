/**
 * Three `briefbot serve` processes on one PostgreSQL — the steps of compose.yaml, run as
 * processes since no container engine runs here: `briefbot migrate`, then replicas with
 * BRIEFBOT_DB, BRIEFBOT_REPLICA_ID and the chat tokens (Slack in Socket Mode on every replica,
 * Discord) against the fake Slack and Discord servers.
 *
 * A scheduled brief goes to 50 followed channels (40 Slack, 10 Discord) with slow posts; the
 * replica holding the Discord gateway is killed with SIGKILL while it holds deliveries, and a
 * second replica is restarted (SIGTERM, start). Every channel gets exactly one post of the run,
 * none is lost, the dead replica's claims are taken over within the lease time, the gateway
 * moves to another replica and is never held by two at once, and a follow-up sent to every
 * Socket Mode connection is answered once. All waits poll what the fakes or the database
 * saw, up to deadlines.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { deliveryMarker } from '../src/chat/discord/rest-post.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import { outboxKey } from '../src/store/rows.ts';
import { FakeDiscord, snowflake } from './fakes/discord.ts';
import { FakeSlack, threadMessageEvent } from './fakes/slack.ts';
import { tempDir } from './helpers/cli.ts';
import { freshDatabase, postgresUnavailable } from './helpers/postgres.ts';
import { briefbotArgs, ReplicaProcess } from './helpers/replica-process.ts';
import { FIXTURES } from './helpers/slack-serve.ts';

const LEASE_SECONDS = 3;
const SLACK_CHANNELS = Array.from({ length: 40 }, (_, i) => `CE${String(i).padStart(3, '0')}`);
const DISCORD_CHANNELS = Array.from({ length: 10 }, () => snowflake());
const skip = postgresUnavailable() ?? false;

let slack: FakeSlack;
let discord: FakeDiscord;
let db: pg.Client;
let replicas: ReplicaProcess[] = [];

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) {
      const logs = replicas.map((r) => `--- ${r.id}\n${r.tail(15)}`).join('\n');
      const sending = db
        ? (await db.query(`SELECT key, lease_owner, lease_until, attempts FROM chat_outbox WHERE status <> 'sent'`)).rows
        : [];
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nunsent: ${JSON.stringify(sending)}\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

async function scalar<T>(sql: string, params: unknown[] = []): Promise<T> {
  const value = (await db.query(sql, params)).rows[0]?.v as unknown;
  // count(*) is a bigint, which pg hands back as a string.
  return (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value) as T;
}

before(async () => {
  if (skip) return;
  slack = await new FakeSlack().start();
  discord = await new FakeDiscord({ token: 'MTAw.fake.e2etoken', channelIds: DISCORD_CHANNELS }).start();
});

after(async () => {
  if (skip) return;
  await Promise.allSettled(replicas.map((r) => r.kill()));
  await db?.end().catch(() => undefined);
  await slack.close();
  await discord.close();
});

test(
  'three serve replicas on one PostgreSQL: one post per channel through a SIGKILL and a restart; one gateway; events answered once',
  { skip, timeout: 240_000 },
  async (t) => {
    const url = await freshDatabase('e2e');
    const dir = tempDir('briefbot-e2e-');
    // The slot fires a few seconds from now on every replica's cron (a replica started late catches it up instead).
    const fire = new Date(Math.ceil((Date.now() + 5_000) / 1000) * 1000);
    const cron = `${fire.getUTCSeconds()} ${fire.getUTCMinutes()} ${fire.getUTCHours()} * * *`;
    const slot = new Date(Math.floor(fire.getTime() / 60_000) * 60_000).toISOString();
    writeFileSync(
      join(dir, 'briefbot.config.yaml'),
      `topics:\n  - id: harbor\n    title: Harbor news\n    sources: [${JSON.stringify(FIXTURES)}]\n    window: all\n` +
        `    schedule: { cron: '${cron}', timezone: UTC }\n    summarizer: { kind: extractive }\n`,
    );
    const env = {
      BRIEFBOT_DB: url,
      BRIEFBOT_LEASE_SECONDS: String(LEASE_SECONDS),
      BRIEFBOT_DELIVERY_CONCURRENCY: '2',
      LOG_LEVEL: 'debug',
      SLACK_BOT_TOKEN: 'xoxb-e2e-token',
      SLACK_APP_TOKEN: 'xapp-e2e-token',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: discord.guildId,
      DISCORD_APPLICATION_ID: discord.applicationId,
    };

    // compose.yaml's `migrate` service, then the follows teams made with /brief follow.
    const migrate = spawnSync(process.execPath, briefbotArgs('migrate'), {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      encoding: 'utf8',
    });
    assert.equal(migrate.status, 0, migrate.stderr);
    assert.match(migrate.stdout, /schema version 8/);
    const seed = await openPostgresStore(url);
    for (const c of [...SLACK_CHANNELS.map((c) => `slack:${c}`), ...DISCORD_CHANNELS.map((c) => `discord:${c}`)])
      await seed.chat.follow(c, 'harbor', new Date().toISOString());
    await seed.close();
    db = new pg.Client({ connectionString: url });
    await db.connect();

    // Slack posts wait until every replica is up, however long starting takes here.
    slack.postDelayMs = 300;
    slack.holdPosts();
    replicas = ['r1', 'r2', 'r3'].map((id) => new ReplicaProcess(id, env, dir));
    await Promise.all(replicas.map((r) => r.start()));
    await until(() => discord.liveSessions === 1, 20_000, 'one replica to hold the gateway');
    await until(
      async () =>
        (await scalar<number>(`SELECT count(*) AS v FROM chat_outbox WHERE run_id = $1 AND status = 'sending' AND channel LIKE 'slack:%'`, [
          slot,
        ])) >= 6,
      60_000,
      'every replica to claim deliveries',
    );
    slack.releasePosts();

    // The slot fires on every replica; one begins the run; all deliver. Kill the gateway holder while it holds deliveries.
    const slackPosts = (): number =>
      slack.messages.filter((m) => String(m.metadata?.event_payload['delivery_key'] ?? '').includes(slot)).length;
    const holder = await scalar<string>(`SELECT owner AS v FROM leases WHERE name = 'discord-gateway'`);
    const victim = replicas.find((r) => r.id === holder)!;
    await until(
      async () =>
        slackPosts() >= 8 &&
        (await scalar<number>(`SELECT count(*) AS v FROM chat_outbox WHERE status = 'sending' AND lease_owner = $1`, [holder])) > 0,
      60_000,
      'the gateway holder to be posting',
    );
    const heldAtKill = await scalar<number>(`SELECT count(*) AS v FROM chat_outbox WHERE status = 'sending' AND lease_owner = $1`, [
      holder,
    ]);
    const identifiesBefore = discord.identifies;
    await victim.kill();
    const postsAtKill = slackPosts();
    // Both measured from the kill: the claims come free when their lease ends, the gateway when its lease does.
    const [claimsTakenOverMs, gatewayTakeoverMs] = await Promise.all([
      until(
        async () =>
          (await scalar<number>(`SELECT count(*) AS v FROM chat_outbox WHERE status = 'sending' AND lease_owner = $1`, [holder])) === 0,
        20_000,
        "the dead replica's claims to be taken over",
      ),
      until(() => discord.identifies > identifiesBefore && discord.liveSessions === 1, 30_000, 'another replica to take the gateway'),
    ]);

    // A second replica restarts: SIGTERM hands its claims back, the new process picks up.
    const restarted = replicas.find((r) => r !== victim)!;
    assert.equal(await restarted.terminate(), 0, restarted.tail());
    await restarted.start();

    const key = (channel: string): string => outboxKey('harbor', slot, channel);
    await until(
      async () => (await scalar<number>(`SELECT count(*) AS v FROM chat_outbox WHERE run_id = $1 AND status = 'sent'`, [slot])) === 50,
      90_000,
      'all 50 deliveries sent',
    );
    for (const c of SLACK_CHANNELS) {
      const posts = slack
        .messagesIn(c)
        .filter((m) => m.thread_ts === undefined && m.metadata?.event_payload['delivery_key'] === key(`slack:${c}`));
      assert.equal(posts.length, 1, `slack ${c}: exactly one post of the run`);
    }
    for (const c of DISCORD_CHANNELS) {
      const marker = deliveryMarker(key(`discord:${c}`));
      // Messages in the channel, not POSTs: a replica that stalled past its lease may post after
      // the one that took over, and Discord (enforce_nonce) returns the first message then.
      const posted = discord.postedIn(c).filter((msg) => JSON.stringify(msg['embeds']).includes(marker));
      if (posted.length !== 1) {
        // What each replica did with this delivery, to tell a retry from a takeover race.
        const posts = discord.calls.filter(
          (call) => call.method === 'POST' && call.path === `/channels/${c}/messages` && JSON.stringify(call.body).includes(marker),
        );
        const row = (await db.query(`SELECT status, attempts, last_error FROM chat_outbox WHERE key = $1`, [key(`discord:${c}`)])).rows;
        const lines = replicas.flatMap((r) => r.linesWith(c).map((line) => `${r.id}: ${line}`));
        assert.fail(
          `discord ${c}: ${posted.length} messages of the run from ${posts.length} posts (at ${posts.map((p) => p.at).join(', ')})\noutbox: ${JSON.stringify(row)}\n${lines.join('\n')}`,
        );
      }
    }
    assert.equal(await scalar<number>(`SELECT count(*) AS v FROM chat_schedule_runs WHERE topic_id = 'harbor'`), 1, 'one run for the slot');
    assert.ok(
      claimsTakenOverMs <= 2 * LEASE_SECONDS * 1000 + 2000,
      `claims taken over ${claimsTakenOverMs} ms after the kill (lease ${LEASE_SECONDS} s)`,
    );
    assert.equal(discord.maxLiveSessions, 1, 'never two gateway sessions at once');

    // Socket Mode on every replica: a follow-up reaches every live connection and is answered once.
    const channel = SLACK_CHANNELS[0]!;
    const threadTs = slack.messagesIn(channel).find((m) => m.thread_ts === undefined)!.ts;
    const live = replicas.filter((r) => r !== victim);
    const droppedBefore = live.reduce((n, r) => n + r.count('duplicate event dropped'), 0);
    slack.sendEnvelope(
      'events_api',
      JSON.parse(
        threadMessageEvent({ channel, threadTs, ts: '1900000000.000200', text: 'How long were the repairs?', eventId: 'Ev-e2e-1' }),
      ),
    );
    const replies = (): number => slack.messagesIn(channel).filter((m) => m.thread_ts === threadTs).length;
    const repliesBefore = replies();
    await until(() => replies() > repliesBefore, 20_000, 'an answer in the thread');
    await until(
      () => live.reduce((n, r) => n + r.count('duplicate event dropped'), 0) >= droppedBefore + live.length - 1,
      20_000,
      'the other replicas to drop the duplicate',
    );
    assert.equal(replies() - repliesBefore, 1, 'answered once');

    t.diagnostic(
      `killed ${victim.id} (gateway holder, ${heldAtKill} claims held, ${postsAtKill} Slack posts done); claims taken over after ${claimsTakenOverMs} ms; ` +
        `gateway re-identified after ${gatewayTakeoverMs} ms; lease ${LEASE_SECONDS} s; restarted ${restarted.id}`,
    );
    for (const r of live) assert.equal(await r.terminate(), 0, r.tail());
  },
);
