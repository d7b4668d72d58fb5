/**
 * Slack slash-command ack latency of the bot alone, while it builds a 10,000-article brief.
 *
 * Three processes (bench/ack/bot.ts): the bot — `serve` as production composes it, on dist/:
 * real Bolt HTTP receiver, serving core, brief service over SQLite, briefs built in the
 * worker-thread pool; the load generator with the fake Slack Web API: 500 signed `/brief`
 * commands, 50 in flight over keep-alive connections, each latency the time to the HTTP
 * response (the ack); and this driver. Throughout the burst a `/brief big` build of 10,000
 * articles is kept running. The bot reports its own event-loop delay over the burst.
 * Medians of 3 runs; the machine's load after each.
 * Each run alternates with a floor run: the same burst with no build at all (BENCH_IDLE=0
 * skips them), so the build's share of the latency is told from the machine's.
 */
import { BIG_ARTICLES, oneRun, prepare, table, type RunResult } from './ack/bot.ts';
import { CONCURRENCY, REQUESTS } from './ack/protocol.ts';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const prepared = prepare();
const runs: RunResult[] = [];
let reference: RunResult | undefined;
const idle: RunResult[] = [];
try {
  // Pool runs and floor runs (no build) alternate, so both see the same machine load.
  for (let i = 0; i < RUNS; i += 1) {
    runs.push(await oneRun(i, prepared, 'slack', './slack-load.ts'));
    if (process.env['BENCH_IDLE'] !== '0') idle.push(await oneRun(RUNS + 1 + i, prepared, 'slack', './slack-load.ts', 'idle'));
  }
  // For scale, under the same load: one run with builds on the serving thread, as before the pool.
  if (process.env['BENCH_REFERENCE'] !== '0') reference = await oneRun(RUNS, prepared, 'slack', './slack-load.ts', 'thread');
} finally {
  prepared.cleanup();
}

console.log(`## Slack slash-command ack latency while a ${BIG_ARTICLES.toLocaleString('en')}-article brief is built

${REQUESTS} signed \`/brief\` commands, ${CONCURRENCY} in flight, from a load generator in its own process (fake Slack Web API there too), against the bot in another (real Bolt HTTP receiver, serving core, SQLite, worker-thread build pool; compiled code, no TypeScript loader). Medians of ${RUNS} runs.

${table(runs, 'ack', reference, idle)}
`);
