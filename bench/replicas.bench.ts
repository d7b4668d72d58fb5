/**
 * Replicas: one scheduled brief to 300 Slack channels, delivered by 1 `serve` process on
 * SQLite (the floor), and by 1 and 3 processes on one PostgreSQL — with posts answered by the
 * fake Slack after 50 ms (the processes' CPU is the limit) and after 400 ms (a slow Web API:
 * waiting is the limit, which is where replicas on their own machines pay). Reports deliveries per second (from the moment
 * every replica is up and the run's deliveries are due, to the last one sent), the latency of
 * the claim statement (FOR UPDATE SKIP LOCKED on PostgreSQL) as each process logged it, and
 * the share of deliveries each replica made. Medians of 3 runs. Processes run the TypeScript
 * sources (tsx), like the end-to-end test.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import type { Store } from '../src/store/port.ts';
import { FakeSlack } from '../test/fakes/slack.ts';
import { tempDir } from '../test/helpers/cli.ts';
import { postgresUnavailable, startPostgres } from '../test/helpers/postgres.ts';
import { briefbotArgs, ReplicaProcess } from '../test/helpers/replica-process.ts';
import { FIXTURES } from '../test/helpers/slack-serve.ts';
import { median, percentile } from './measure.ts';

const CHANNELS = Number(process.env['BENCH_CHANNELS'] ?? 300);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const POST_MS = (process.env['BENCH_POST_MS'] ?? '50,400').split(',').map(Number);

interface RunResult {
  perSecond: number;
  claimP50: number;
  claimP95: number;
  shares: number[];
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function run(
  slack: FakeSlack,
  database: { kind: 'sqlite' } | { kind: 'postgres'; url: string },
  replicas: number,
): Promise<RunResult> {
  const dir = tempDir('briefbot-bench-replicas-');
  const dbSetting = database.kind === 'sqlite' ? join(dir, 'b.db') : database.url;
  const fire = new Date(Math.ceil((Date.now() + 3_000) / 1000) * 1000);
  writeFileSync(
    join(dir, 'briefbot.config.yaml'),
    `topics:\n  - id: harbor\n    sources: [${JSON.stringify(FIXTURES)}]\n    window: all\n` +
      `    schedule: { cron: '${fire.getUTCSeconds()} ${fire.getUTCMinutes()} ${fire.getUTCHours()} * * *', timezone: UTC }\n    summarizer: { kind: extractive }\n`,
  );
  const env = {
    BRIEFBOT_DB: dbSetting,
    LOG_LEVEL: 'debug',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_APP_TOKEN: 'xapp-bench',
    SLACK_API_URL: slack.apiUrl,
  };
  const migrate = spawnSync(process.execPath, briefbotArgs('migrate'), {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(migrate.stderr);
  const store: Store = database.kind === 'sqlite' ? openSqliteStore(dbSetting) : await openPostgresStore(dbSetting);
  const channels = Array.from({ length: CHANNELS }, (_, i) => `slack:CB${i}`);
  for (const c of channels) await store.chat.follow(c, 'harbor', new Date().toISOString());
  // One aggregate query per poll, straight to the database (not through the port's row-by-row reads).
  const sql = `SELECT sum(CASE WHEN brief_id IS NOT NULL THEN 1 ELSE 0 END) AS attached, sum(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent FROM chat_outbox`;
  const sqlite = database.kind === 'sqlite' ? new Database(dbSetting, { readonly: true }) : undefined;
  const client = database.kind === 'postgres' ? new pg.Client({ connectionString: dbSetting }) : undefined;
  await client?.connect();
  const count = async (what: 'attached' | 'sent'): Promise<number> => {
    const row = (sqlite ? sqlite.prepare(sql).get() : (await client!.query(sql)).rows[0]) as Record<string, unknown> | undefined;
    return Number(row?.[what] ?? 0);
  };
  slack.holdPosts();
  const processes = Array.from({ length: replicas }, (_, i) => new ReplicaProcess(`b${i + 1}`, env, dir));
  try {
    await Promise.all(processes.map((p) => p.start()));
    await until(async () => (await count('attached')) === CHANNELS, 60_000, "the run's brief");
    const started = performance.now();
    slack.releasePosts();
    await until(async () => (await count('sent')) === CHANNELS, 300_000, 'every delivery sent');
    const ms = performance.now() - started;
    const claims = processes.flatMap((p) =>
      p.logs
        .split('\n')
        .filter((l) => l.includes('"msg":"deliveries claimed"'))
        .map((l) => (JSON.parse(l) as { ms: number }).ms),
    );
    return {
      perSecond: CHANNELS / (ms / 1000),
      claimP50: median(claims),
      claimP95: percentile(claims, 95),
      shares: processes.map((p) => p.count('brief delivered') / CHANNELS),
    };
  } finally {
    slack.releasePosts();
    await Promise.all(processes.map((p) => p.terminate()));
    await store.close();
    sqlite?.close();
    await client?.end();
  }
}

const unavailable = postgresUnavailable();
console.log(
  `## Replicas: ${CHANNELS} deliveries (load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, ${cpus().length} cores)\n`,
);
const slack = await new FakeSlack().start();
const server = unavailable === undefined ? await startPostgres() : undefined;
if (!server) console.log(`_${unavailable}_\n`);

async function database(kind: 'sqlite' | 'postgres', name: string): Promise<{ kind: 'sqlite' } | { kind: 'postgres'; url: string }> {
  if (kind === 'sqlite' || !server) return { kind: 'sqlite' };
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return { kind: 'postgres', url: server.adminUrl.replace(/\/postgres$/, `/${name}`) };
}

/** One table row per setup, for posts taking `postMs`. */
async function rowsFor(postMs: number): Promise<string[]> {
  slack.postDelayMs = postMs;
  const setups: { label: string; kind: 'sqlite' | 'postgres'; replicas: number }[] = [
    { label: 'SQLite, 1 process', kind: 'sqlite', replicas: 1 },
    ...(server
      ? [
          { label: 'PostgreSQL, 1 replica', kind: 'postgres' as const, replicas: 1 },
          { label: 'PostgreSQL, 3 replicas', kind: 'postgres' as const, replicas: 3 },
        ]
      : []),
  ];
  const rows: string[] = [];
  for (const setup of setups) {
    const results: RunResult[] = [];
    for (let i = 0; i < RUNS; i += 1)
      results.push(await run(slack, await database(setup.kind, `bench_${postMs}_${setup.replicas}_${i}`), setup.replicas));
    const shares = results.map((r) => r.shares.map((s) => `${Math.round(s * 100)}%`).join(' / ')).join('; ');
    const med = (f: (r: RunResult) => number): number => median(results.map(f));
    rows.push(
      `| ${postMs} ms | ${setup.label} | ${med((r) => r.perSecond).toFixed(0)} | ${med((r) => r.claimP50).toFixed(1)} | ${med((r) => r.claimP95).toFixed(1)} | ${shares} |`,
    );
  }
  return rows;
}

try {
  const rows: string[] = [];
  for (const postMs of POST_MS) rows.push(...(await rowsFor(postMs)));
  console.log('| post takes | setup | deliveries/s (median) | claim ms p50 | claim ms p95 | share per replica (each run) |');
  console.log('| ---: | --- | ---: | ---: | ---: | --- |');
  for (const row of rows) console.log(row);
  console.log(
    `\n_load after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}_`,
  );
} finally {
  await slack.close();
  server?.stop();
}
