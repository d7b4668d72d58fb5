/**
 * Discord: how fast `/brief` is acknowledged (deferReply) by the bot alone while it builds a
 * 10,000-article brief, and what rendering briefs of growing size into embeds costs.
 *
 * Three processes (bench/ack/bot.ts): the bot — `serve` as production composes it, on dist/:
 * the real discord.js adapter, serving core, brief service over SQLite, briefs built in the
 * worker-thread pool; the fake Discord (gateway and REST) with the load generator: 500
 * interactions, 50 in flight, each latency from the INTERACTION_CREATE dispatch to the
 * deferReply callback reaching the fake; and this driver. A `/brief big` build is kept running
 * throughout. Medians of 3 runs; the machine's load after each.
 * Each run alternates with a floor run: the same burst with no build at all (BENCH_IDLE=0
 * skips them), so the build's share of the latency is told from the machine's.
 */
import { briefMessages, embedLength } from '../src/chat/discord/embeds.ts';
import type { Brief } from '../src/core/types.ts';
import { BIG_ARTICLES, oneRun, prepare, table, type RunResult } from './ack/bot.ts';
import { CONCURRENCY, REQUESTS } from './ack/protocol.ts';
import { measure, median } from './measure.ts';

function syntheticBrief(stories: number): Brief {
  return {
    topic: 'bench',
    generatedAt: '2026-11-23T09:00:00.000Z',
    window: { since: '2026-11-22T09:00:00.000Z', until: '2026-11-23T09:00:00.000Z' },
    summarizer: 'extractive',
    usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
    articles: Array.from({ length: stories * 3 }, (_, i) => ({
      id: `a${i}`,
      title: `Article ${i} about *things* @everyone`,
      url: `https://news.example/${i}`,
    })),
    stories: Array.from({ length: stories }, (_, s) => ({
      id: `s${s}`,
      headline: `Story ${s}: a headline of ordinary length for a news story`,
      summary: 'A summary sentence of about the usual length, with a figure of 20%. '.repeat(3),
      articleIds: [`a${s * 3}`, `a${s * 3 + 1}`, `a${s * 3 + 2}`],
      claims: Array.from({ length: 5 }, (_, k) => ({
        text: `Claim ${k} says something specific about the story, citing a source.`,
        articleIds: [`a${s * 3 + (k % 3)}`],
      })),
      figures: [{ value: '20%', text: 'The share rose by 20% over the year, the report said.', articleIds: [`a${s * 3}`] }],
      disagreements: [
        {
          about: 'Cost',
          positions: [
            { text: '$4.2 million', articleIds: [`a${s * 3}`] },
            { text: '$30 million', articleIds: [`a${s * 3 + 1}`] },
          ],
        },
      ],
    })),
  };
}

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const prepared = prepare();
const runs: RunResult[] = [];
let reference: RunResult | undefined;
const idle: RunResult[] = [];
try {
  // Pool runs and floor runs (no build) alternate, so both see the same machine load.
  for (let i = 0; i < RUNS; i += 1) {
    runs.push(await oneRun(i, prepared, 'discord', './discord-load.ts'));
    if (process.env['BENCH_IDLE'] !== '0') idle.push(await oneRun(RUNS + 1 + i, prepared, 'discord', './discord-load.ts', 'idle'));
  }
  // For scale, under the same load: one run with builds on the serving thread, as before the pool.
  if (process.env['BENCH_REFERENCE'] !== '0') reference = await oneRun(RUNS, prepared, 'discord', './discord-load.ts', 'thread');
} finally {
  prepared.cleanup();
}

const lines: string[] = [
  `## Discord: deferReply latency while a ${BIG_ARTICLES.toLocaleString('en')}-article brief is built`,
  '',
  `${REQUESTS} \`/brief\` interactions, ${CONCURRENCY} in flight, from a load generator in its own process (fake Discord gateway and REST there too); against the bot in another (real discord.js client, serving core, SQLite, worker-thread build pool; compiled code, no TypeScript loader). Discord's limit is 3,000 ms. Medians of ${RUNS} runs.`,
  '',
  table(runs, 'defer', reference, idle),
  '',
  'Rendering briefs into embed messages (median of 7 runs):',
  '',
  '| stories | messages | largest message (chars) | render ms | peak heap MB |',
  '|---|---|---|---|---|',
];
for (const stories of [10, 50, 200, 1000]) {
  const brief = syntheticBrief(stories);
  const times: number[] = [];
  let peakHeap = 0;
  let messages = briefMessages(brief);
  for (let run = 0; run < 7; run++) {
    const m = await measure(() => briefMessages(brief));
    times.push(m.ms);
    peakHeap = Math.max(peakHeap, m.peakHeapMb);
    messages = m.result;
  }
  const largest = Math.max(...messages.map((msg) => msg.embeds.reduce((sum, e) => sum + embedLength(e), 0)));
  lines.push(`| ${stories} | ${messages.length} | ${largest} | ${median(times).toFixed(2)} | ${peakHeap.toFixed(1)} |`);
}
console.log(lines.join('\n'));
