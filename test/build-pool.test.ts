/**
 * The build pool: real worker threads running real builds (loaded through tsx here, from
 * dist/ in production), the same brief as an in-process build, a budget that stops a build,
 * a worker that dies failing its job alone, and the LLM cache reached from the worker.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { inProcessBuilder, type BuildJob } from '../src/app/build.ts';
import { BuildPool } from '../src/app/build-pool.ts';
import { BuildBudgetError } from '../src/core/errors.ts';
import { silentLogger } from '../src/core/log.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { startFakeOpenAi, userPrompt, type FakeOpenAi } from './fakes/openai.ts';
import { inventedArticles } from './helpers/articles.ts';
import { repoRoot } from './helpers/cli.ts';
import { ensureBuilt } from './helpers/process.ts';

const NOW = new Date('2026-11-23T09:00:00Z');

function job(articles: number, summarizer: BuildJob['summarizer'] = { kind: 'extractive' }): BuildJob {
  return {
    topic: { id: 'towns', summarizer: { kind: summarizer.kind, maxStories: 8 } },
    articles: inventedArticles(articles),
    window: { since: new Date(0), until: NOW },
    now: NOW,
    failingSources: [],
    summarizer,
  };
}

let fake: FakeOpenAi;
before(async () => {
  // Echoes the first sentence of each fenced article as a claim citing it.
  fake = await startFakeOpenAi({
    respond: (request) => {
      const claims = [...userPrompt(request).matchAll(/<article id="([^"]+)"[^>]*>\n([^\n.]*\.)/g)]
        .slice(0, 3)
        .map((m) => ({ text: m[2]!, articleIds: [m[1]!] }));
      return { headline: 'Council decisions', summary: 'Councils decided.', claims, figures: [], disagreements: [] };
    },
  });
});
after(() => fake.close());

test('a worker builds the same brief as this thread does', async () => {
  const store = openSqliteStore(':memory:');
  const pool = new BuildPool({ size: 1, budgetMs: 120_000, cache: store.cache, logger: silentLogger });
  try {
    const input = job(120);
    const inWorker = await pool.run(input);
    const here = await inProcessBuilder(store.cache, silentLogger)(input);
    assert.ok(inWorker.brief.stories.length > 0);
    assert.deepEqual(inWorker, here);
  } finally {
    await pool.close();
    await store.close();
  }
});

test('while a worker builds, this thread keeps answering requests', async () => {
  const store = openSqliteStore(':memory:');
  const pool = new BuildPool({ size: 1, budgetMs: 120_000, cache: store.cache, logger: silentLogger });
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  try {
    let finished = false;
    const build = pool.run(job(4000)).then((built) => {
      finished = true;
      return built;
    });
    let answered = 0;
    for (let i = 0; i < 10; i += 1) if ((await fetch(url)).ok) answered += 1;
    assert.equal(finished, false, 'ten requests answered before the build finished');
    assert.equal(answered, 10);
    assert.ok((await build).brief.stories.length > 0);
  } finally {
    server.close();
    await pool.close();
    await store.close();
  }
});

test('a build past its budget is stopped with BuildBudgetError; the pool goes on', async () => {
  const store = openSqliteStore(':memory:');
  // 1 ms: no worker even starts that fast, so the budget always runs out first.
  const tight = new BuildPool({ size: 1, budgetMs: 1, cache: store.cache, logger: silentLogger });
  try {
    await assert.rejects(tight.run(job(50)), (error: unknown) => {
      assert.ok(error instanceof BuildBudgetError);
      assert.equal(error.topicId, 'towns');
      assert.match(error.message, /took longer than its 0 s budget and was stopped/);
      return true;
    });
    assert.equal(tight.stats().workers, 0, 'the stopped worker is gone');
    await assert.rejects(tight.run(job(50)), BuildBudgetError);
  } finally {
    await tight.close();
    await store.close();
  }
});

test('a worker that dies (heap cap) fails its build alone', async () => {
  const store = openSqliteStore(':memory:');
  const pool = new BuildPool({ size: 1, budgetMs: 120_000, cache: store.cache, logger: silentLogger, maxHeapMb: 4 });
  try {
    await assert.rejects(pool.run(job(3000)), /the brief build worker died/);
    assert.equal(pool.stats().workers, 0);
  } finally {
    await pool.close();
    await store.close();
  }
  const reopened = openSqliteStore(':memory:');
  const healthy = new BuildPool({ size: 1, budgetMs: 120_000, cache: reopened.cache, logger: silentLogger });
  try {
    assert.ok((await healthy.run(job(30))).brief.stories.length > 0);
  } finally {
    await healthy.close();
    await reopened.close();
  }
});

test('the LLM summarizer runs in the worker; its cache is the store this thread owns', async () => {
  const store = openSqliteStore(':memory:');
  const pool = new BuildPool({ size: 1, budgetMs: 120_000, cache: store.cache, logger: silentLogger });
  const llm: BuildJob['summarizer'] = { kind: 'llm', apiKey: 'sk-test', baseURL: fake.baseURL, model: 'fake-model' };
  try {
    fake.requests.length = 0;
    const first = await pool.run(job(20, llm));
    assert.equal(first.brief.summarizer, 'llm:fake-model');
    assert.ok(fake.requests.length > 0, 'the worker called the model');
    assert.ok(first.brief.stories.some((s) => s.claims.length > 0));
    const calls = fake.requests.length;
    const second = await pool.run(job(20, llm));
    assert.equal(fake.requests.length, calls, 'the second build is answered from the cache the first one filled');
    assert.deepEqual(second.brief.stories, first.brief.stories);
  } finally {
    await pool.close();
    await store.close();
  }
});

test('compiled (dist/): the pool starts build-worker.js with no TypeScript loader', { timeout: 180_000 }, async () => {
  // Built under the suite's lock: a build of its own would rewrite dist/ under other test files'
  // processes (one crashed on a half-written module in CI).
  await ensureBuilt();
  // A plain node process (no --import tsx): what `npm start` and the Docker image run.
  const script = `
    const { BuildPool } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'dist', 'app', 'build-pool.js')).href)});
    const cache = { get: async () => undefined, set: async () => {} };
    const logger = { level: 'silent', info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {} };
    const pool = new BuildPool({ size: 1, budgetMs: 120000, cache, logger });
    const articles = JSON.parse(process.argv[1]);
    const built = await pool.run({ topic: { id: 'towns', summarizer: { kind: 'extractive', maxStories: 8 } }, articles,
      window: { since: new Date(0), until: new Date() }, now: new Date(), failingSources: [], summarizer: { kind: 'extractive' } });
    await pool.close();
    console.log(JSON.stringify({ stories: built.brief.stories.length, execArgv: process.execArgv }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(inventedArticles(60))], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim()) as { stories: number; execArgv: string[] };
  assert.ok(result.stories > 0);
  assert.ok(!result.execArgv.some((a) => a.includes('tsx')), 'no TypeScript loader in the process');
});
