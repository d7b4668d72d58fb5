/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so peak memory is
 * each benchmark's own) and prints their Markdown sections one after another.
 * `npm run bench -- cluster brief` runs only the benchmarks whose names contain those words.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

console.log(`# Briefbot benchmarks\n\nNode ${process.version}, ${new Date().toISOString()}\n`);
let failed = 0;
for (const file of files) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, file)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 10 * 60_000,
  });
  if (result.status !== 0) {
    failed += 1;
    console.log(`\n**${file} failed** (exit ${result.status ?? result.signal})\n`);
  }
  console.log(`\n_${file}: ${((Date.now() - started) / 1000).toFixed(1)} s_\n`);
}
process.exitCode = failed > 0 ? 1 : 0;
