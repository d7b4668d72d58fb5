/**
 * The Slack load generator (a child process of bench/slack-ack.bench.ts): the fake Slack Web
 * API the bot posts to, and the senders of signed `/brief` commands — 50 in flight over as
 * many keep-alive connections (an undici Pool, as Slack's senders hold connections), each
 * latency the time to the HTTP response, i.e. the ack. Meanwhile one `/brief big <window>` is
 * kept in flight: when a big brief is posted, the next is asked for, with another window.
 */
import { Pool } from 'undici';
import { FakeSlack, slackSignature, slashCommandBody, waitFor } from '../../test/fakes/slack.ts';
import { percentile } from '../measure.ts';
import {
  BIG_CHANNEL,
  BIG_TOPIC,
  bigWindow,
  CONCURRENCY,
  REQUESTS,
  SIGNING_SECRET,
  type FromGenerator,
  type ToGenerator,
} from './protocol.ts';

const TEXTS = ['harbor', 'help', 'harbor 7d', 'no-such-topic', 'follow harbor'];

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

const slack = await new FakeSlack().start();
send({ type: 'platform', apiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET });
const { eventsUrl, run, idle } = (await next('serving')) as Extract<ToGenerator, { type: 'serving' }>;
const endpoint = new URL(eventsUrl!);
const pool = new Pool(endpoint.origin, { connections: CONCURRENCY + 1 });

async function post(body: string): Promise<{ status: number; ms: number }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await pool.request({
    path: endpoint.pathname,
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body),
    },
    body,
  });
  await res.body.text();
  return { status: res.statusCode, ms: performance.now() - started };
}

const command = (text: string, i: number | string, channel = `C${1000 + (Number(i) % 20 || 0)}`): string =>
  slashCommandBody({ text, channel, user: `U${i}`, responseUrl: slack.responseUrl(String(i)) });
/** Replies so far: response_url posts and top-level channel posts outside the big channel. */
const replies = (): number =>
  slack.responses.length + slack.messages.filter((m) => m.thread_ts === undefined && m.channel !== BIG_CHANNEL).length;
const bigPosts = (): number => slack.messages.filter((m) => m.thread_ts === undefined && m.channel === BIG_CHANNEL).length;

// Warm-up, outside the measurement: each command once, then one full wave so the pool holds its connections.
for (const text of TEXTS) await post(command(text, `warm-${text}`));
await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => post(command('help', `wave-${i}`))));
await waitFor(() => replies() >= TEXTS.length + CONCURRENCY, 60_000, 'warm-up replies');

// One big build in flight from now on (none in the idle baseline).
let bigAsked = 0;
const askBig = (): Promise<unknown> => post(command(`${BIG_TOPIC} ${bigWindow(run, bigAsked++)}`, `big-${bigAsked}`, BIG_CHANNEL));
if (!idle) await askBig();
send({ type: 'big-requested' });
await next('building');
let keeping = !idle;
const keeper = (async () => {
  while (keeping) {
    const posted = bigPosts();
    if (posted >= bigAsked) await askBig();
    await new Promise((r) => setTimeout(r, 20));
  }
})();

const baseline = replies();
const latencies: number[] = [];
let lost = 0;
let nextIndex = 0;
send({ type: 'burst-start' });
const started = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (nextIndex < REQUESTS) {
      const i = nextIndex++;
      try {
        const res = await post(command(TEXTS[i % TEXTS.length]!, i));
        if (res.status === 200) latencies.push(res.ms);
        else lost += 1;
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
await waitFor(() => replies() - baseline >= REQUESTS - lost, 120_000, 'all replies').catch(() => undefined);
const repliesDrainMs = performance.now() - drainStart;
lost += Math.max(0, REQUESTS - lost - (replies() - baseline));
send({
  type: 'report',
  report: {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    lost,
    wallMs,
    bigBuildsPosted: bigPosts(),
    repliesDrainMs,
  },
});
await pool.close();
await slack.close();
process.disconnect();
