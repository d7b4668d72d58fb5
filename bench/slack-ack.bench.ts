/**
 * Slash-command ack latency: 500 signed `/brief` requests, 50 in flight at a time, against the
 * real serving core + Bolt HTTP receiver on loopback (fake Slack Web API behind it). Each
 * request's latency is the time to the HTTP response (the ack); the brief is built (or the
 * fresh stored one reused) and posted after. Reports p50/p99 (medians of 3 runs), requests
 * lost (non-200 or never followed by a post/response) and peak memory.
 *
 * The load generator holds one keep-alive connection per request in flight (an undici Pool),
 * as Slack's senders do. Node's global fetch is not used for the burst: with 50 requests in
 * flight it queued the second wave of requests behind connection churn on the client side —
 * against a bare `http.createServer` that answers at once it gave p99 373 ms where a pool of
 * 50 connections gave 32 ms — so it measured the client, not the bot.
 */
import { Pool } from 'undici';
import { sendSigned, slackSignature, slashCommandBody, waitFor } from '../test/fakes/slack.ts';
import { SIGNING_SECRET, startHarness } from '../test/helpers/slack-serve.ts';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { measure, median, percentile } from './measure.ts';

const REQUESTS = 500;
const CONCURRENCY = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TEXTS = ['harbor', 'help', 'harbor 7d', 'no-such-topic', 'china-ai'];

interface RunResult {
  p50: number;
  p99: number;
  max: number;
  lost: number;
  wallMs: number;
  followUpsMs: number;
  /** Event-loop delay during the burst (ms): p99 and max, from perf_hooks.monitorEventLoopDelay. */
  loopP99: number;
  loopMax: number;
}

async function oneRun(): Promise<RunResult> {
  const h = await startHarness();
  try {
    // Warm up: first build of each topic and the JIT, outside the measurement.
    for (const text of TEXTS) await sendSigned(h.eventsUrl, SIGNING_SECRET, slashCommandBody({ text, responseUrl: h.slack.responseUrl() }), { contentType: 'application/x-www-form-urlencoded' });
    // …and one burst of CONCURRENCY requests, so the client's keep-alive pool holds its
    // connections (as Slack's senders do) and connection setup is not what is measured.
    const endpoint = new URL(h.eventsUrl);
    const pool = new Pool(endpoint.origin, { connections: CONCURRENCY });
    const send = (body: string): Promise<{ status: number; ms: number }> => sendPooled(pool, endpoint.pathname, body);
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => send(slashCommandBody({ text: 'help', responseUrl: h.slack.responseUrl(`w${i}`) }))));
    await waitFor(() => h.slack.responses.length + h.slack.callsOf('chat.postMessage').length >= TEXTS.length + CONCURRENCY, 30_000, 'warm-up');
    const baseline = h.slack.responses.length + h.slack.messages.filter((m) => m.thread_ts === undefined).length;
    const latencies: number[] = [];
    let lost = 0;
    let next = 0;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < REQUESTS) {
        const i = next++;
        const body = slashCommandBody({ text: TEXTS[i % TEXTS.length]!, channel: `C${1000 + (i % 20)}`, user: `U${i}`, responseUrl: h.slack.responseUrl(String(i)) });
        try {
          const res = await send(body);
          if (res.status !== 200) lost += 1;
          latencies.push(res.ms);
        } catch {
          lost += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const wallMs = performance.now() - started;
    loop.disable();
    // Every acked command must be followed by its reply: a post in the channel or a response_url post.
    const done = (): number => h.slack.responses.length + h.slack.messages.filter((m) => m.thread_ts === undefined).length - baseline;
    const followStart = performance.now();
    await waitFor(() => done() >= REQUESTS - lost, 60_000, 'all replies').catch(() => undefined);
    const followUpsMs = performance.now() - followStart;
    lost += Math.max(0, REQUESTS - lost - done());
    await pool.close();
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), lost, wallMs, followUpsMs, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 };
  } finally {
    await h.close();
  }
}

/** One signed slash-command POST over the pool; `ms` is the time to the complete response. */
async function sendPooled(pool: Pool, path: string, body: string): Promise<{ status: number; ms: number }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await pool.request({
    path,
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

const loadBefore = loadavg()[0]!;
const runs: RunResult[] = [];
const { peakRssMb, peakHeapMb } = await measure(async () => {
  for (let i = 0; i < RUNS; i += 1) runs.push(await oneRun());
});

const m = (f: (r: RunResult) => number): string => median(runs.map(f)).toFixed(1);
console.log(`## Slack slash-command ack latency

${REQUESTS} signed \`/brief\` requests (mix: ${TEXTS.map((t) => `\`${t}\``).join(', ')}), ${CONCURRENCY} in flight over as many keep-alive connections (an undici Pool), loopback, real Bolt HTTP receiver + serving core + BriefService over SQLite; fake Slack Web API. Medians of ${RUNS} runs.

| metric | value |
|---|---|
| ack p50 | ${m((r) => r.p50)} ms |
| ack p99 | ${m((r) => r.p99)} ms (target < 100 ms) |
| ack max | ${m((r) => r.max)} ms |
| event-loop delay during the burst p99 / max | ${m((r) => r.loopP99)} ms / ${m((r) => r.loopMax)} ms |
| requests lost (non-200 or no reply) | ${runs.map((r) => r.lost).join(' / ')} |
| wall time for ${REQUESTS} acks | ${m((r) => r.wallMs)} ms (${(REQUESTS / (median(runs.map((r) => r.wallMs)) / 1000)).toFixed(0)} req/s) |
| replies drained after the last ack | ${m((r) => r.followUpsMs)} ms |
| peak RSS / heap | ${peakRssMb.toFixed(0)} MB / ${peakHeapMb.toFixed(0)} MB |
| machine load (1-min avg, before → after) | ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs |

Client, server and fake Slack share one process; on a loaded machine latencies measure the scheduler as much as the bot.
`);
