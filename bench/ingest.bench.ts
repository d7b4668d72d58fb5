/**
 * `briefbot brief big --source ./folder --offline` over 1,000 / 4,000 / 10,000 text files,
 * against a read+tokenize floor over the same files measured in the same run:
 *  - from an empty database (read, parse, dedupe, store, cluster, summarize, render) — target ≤ 10×;
 *  - again with nothing new (files skipped by size+mtime, the stored brief reused) — target ≤ 3×;
 *  - step by step, to show that no step grows faster than its input.
 * Every run is a fresh process on the compiled code (dist/, built first), so peak RSS is the
 * run's own. Medians of 3; wall time and CPU time both (CPU time is steadier on a busy
 * machine); the machine's load average beside each size.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpusFiles } from './ingest/files.ts';
import { median } from './measure.ts';

const SIZES = (process.env['BENCH_SIZES'] ?? '1000,4000,10000').split(',').map(Number);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
const child = fileURLToPath(new URL('./ingest/child.mjs', import.meta.url));

type Figures = Record<string, number>;

function run(mode: 'floor' | 'brief' | 'steps', dir: string, db?: string): Figures {
  const result = spawnSync(process.execPath, [child, mode, dir, ...(db ? [db] : [])], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`ingest child ${mode} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Figures;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const med = (runs: Figures[], key: string): number => median(runs.map((r) => r[key]!));

execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
const work = mkdtempSync(join(tmpdir(), 'briefbot-ingest-'));
const rows: string[] = [];
const steps = new Map<number, Figures[]>();
try {
  for (const n of SIZES) {
    const dir = join(work, `files-${n}`);
    writeCorpusFiles(n, dir);
    const loadBefore = load();
    const floor: Figures[] = [];
    const first: Figures[] = [];
    const second: Figures[] = [];
    for (let r = 0; r < RUNS; r += 1) {
      const db = join(work, `brief-${n}-${r}.db`);
      floor.push(run('floor', dir));
      first.push(run('brief', dir, db));
      second.push(run('brief', dir, db));
    }
    const stepRuns: Figures[] = [];
    for (let r = 0; r < RUNS; r += 1) stepRuns.push(run('steps', dir, join(work, `steps-${n}-${r}.db`)));
    steps.set(n, stepRuns);
    const f = med(floor, 'ms');
    const fc = med(floor, 'cpuMs');
    const ratio = (runs: Figures[], key: string, base: number): string => `${(med(runs, key) / base).toFixed(1)}×`;
    rows.push(
      `| ${n.toLocaleString('en')} | ${f.toFixed(0)} ms (${fc.toFixed(0)} CPU) | ${med(first, 'ms').toFixed(0)} ms | **${ratio(first, 'ms', f)}** (CPU ${ratio(first, 'cpuMs', fc)}) | ${med(second, 'ms').toFixed(0)} ms | **${ratio(second, 'ms', f)}** (CPU ${ratio(second, 'cpuMs', fc)}) | ${med(first, 'maxRssMb')} MB (max ${Math.max(...first.map((r) => r['maxRssMb']!))}) | ${loadBefore} → ${load()} |`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`## Ingest: \`brief big --source ./folder --offline\` against the read+tokenize floor

Floor: list the folder, read each file, decode, tokenize (the project's tokenizer) — the least any brief of these files must do. Each figure is the median of ${RUNS} fresh processes on dist/; ratios are to the floor measured in the same run. Targets: empty database ≤ 10×, nothing new ≤ 3×, peak RSS ≤ 300 MB at 10,000.

| files | floor (wall, CPU) | brief, empty database | ratio (wall; CPU) | brief, nothing new | ratio (wall; CPU) | peak RSS, empty database (median; max of runs) | load avg 1/5/15 before → after (${cpus().length} CPUs) |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

### Step by step (CPU ms, median of ${RUNS}): cost per 1,000 files should stay flat as the input grows

| step | ${SIZES.map((n) => `${n.toLocaleString('en')} files`).join(' | ')} | per 1,000 files at ${SIZES.map((n) => n / 1000 + 'k').join(' / ')} |
|---|${SIZES.map(() => '---|').join('')}---|
${Object.keys(steps.get(SIZES[0]!)![0]!)
  .filter((k) => k.endsWith(' cpu'))
  .map((k) => {
    const values = SIZES.map((n) => med(steps.get(n)!, k));
    return `| ${k.replace(/ cpu$/, '')} | ${values.map((v) => v.toFixed(0)).join(' | ')} | ${values.map((v, i) => ((v / SIZES[i]!) * 1000).toFixed(0)).join(' / ')} |`;
  })
  .join('\n')}

### Peak RSS so far after each step (MB, median of ${RUNS})

| step | ${SIZES.map((n) => `${n.toLocaleString('en')} files`).join(' | ')} |
|---|${SIZES.map(() => '---|').join('')}
${Object.keys(steps.get(SIZES[0]!)![0]!)
  .filter((k) => k.endsWith(' rss'))
  .map((k) => `| ${k.replace(/ rss$/, '')} | ${SIZES.map((n) => med(steps.get(n)!, k).toFixed(0)).join(' | ')} |`)
  .join('\n')}
`);
