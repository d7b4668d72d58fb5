/**
 * Discord: how fast `/brief` is acknowledged (deferReply) through the real discord.js client
 * and the fake Discord on loopback, and what rendering briefs of growing size into embeds
 * costs. Prints a Markdown section.
 */
import { createDiscordAdapter } from '../src/chat/discord/adapter.ts';
import { briefMessages, embedLength } from '../src/chat/discord/embeds.ts';
import type { CommandReply } from '../src/chat/port.ts';
import { silentLogger } from '../src/core/log.ts';
import type { Brief } from '../src/core/types.ts';
import type { StoredBrief } from '../src/core/types.ts';
import { FakeDiscord } from '../test/fakes/discord.ts';
import { measure, median, percentile } from './measure.ts';

function syntheticBrief(stories: number): Brief {
  return {
    topic: 'bench',
    generatedAt: '2026-11-23T09:00:00.000Z',
    window: { since: '2026-11-22T09:00:00.000Z', until: '2026-11-23T09:00:00.000Z' },
    summarizer: 'extractive',
    usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
    articles: Array.from({ length: stories * 3 }, (_, i) => ({ id: `a${i}`, title: `Article ${i} about *things* @everyone`, url: `https://news.example/${i}` })),
    stories: Array.from({ length: stories }, (_, s) => ({
      id: `s${s}`,
      headline: `Story ${s}: a headline of ordinary length for a news story`,
      summary: 'A summary sentence of about the usual length, with a figure of 20%. '.repeat(3),
      articleIds: [`a${s * 3}`, `a${s * 3 + 1}`, `a${s * 3 + 2}`],
      claims: Array.from({ length: 5 }, (_, k) => ({ text: `Claim ${k} says something specific about the story, citing a source.`, articleIds: [`a${s * 3 + (k % 3)}`] })),
      figures: [{ value: '20%', text: 'The share rose by 20% over the year, the report said.', articleIds: [`a${s * 3}`] }],
      disagreements: [{ about: 'Cost', positions: [{ text: '$4.2 million', articleIds: [`a${s * 3}`] }, { text: '$30 million', articleIds: [`a${s * 3 + 1}`] }] }],
    })),
  };
}

async function deferLatency(total: number, concurrency: number): Promise<{ p50: number; p99: number; max: number; lost: number; wallMs: number }> {
  const fake = await new FakeDiscord().start();
  const stored: StoredBrief = { id: 'b', topicId: 'bench', brief: syntheticBrief(3), articleMap: {}, contentKey: 'k', createdAt: '2026-11-23T09:00:00.000Z' };
  const bot = createDiscordAdapter({ token: fake.token, guildId: fake.guildId, apiUrl: fake.apiUrl, logger: silentLogger, topics: () => [] });
  await bot.start({
    // Building a brief takes a while; the acknowledgement must not wait for it.
    onCommand: async (): Promise<CommandReply> => {
      await new Promise((r) => setTimeout(r, 200));
      return { kind: 'brief', brief: stored };
    },
    onThreadMessage: async () => undefined,
  });
  await bot.exclusive.connect();
  const latencies: number[] = [];
  let lost = 0;
  const started = Date.now();
  const channel = fake.channelIds[0] ?? '';
  for (let i = 0; i < total; i += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, total - i) }, async () => {
      const sent = performance.now();
      const { id, token } = fake.command('brief', { topic: 'bench' }, { channelId: channel });
      try {
        await fake.waitFor((c) => c.path === `/interactions/${id}/${token}/callback`, 5_000);
        latencies.push(performance.now() - sent);
      } catch {
        lost += 1;
      }
    });
    await Promise.all(batch);
  }
  const wallMs = Date.now() - started;
  await bot.stop();
  await fake.close();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), lost, wallMs };
}

const lines: string[] = ['## Discord', ''];
const total = Number(process.env["N"] ?? 300);
const concurrency = Number(process.env["C"] ?? 30);
const ack = await deferLatency(total, concurrency);
lines.push(
  `Slash-command acknowledgement (deferReply) through the real discord.js client and the fake Discord on loopback: ${total} \`/brief\` interactions, ${concurrency} at a time, each brief taking 200 ms to build.`,
  '',
  '| p50 | p99 | max | lost | wall time |',
  '|---|---|---|---|---|',
  `| ${ack.p50.toFixed(1)} ms | ${ack.p99.toFixed(1)} ms | ${ack.max.toFixed(1)} ms | ${ack.lost} | ${(ack.wallMs / 1000).toFixed(1)} s |`,
  '',
  "Discord's limit is 3,000 ms.",
  '',
  'Rendering briefs into embed messages (median of 7 runs):',
  '',
  '| stories | messages | largest message (chars) | render ms | peak heap MB |',
  '|---|---|---|---|---|',
);
for (const stories of process.env["N"] ? [] : [10, 50, 200, 1000]) {
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
