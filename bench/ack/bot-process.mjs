// @ts-check
/**
 * The bot of the ack benches, in a process of its own on the compiled code (dist/) — no
 * TypeScript loader in it, as `briefbot serve` runs in production: real SQLite store, brief
 * service, worker-thread build pool, serving core, and the platform's real adapter. Topics:
 * `harbor` (three small invented articles) and `big` (a folder of 10,000 files, collected
 * once before the first run). Driven over IPC by bench/ack/bot.ts, which relays between it and
 * the load generator.
 *
 * argv: <slack|discord> <big folder> <database> [pool|thread|idle]; BENCH_CPU_PROFILE=file
 * profiles the burst. With `thread`, briefs are built on the serving thread as before the pool
 * existed: the reference the pool's figures are compared with, under the same load. With
 * `idle`, no big build is asked for: the floor, the same burst on the same machine with
 * nothing being built.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const dist = new URL('../../dist/', import.meta.url);
/** @param {string} path */
const load = (path) => import(new URL(`${path}.js`, dist).href);
const { createBriefService } = await load('app/brief-service');
const { BuildPool } = await load('app/build-pool');
const { startServe } = await load('cli/serve-host');
const { collectTopics } = await load('collect/index');
const { readEnv, toTopic } = await load('config/load');
const { topicSchema } = await load('config/schema');
const { silentLogger } = await load('core/log');
const { openSqliteStore } = await load('store/sqlite/index');

const [platform, dir, dbPath, where] = process.argv.slice(2);
const inThread = where === 'thread';
const idle = where === 'idle';
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/serve-news/', import.meta.url));
const cwd = process.cwd();
const topics = [
  toTopic(
    topicSchema.parse({
      id: 'harbor',
      title: 'Harbor news',
      sources: [{ path: FIXTURES }],
      window: 'all',
      summarizer: { kind: 'extractive' },
    }),
    0,
    cwd,
  ),
  toTopic(
    topicSchema.parse({
      id: 'big',
      title: 'Ten thousand articles',
      sources: [{ path: dir }],
      window: 'all',
      summarizer: { kind: 'extractive' },
    }),
    1,
    cwd,
  ),
];

/** @param {object} message */
const send = (message) => process.send?.(message);
/** @type {Map<string, (message: any) => void>} */
const waiting = new Map();
/** @param {string} type @returns {Promise<any>} */
const next = (type) => new Promise((resolve) => waiting.set(type, resolve));
process.on('message', (/** @type {any} */ message) => {
  const resolve = waiting.get(message.type);
  waiting.delete(message.type);
  resolve?.(message);
});

const store = openSqliteStore(dbPath);
// The big folder, collected once per bench (later runs find its files unchanged).
if ((await store.articles.count()) === 0) await collectTopics(topics, { store, logger: silentLogger });
const pool = new BuildPool({ budgetMs: 600_000, cache: store.cache, logger: silentLogger });
const { inProcessBuilder } = await load('app/build');
const inThisThread = inProcessBuilder(store.cache, silentLogger);
let signalled = false;
const service = createBriefService({
  topics,
  env: readEnv({}),
  store,
  logger: silentLogger,
  builder: inThread
    ? (/** @type {any} */ job, /** @type {any} */ progress) => {
        // The reference: this thread is about to be held by the build. Say so now (the message
        // leaves before the build starts), so the burst meets the build.
        if (!signalled && job.topic.id === 'big') {
          signalled = true;
          send({ type: 'building' });
        }
        return inThisThread(job, progress);
      }
    : pool.builder,
});

send({ type: 'ready' });
const connect = await next('platform');
/** @type {any} */
let adapter;
/** @type {any[]} */
let routes = [];
if (platform === 'slack') {
  const { SlackAdapter } = await load('chat/slack/adapter');
  adapter = new SlackAdapter({
    botToken: 'xoxb-bench-token',
    signingSecret: connect.signingSecret,
    apiUrl: connect.apiUrl,
    logger: silentLogger,
    retries: 0,
  });
  routes = [{ path: adapter.endpoint, listener: adapter.requestListener }];
} else {
  const { createDiscordAdapter } = await load('chat/discord/adapter');
  adapter = createDiscordAdapter({
    token: connect.token,
    guildId: connect.guildId,
    apiUrl: connect.apiUrl,
    logger: silentLogger,
    topics: () => [],
  });
}
const serve = await startServe({
  service,
  store,
  adapters: [adapter],
  logger: silentLogger,
  port: 0,
  host: '127.0.0.1',
  httpRoutes: routes,
  catchUpWindowMs: 0,
});
send({ type: 'serving', ...(platform === 'slack' && { eventsUrl: `http://127.0.0.1:${serve.port}${adapter.endpoint}` }) });

await next('big-requested');
/** @type {{ stop: () => Promise<void> } | undefined} */
let profile;
if (!inThread && !idle) {
  const until = Date.now() + 120_000;
  while (pool.stats().busy === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  if (pool.stats().busy === 0) throw new Error('the big build never started in a worker');
  profile = await startProfile();
  send({ type: 'building' });
} else if (idle) {
  send({ type: 'building' });
}

await next('burst-start');
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
let samples = 0;
let busy = 0;
const sampler = setInterval(() => {
  samples += 1;
  if (pool.stats().busy > 0 || (inThread && signalled)) busy += 1;
}, 10);
await next('burst-end');
loop.disable();
clearInterval(sampler);
await profile?.stop();
send({
  type: 'loop',
  loopP50: loop.percentile(50) / 1e6,
  loopP99: loop.percentile(99) / 1e6,
  loopMax: loop.max / 1e6,
  buildShare: samples === 0 ? 0 : busy / samples,
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
});

await next('stop');
await serve.stop();
await pool.close();
await store.close();
process.disconnect();
// Whatever a library left open, the bench is over.
process.exit(0);

/** A CPU profile of this (main) thread from the build's start to the burst's end, when asked. */
async function startProfile() {
  const file = process.env['BENCH_CPU_PROFILE'];
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  /** @param {string} method @param {object} [params] @returns {Promise<any>} */
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = await post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
