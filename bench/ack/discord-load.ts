/**
 * The Discord load generator (a child process of bench/discord-defer.bench.ts): the fake
 * Discord (gateway and REST) the bot connects to, and the source of `/brief` interactions —
 * 50 in flight; each latency is from the INTERACTION_CREATE dispatch to the deferReply
 * callback arriving back (Discord allows 3 s). Meanwhile one `/brief big <window>` is kept in
 * flight: when its reply is posted, the next is asked for, with another window.
 */
import { FakeDiscord, type RecordedCall } from '../../test/fakes/discord.ts';
import { percentile } from '../measure.ts';
import { BIG_TOPIC, bigWindow, CONCURRENCY, REQUESTS, type FromGenerator, type ToGenerator } from './protocol.ts';

const MIX: readonly [string, Record<string, string>][] = [
  ['brief', { topic: 'harbor' }],
  ['brief', { topic: 'harbor', window: '7d' }],
  ['brief', { topic: 'no-such-topic' }],
  ['brief-follow', { topic: 'harbor' }],
  ['brief-unfollow', { topic: 'harbor' }],
];

const send = (message: FromGenerator): void => void process.send!(message);
const next = (type: ToGenerator['type']): Promise<ToGenerator> =>
  new Promise((resolve) => {
    const on = (message: ToGenerator): void => {
      if (message.type !== type) return;
      process.off('message', on);
      resolve(message);
    };
    process.on('message', on);
  });

const fake = await new FakeDiscord({ channelIds: Array.from({ length: 21 }, (_, i) => String(900000000000000000n + BigInt(i))) }).start();
const [bigChannel, ...channels] = fake.channelIds;
send({ type: 'platform', apiUrl: fake.apiUrl, token: fake.token, guildId: fake.guildId, applicationId: fake.applicationId });
const { run, idle } = (await next('serving')) as Extract<ToGenerator, { type: 'serving' }>;
await fake.waitFor((c) => c.method === 'PUT' && c.path.includes('/commands'), 60_000);

/** Tokens whose interaction got its reply (an edit of the deferred reply, or a follow-up). */
const replied = new Set<string>();
const onCall = (call: RecordedCall): void => {
  const m = /^\/webhooks\/\d+\/(itok-\d+)/.exec(call.path);
  if (m && (call.method === 'PATCH' || call.method === 'POST')) replied.add(m[1]!);
};
const seen = { count: 0 };
const watch = setInterval(() => {
  for (; seen.count < fake.calls.length; seen.count += 1) onCall(fake.calls[seen.count]!);
}, 5);

/** Sends one interaction; resolves with the time until its deferReply arrived. */
async function interact(name: string, options: Record<string, string>, channelId: string): Promise<{ token: string; ms: number }> {
  const sent = performance.now();
  const { id, token } = fake.command(name, options, { channelId });
  await fake.waitFor((c) => c.path === `/interactions/${id}/${token}/callback`, 10_000);
  return { token, ms: performance.now() - sent };
}

const waitUntil = async (ok: () => boolean, ms: number): Promise<boolean> => {
  for (const end = performance.now() + ms; performance.now() < end; await new Promise((r) => setTimeout(r, 10))) if (ok()) return true;
  return ok();
};

// Warm-up, outside the measurement.
const warm = await Promise.all(MIX.map(([name, options], i) => interact(name, options, channels[i % channels.length]!)));
await waitUntil(() => warm.every((w) => replied.has(w.token)), 60_000);

// One big build in flight from now on (none in the idle baseline).
let bigAsked = 0;
const bigTokens: string[] = [];
const askBig = async (): Promise<void> => {
  bigTokens.push((await interact('brief', { topic: BIG_TOPIC, window: bigWindow(run, bigAsked++) }, bigChannel!)).token);
};
if (!idle) await askBig();
send({ type: 'big-requested' });
await next('building');
let keeping = !idle;
const bigPosted = (): number => bigTokens.filter((t) => replied.has(t)).length;
const keeper = (async () => {
  while (keeping) {
    if (bigPosted() >= bigAsked) await askBig();
    await new Promise((r) => setTimeout(r, 20));
  }
})();

const latencies: number[] = [];
const tokens: string[] = [];
let lost = 0;
let nextIndex = 0;
send({ type: 'burst-start' });
const started = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (nextIndex < REQUESTS) {
      const i = nextIndex++;
      const [name, options] = MIX[i % MIX.length]!;
      try {
        const { token, ms } = await interact(name, options, channels[i % channels.length]!);
        latencies.push(ms);
        tokens.push(token);
      } catch {
        lost += 1;
      }
    }
  }),
);
const wallMs = performance.now() - started;
send({ type: 'burst-end' });
keeping = false;
await keeper;
const drainStart = performance.now();
await waitUntil(() => tokens.every((t) => replied.has(t)), 120_000);
const repliesDrainMs = performance.now() - drainStart;
lost += tokens.filter((t) => !replied.has(t)).length;
clearInterval(watch);
send({
  type: 'report',
  report: {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    lost,
    wallMs,
    bigBuildsPosted: bigPosted(),
    repliesDrainMs,
  },
});
await fake.close();
process.disconnect();
