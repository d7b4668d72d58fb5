/**
 * The bot side of the ack benches, as `briefbot serve` composes it: real SQLite store, brief
 * service, worker-thread build pool, serving core and the platform's real adapter. Topics:
 * `harbor` (three small invented articles) and `big` (a synthetic folder of 10,000 files,
 * collected before the measurement). The load generator runs in a child process (fork).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createBriefService } from '../../src/app/brief-service.ts';
import { BuildPool } from '../../src/app/build-pool.ts';
import type { ChatAdapter } from '../../src/chat/port.ts';
import { startServe, type HttpRoute } from '../../src/cli/serve-host.ts';
import { collectTopics } from '../../src/collect/index.ts';
import { readEnv, toTopic } from '../../src/config/load.ts';
import { topicSchema } from '../../src/config/schema.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { Topic } from '../../src/core/types.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { writeCorpusFiles } from '../ingest/files.ts';
import { median } from '../measure.ts';
import { BIG_TOPIC, type FromGenerator, type LoadReport, type ToGenerator } from './protocol.ts';

export const BIG_ARTICLES = Number(process.env['BENCH_BIG'] ?? 10_000);
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/serve-news/', import.meta.url));

export interface RunResult extends LoadReport {
  /** Event-loop delay of the bot during the burst, ms. */
  readonly loopP50: number;
  readonly loopP99: number;
  readonly loopMax: number;
  /** Share of the burst during which a brief build was running in a worker. */
  readonly buildShare: number;
  readonly load: string;
}

function topics(dir: string): Topic[] {
  const cwd = process.cwd();
  return [
    toTopic(topicSchema.parse({ id: 'harbor', title: 'Harbor news', sources: [{ path: FIXTURES }], window: 'all', summarizer: { kind: 'extractive' } }), 0, cwd),
    toTopic(topicSchema.parse({ id: BIG_TOPIC, title: 'Ten thousand articles', sources: [{ path: dir }], window: 'all', summarizer: { kind: 'extractive' } }), 1, cwd),
  ];
}

/** Prepares the big folder and a store holding it (once per bench). */
export async function prepare(): Promise<{ dir: string; dbPath: string; cleanup: () => void }> {
  const root = mkdtempSync(join(tmpdir(), 'briefbot-ack-'));
  const dir = join(root, 'big');
  writeCorpusFiles(BIG_ARTICLES, dir, 11);
  const dbPath = join(root, 'bench.db');
  const store = openSqliteStore(dbPath);
  await collectTopics(topics(dir), { store, logger: silentLogger });
  await store.close();
  return { dir, dbPath, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * BENCH_CPU_PROFILE=file.cpuprofile: a CPU profile of the bot's main thread over the burst
 * only (open it in Chrome DevTools), to see what an ack waits behind.
 */
async function startProfile(): Promise<{ stop: () => Promise<void> } | undefined> {
  const file = process.env['BENCH_CPU_PROFILE'];
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

function nextMessage(child: ChildProcess, type: FromGenerator['type']): Promise<FromGenerator> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromGenerator): void => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null): void => reject(new Error(`load generator exited (${code}) before "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * One run: fork the generator, start the bot on its fake platform, keep a big build running
 * while the generator sends its burst, and return both sides' figures.
 */
export async function oneRun(
  run: number,
  prepared: { dir: string; dbPath: string },
  generator: string,
  makeAdapter: (platform: Extract<FromGenerator, { type: 'platform' }>) => { adapter: ChatAdapter; routes: HttpRoute[]; eventsPath?: string },
): Promise<RunResult> {
  const child = fork(fileURLToPath(new URL(generator, import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const send = (message: ToGenerator): void => void child.send(message);
  const store = openSqliteStore(prepared.dbPath);
  const pool = new BuildPool({ budgetMs: 600_000, cache: store.cache, logger: silentLogger });
  const service = createBriefService({ topics: topics(prepared.dir), env: readEnv({}), store, logger: silentLogger, builder: pool.builder });
  let serve: Awaited<ReturnType<typeof startServe>> | undefined;
  try {
    const platform = (await nextMessage(child, 'platform')) as Extract<FromGenerator, { type: 'platform' }>;
    const { adapter, routes, eventsPath } = makeAdapter(platform);
    serve = await startServe({ service, store, adapters: [adapter], logger: silentLogger, port: 0, host: '127.0.0.1', httpRoutes: routes, catchUpWindowMs: 0 });
    send({ type: 'serving', run, ...(eventsPath !== undefined && { eventsUrl: `http://127.0.0.1:${serve.port}${eventsPath}` }) });

    await nextMessage(child, 'big-requested');
    const waitUntil = Date.now() + 120_000;
    while (pool.stats().busy === 0 && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 5));
    if (pool.stats().busy === 0) throw new Error('the big build never started in a worker');
    const profile = await startProfile();
    send({ type: 'building' });

    await nextMessage(child, 'burst-start');
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    let samples = 0;
    let busy = 0;
    const sampler = setInterval(() => {
      samples += 1;
      if (pool.stats().busy > 0) busy += 1;
    }, 10);
    await nextMessage(child, 'burst-end');
    loop.disable();
    clearInterval(sampler);
    await profile?.stop();
    const { report } = (await nextMessage(child, 'report')) as Extract<FromGenerator, { type: 'report' }>;
    return {
      ...report,
      loopP50: loop.percentile(50) / 1e6,
      loopP99: loop.percentile(99) / 1e6,
      loopMax: loop.max / 1e6,
      buildShare: samples === 0 ? 0 : busy / samples,
      load: loadavg().map((l) => l.toFixed(1)).join(' '),
    };
  } finally {
    await serve?.stop();
    await pool.close();
    await store.close();
    child.kill();
  }
}

/** The Markdown table every ack bench prints: medians of the runs, each run's load. */
export function table(runs: readonly RunResult[], what: string): string {
  const m = (f: (r: RunResult) => number, digits = 1): string => median(runs.map(f)).toFixed(digits);
  return [
    '| metric | median of runs | runs |',
    '|---|---|---|',
    `| ${what} p50 | ${m((r) => r.p50)} ms | ${runs.map((r) => r.p50.toFixed(1)).join(' / ')} |`,
    `| ${what} p99 (target ≤ 100 ms) | ${m((r) => r.p99)} ms | ${runs.map((r) => r.p99.toFixed(1)).join(' / ')} |`,
    `| ${what} max | ${m((r) => r.max)} ms | ${runs.map((r) => r.max.toFixed(1)).join(' / ')} |`,
    `| bot event-loop delay p50 / p99 / max | ${m((r) => r.loopP50)} / ${m((r) => r.loopP99)} / ${m((r) => r.loopMax)} ms | ${runs.map((r) => `${r.loopP99.toFixed(0)}/${r.loopMax.toFixed(0)}`).join(' · ')} |`,
    `| share of the burst with a ${BIG_ARTICLES.toLocaleString('en')}-article build running | ${m((r) => r.buildShare * 100, 0)} % | ${runs.map((r) => `${(r.buildShare * 100).toFixed(0)} %`).join(' / ')} |`,
    `| big briefs built and posted during the burst | ${m((r) => r.bigBuildsPosted, 0)} | ${runs.map((r) => r.bigBuildsPosted).join(' / ')} |`,
    `| commands lost | ${runs.map((r) => r.lost).join(' / ')} | |`,
    `| burst wall time | ${m((r) => r.wallMs, 0)} ms | ${runs.map((r) => r.wallMs.toFixed(0)).join(' / ')} |`,
    `| machine load (1/5/15-min) after each run | | ${runs.map((r) => r.load).join(' · ')} (${cpus().length} CPUs) |`,
  ].join('\n');
}
