// @ts-check
/**
 * One measured run of the ingest bench, in its own process (so its peak RSS is its own and
 * no JIT warmth carries over), on the compiled code as shipped (dist/, `npm run build`):
 * plain JavaScript, no TypeScript loader in the process. Prints one JSON line on stdout.
 *
 *   floor <dir>            list the folder, read every file, decode, tokenize
 *   brief <dir> <db>       `briefbot brief big --source <dir> --offline --format json` (the CLI, in-process)
 *   steps <dir> <db>       the same pipeline step by step, each step timed
 *   collect <db> <source>… `briefbot collect bench --source …` (--offline when every source is a path)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

const dist = new URL('../../dist/', import.meta.url);
/** @param {string} path */
const load = (path) => import(new URL(`${path}.js`, dist).href);
const { main } = await load('cli/main');
const { clusterArticles } = await load('brief/cluster/index');
const { buildBrief } = await load('brief/index');
const { ExtractiveSummarizer } = await load('brief/summarize/extractive');
const { ingestBatch } = await load('collect/ingest');
const { listLocalSource, parseLocalFile, readLocalFile } = await load('collect/local');
const { silentLogger } = await load('core/log');
const { renderBrief } = await load('render/index');
const { openSqliteStore } = await load('store/sqlite/index');
const { tokenize } = await load('text/tokenize');

const [mode, dir, db, ...more] = process.argv.slice(2);
if (!mode || !dir) throw new Error('usage: child.mjs floor|brief|steps <dir> [db]');
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
/** CPU time of this process (all its threads), ms: steadier than wall time on a busy machine. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function floor() {
  const started = performance.now();
  const cpu = cpuMs();
  let tokens = 0;
  for (const name of readdirSync(dir).sort()) tokens += tokenize(readFileSync(join(dir, name), 'utf8')).length;
  return { ms: performance.now() - started, cpuMs: cpuMs() - cpu, tokens };
}

async function brief() {
  let bytes = 0;
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      bytes += chunk.length;
      callback();
    },
  });
  const started = performance.now();
  const cpu = cpuMs();
  const code = await main(['brief', 'big', '--source', dir, '--offline', '--format', 'json'], {
    stdout: sink,
    stderr: sink,
    cwd: dir,
    env: { BRIEFBOT_DB: db, LOG_LEVEL: 'error' },
  });
  if (code !== 0) throw new Error(`briefbot brief exited ${code}`);
  return { ms: performance.now() - started, cpuMs: cpuMs() - cpu, outputBytes: bytes };
}

async function steps() {
  /** @type {Record<string, number>} */
  const times = {};
  /** @template T @param {string} name @param {() => Promise<T> | T} fn @returns {Promise<T>} */
  const time = async (name, fn) => {
    const started = performance.now();
    const cpu = cpuMs();
    const result = await fn();
    times[name] = performance.now() - started;
    times[`${name} cpu`] = cpuMs() - cpu;
    // The process's RSS high-water mark after this step: which step sets the peak.
    times[`${name} rss`] = maxRssMb();
    return result;
  };
  const store = openSqliteStore(db);
  const listing = await time('list files', () => listLocalSource(pathToFileURL(dir).href));
  const drafts = await time('read + parse', () =>
    listing.files.flatMap((/** @type {any} */ f) =>
      parseLocalFile(f.path, readLocalFile(f)).flatMap((/** @type {any} */ d) =>
        d.kind === 'article' ? [{ ...d.article, sourceId: 'bench' }] : [],
      ),
    ),
  );
  await time('dedupe + store', async () => {
    const items = drafts.map((/** @type {any} */ draft) => ({ draft, topicIds: ['big'] }));
    for (let i = 0; i < items.length; i += 500) await ingestBatch(items.slice(i, i + 500), store, new Date());
  });
  const articles = await time('list from store', () => store.articles.list({ topicId: 'big' }));
  await time('cluster', () =>
    clusterArticles(
      articles.map((/** @type {any} */ a) => ({
        id: a.id,
        title: a.title,
        text: a.text,
        ...(a.publishedAt !== undefined && { publishedAt: a.publishedAt }),
        ...(a.publisher !== undefined && { publisher: a.publisher }),
      })),
    ),
  );
  const built = await time('brief (cluster + summarize + verify)', () =>
    buildBrief({
      topic: { id: 'big', summarizer: { kind: 'extractive', maxStories: 8 } },
      articles,
      window: { since: new Date(0), until: new Date() },
      summarizer: new ExtractiveSummarizer(),
      logger: silentLogger,
      now: new Date(),
    }),
  );
  await time('render (text)', () => renderBrief(built.brief, 'text'));
  await store.close();
  return { ...times, files: listing.files.length, articles: articles.length };
}

async function collect() {
  // Here `dir` is the database and `db` the first source.
  const sources = [db, ...more];
  const offline = sources.every((s) => !/^https?:/.test(s));
  let output = '';
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      output += chunk.toString();
      callback();
    },
  });
  const profile = await startProfile(process.env['BENCH_PROFILE_FILE']);
  const started = performance.now();
  const cpu = cpuMs();
  const code = await main(['collect', 'bench', ...sources.flatMap((s) => ['--source', s]), ...(offline ? ['--offline'] : [])], {
    stdout: sink,
    stderr: sink,
    cwd: process.cwd(),
    env: { BRIEFBOT_DB: dir, BRIEFBOT_ALLOW_HOSTS: '127.0.0.1', LOG_LEVEL: 'error' },
  });
  const ms = performance.now() - started;
  const cpuUsed = cpuMs() - cpu;
  await profile?.stop();
  if (code !== 0) throw new Error(`briefbot collect exited ${code}: ${output.slice(-500)}`);
  const total = /(\d+) new articles, (\d+) duplicates/.exec(output);
  return { ms, cpuMs: cpuUsed, stored: Number(total?.[1] ?? 0) + Number(total?.[2] ?? 0) };
}

/**
 * A CPU profile of this thread over the measured work only (not process start-up and module
 * loading), written to `file` when given.
 * @param {string | undefined} file
 */
async function startProfile(file) {
  if (!file) return undefined;
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  /** @param {string} method @param {object} [params] @returns {Promise<any>} */
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = await post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const result = mode === 'floor' ? floor() : mode === 'brief' ? await brief() : mode === 'collect' ? await collect() : await steps();
process.stdout.write(`${JSON.stringify({ ...result, maxRssMb: maxRssMb() })}\n`);
