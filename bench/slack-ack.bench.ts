/**
 * Slack slash-command ack latency of the bot alone, while it builds a 10,000-article brief.
 *
 * The bot (this process) is `serve` as composed in production: real Bolt HTTP receiver, serving
 * core, brief service over SQLite, briefs built in the worker-thread pool. The load generator
 * and the fake Slack Web API run in a child process: 500 signed `/brief` commands, 50 in flight
 * over keep-alive connections; each latency is the time to the HTTP response (the ack), measured
 * by the generator. Throughout the burst a `/brief big` build of 10,000 articles is kept
 * running (asked again each time its brief is posted). The bot reports its own event-loop
 * delay over the burst. Medians of 3 runs; the machine's load after each.
 */
import { SlackAdapter } from '../src/chat/slack/adapter.ts';
import { silentLogger } from '../src/core/log.ts';
import { BIG_ARTICLES, oneRun, prepare, table, type RunResult } from './ack/bot.ts';
import { CONCURRENCY, REQUESTS, SIGNING_SECRET } from './ack/protocol.ts';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const prepared = await prepare();
const runs: RunResult[] = [];
try {
  for (let i = 0; i < RUNS; i += 1) {
    runs.push(
      await oneRun(i, prepared, './slack-load.ts', (platform) => {
        const adapter = new SlackAdapter({ botToken: 'xoxb-bench-token', signingSecret: SIGNING_SECRET, apiUrl: platform.apiUrl, logger: silentLogger, retries: 0 });
        return { adapter, routes: [{ path: adapter.endpoint, listener: adapter.requestListener! }], eventsPath: adapter.endpoint };
      }),
    );
  }
} finally {
  prepared.cleanup();
}

console.log(`## Slack slash-command ack latency while a ${BIG_ARTICLES.toLocaleString('en')}-article brief is built

${REQUESTS} signed \`/brief\` commands, ${CONCURRENCY} in flight, from a load generator in its own process (fake Slack Web API there too); the bot (real Bolt HTTP receiver, serving core, SQLite, worker-thread build pool) alone in this process. Medians of ${RUNS} runs.

${table(runs, 'ack')}
`);
