/**
 * Collect throughput, each run a fresh process on the compiled code (dist/, built first):
 *  - local full-text feeds: 20 RSS files × 500 items, `collect --source ./feeds --offline`
 *    (target ≥ 2,000 articles/s);
 *  - teaser feeds over loopback: 20 feeds × 100 items whose full text is on the article
 *    page, so each page is fetched and extracted. The web server runs in a process of its own;
 *    a CPU profile of the collect alone (not process start-up) shows the share of its CPU spent inside page extraction
 *    (extractFromHtml) and outside it (HTTP, feed parsing, dedupe, storing).
 * Medians of 3; the machine's load average beside each.
 */
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFullTextFeeds } from './collect/feeds.ts';
import { median } from './measure.ts';
import { generateCorpus } from './synthetic.ts';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const LOCAL = { feeds: 20, perFeed: 500 };
const REMOTE = { feeds: 20, perFeed: Number(process.env['BENCH_REMOTE_PER_FEED'] ?? 100) };
const root = fileURLToPath(new URL('..', import.meta.url));
const child = fileURLToPath(new URL('./ingest/child.mjs', import.meta.url));
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

interface Run {
  ms: number;
  cpuMs: number;
  stored: number;
}

function collect(db: string, sources: string[], profileFile?: string): Run {
  const args = [child, 'collect', db, ...sources];
  const env = { ...process.env, ...(profileFile && { BENCH_PROFILE_FILE: profileFile }) };
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20, env });
  if (result.status !== 0) throw new Error(`collect child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Run;
}

/** Where a sample's CPU went, by the nearest frame on its stack that names a stage. */
const STAGES: readonly [string, (frame: { functionName: string; url: string }) => boolean][] = [
  ['page extraction', (f) => f.functionName === 'extractFromHtml'],
  ['feed item text', (f) => f.functionName === 'htmlToArticleText'],
  ['feed parsing', (f) => f.functionName === 'parseFeed'],
  ['dedupe + store', (f) => f.functionName === 'ingestBatch' || f.functionName === 'saveBatch' || /store\/sqlite\//.test(f.url)],
  ['HTTP', (f) => /undici|collect\/http\//.test(f.url)],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
];

/** Shares of a CPU profile's busy samples (the collect only) per stage. */
function stageShares(file: string): Map<string, number> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
    samples: number[];
    timeDeltas: number[];
  };
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map<number, string>();
  const stage = (id: number): string => {
    const known = stageOf.get(id);
    if (known !== undefined) return known;
    const frame = byId.get(id)!.callFrame;
    const up = parent.get(id);
    const result = STAGES.find(([, test]) => test(frame))?.[0] ?? (up !== undefined ? stage(up) : 'other');
    stageOf.set(id, result);
    return result;
  };
  const totals = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const name = byId.get(id)!.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') return;
    const dt = profile.timeDeltas[i] ?? 0;
    busy += dt;
    totals.set(stage(id), (totals.get(stage(id)) ?? 0) + dt);
  });
  return new Map([...totals].map(([k, v]) => [k, v / busy]));
}

execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
const work = mkdtempSync(join(tmpdir(), 'briefbot-collect-'));
const lines: string[] = [];
let breakdown = '';
try {
  // Local full-text feeds.
  const feeds = join(work, 'feeds');
  const corpus = generateCorpus(LOCAL.feeds * LOCAL.perFeed, 5).articles;
  writeFullTextFeeds(feeds, corpus, LOCAL.feeds, LOCAL.perFeed);
  const before = load();
  const local: Run[] = [];
  for (let r = 0; r < RUNS; r += 1) local.push(collect(join(work, `local-${r}.db`), [feeds]));
  const items = LOCAL.feeds * LOCAL.perFeed;
  const ms = median(local.map((r) => r.ms));
  const cpu = median(local.map((r) => r.cpuMs));
  lines.push(
    `| local full-text feeds, ${LOCAL.feeds} × ${LOCAL.perFeed} items | ${items.toLocaleString('en')} | ${local[0]!.stored.toLocaleString('en')} | ${(ms / 1000).toFixed(2)} s (${(cpu / 1000).toFixed(2)} s CPU) | **${((items / ms) * 1000).toFixed(0)}** (${((items / cpu) * 1000).toFixed(0)} per CPU-second) | — | ${before} → ${load()} |`,
  );

  // Teaser feeds whose pages are fetched from a loopback server in its own process.
  const server = fork(fileURLToPath(new URL('./collect/server.ts', import.meta.url)), [String(REMOTE.feeds), String(REMOTE.perFeed)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { port } = await new Promise<{ port: number }>((resolve) => server.once('message', (m) => resolve(m as { port: number })));
    const urls = Array.from({ length: REMOTE.feeds }, (_, i) => `http://127.0.0.1:${port}/feed/${i}.xml`);
    const remoteBefore = load();
    const remote: { run: Run; shares: Map<string, number> }[] = [];
    for (let r = 0; r < RUNS; r += 1) {
      const profile = join(work, `collect-${r}.cpuprofile`);
      const run = collect(join(work, `remote-${r}.db`), urls, profile);
      remote.push({ run, shares: stageShares(profile) });
    }
    const n = REMOTE.feeds * REMOTE.perFeed;
    const rms = median(remote.map((r) => r.run.ms));
    const rcpu = median(remote.map((r) => r.run.cpuMs));
    const inside = median(remote.map((r) => r.shares.get('page extraction') ?? 0));
    const stages = [...new Set(remote.flatMap((r) => [...r.shares.keys()]))]
      .map((k) => [k, median(remote.map((r) => r.shares.get(k) ?? 0))] as const)
      .sort((x, y) => y[1] - x[1]);
    breakdown = stages.map(([k, v]) => `${k} ${(v * 100).toFixed(0)} %`).join(' · ');
    lines.push(
      `| teaser feeds on loopback, ${REMOTE.feeds} × ${REMOTE.perFeed} items, every page fetched | ${n.toLocaleString('en')} | ${remote[0]!.run.stored.toLocaleString('en')} | ${(rms / 1000).toFixed(2)} s (${(rcpu / 1000).toFixed(2)} s CPU) | ${((n / rms) * 1000).toFixed(0)} | ${(inside * 100).toFixed(0)} % in extraction, **${((1 - inside) * 100).toFixed(0)} % outside** | ${remoteBefore} → ${load()} |`,
    );
  } finally {
    server.disconnect();
    server.kill();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`## Collect throughput (fresh process per run, on dist/; medians of ${RUNS})

Targets: local full-text feeds ≥ 2,000 articles/s. For fetched pages, a CPU profile of the collect alone (process start-up excluded) splits its busy CPU time between page extraction and everything else (fetching at the default 2 requests per host, feed parsing, dedupe, storing); waiting is not counted.

| feeds | items | stored | time (wall; CPU) | articles/s | CPU outside page extraction | load avg 1/5/15 before → after (${cpus().length} CPUs) |
|---|---|---|---|---|---|---|
${lines.join('\n')}

Teaser feeds, the collect's busy CPU by stage (median of ${RUNS}): ${breakdown}.
`);
