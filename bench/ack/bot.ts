/**
 * The ack benches' driver. Three processes: this one (the driver, and nothing else), the bot
 * (bench/ack/bot-process.mjs: `serve` as production composes it, on dist/, no TypeScript
 * loader) and the load generator with the fake platform (slack-load.ts / discord-load.ts).
 * The driver relays the few control messages between them; the measured paths (commands,
 * acks, posts) go straight between the generator and the bot over loopback.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpusFiles } from '../ingest/files.ts';
import { median } from '../measure.ts';
import type { LoadReport } from './protocol.ts';

export const BIG_ARTICLES = Number(process.env['BENCH_BIG'] ?? 10_000);

export interface RunResult extends LoadReport {
  /** Event-loop delay of the bot during the burst, ms. */
  readonly loopP50: number;
  readonly loopP99: number;
  readonly loopMax: number;
  /** Share of the burst during which a brief build was running in a worker. */
  readonly buildShare: number;
  readonly botMaxRssMb: number;
  readonly load: string;
}

/** The compiled bot (dist/), and a folder of BIG_ARTICLES files it collects on its first run. */
export function prepare(): { dir: string; dbPath: string; cleanup: () => void } {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
  const root = mkdtempSync(join(tmpdir(), 'briefbot-ack-'));
  const dir = join(root, 'big');
  writeCorpusFiles(BIG_ARTICLES, dir, 11);
  return { dir, dbPath: join(root, 'bench.db'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

type Message = { readonly type: string } & Record<string, unknown>;

function next(child: ChildProcess, type: string): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Message): void => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null): void => reject(new Error(`a bench process exited (${code}) before "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * One run: start the bot and the generator, relay until the generator reports, and return
 * both sides' figures. `run` numbers the runs over one store (each asks for new windows).
 */
export async function oneRun(
  run: number,
  prepared: { dir: string; dbPath: string },
  platform: 'slack' | 'discord',
  generator: string,
  builds: 'pool' | 'thread' | 'idle' = 'pool',
): Promise<RunResult> {
  const bot = fork(fileURLToPath(new URL('./bot-process.mjs', import.meta.url)), [platform, prepared.dir, prepared.dbPath, builds], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const gen = fork(fileURLToPath(new URL(generator, import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    await next(bot, 'ready');
    bot.send({ ...(await next(gen, 'platform')), type: 'platform' });
    gen.send({ ...(await next(bot, 'serving')), run, idle: builds === 'idle' });
    // Listening before the big build is asked for: with builds on the serving thread the bot
    // says "building" from inside the build, as soon as it starts.
    const building = next(bot, 'building');
    await next(gen, 'big-requested');
    bot.send({ type: 'big-requested' });
    await building;
    gen.send({ type: 'building' });
    await next(gen, 'burst-start');
    bot.send({ type: 'burst-start' });
    const loop = next(bot, 'loop');
    await next(gen, 'burst-end');
    bot.send({ type: 'burst-end' });
    const stats = await loop;
    const { report } = (await next(gen, 'report')) as unknown as { report: LoadReport };
    return {
      ...report,
      loopP50: stats['loopP50'] as number,
      loopP99: stats['loopP99'] as number,
      loopMax: stats['loopMax'] as number,
      buildShare: stats['buildShare'] as number,
      botMaxRssMb: stats['maxRssMb'] as number,
      load: loadavg()
        .map((l) => l.toFixed(1))
        .join(' '),
    };
  } finally {
    bot.send({ type: 'stop' });
    await new Promise((resolve) => bot.once('exit', resolve));
    gen.kill();
  }
}

/**
 * The Markdown table every ack bench prints: medians of the runs, each run's load; `idle` are
 * runs with no build at all (the floor on this machine now), `reference` a run with builds on
 * the serving thread.
 */
export function table(runs: readonly RunResult[], what: string, reference?: RunResult, idle: readonly RunResult[] = []): string {
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
    `| bot peak RSS (process, worker included) | ${m((r) => r.botMaxRssMb, 0)} MB | ${runs.map((r) => r.botMaxRssMb).join(' / ')} |`,
    `| machine load (1/5/15-min) after each run | | ${runs.map((r) => r.load).join(' · ')} (${cpus().length} CPUs) |`,
    ...(idle.length > 0
      ? [
          `| **floor: no build running** (${idle.length} runs, same burst, same machine) ${what} p50 / p99 / max | ${median(idle.map((r) => r.p50)).toFixed(1)} / ${median(idle.map((r) => r.p99)).toFixed(1)} / ${median(idle.map((r) => r.max)).toFixed(1)} ms | p99 ${idle.map((r) => r.p99.toFixed(1)).join(' / ')}; event loop p99 ${median(idle.map((r) => r.loopP99)).toFixed(0)} ms; load ${idle.map((r) => r.load).join(' · ')} |`,
          `| p99 with a build / p99 with none | **${(median(runs.map((r) => r.p99)) / median(idle.map((r) => r.p99))).toFixed(2)}×** | |`,
        ]
      : []),
    ...(reference
      ? [
          `| **reference: builds on the serving thread** (1 run, as before the pool) ${what} p50 / p99 / max | ${reference.p50.toFixed(0)} / ${reference.p99.toFixed(0)} / ${reference.max.toFixed(0)} ms | event loop p99 ${reference.loopP99.toFixed(0)} ms, max ${reference.loopMax.toFixed(0)} ms; load ${reference.load} |`,
        ]
      : []),
  ].join('\n');
}
