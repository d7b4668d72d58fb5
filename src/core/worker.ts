/**
 * Starting a worker thread on a module that sits beside the caller. Workers run compiled JS in
 * production (`dist/…/name.js`). When the caller is TypeScript source (tests, benches), the
 * worker loads `name.ts` through tsx's loader API: Node 20 does not pass a parent's
 * `--import tsx` hooks on to a worker's entry module.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** A worker on `./<name>.js` (or `.ts`) next to the module at `callerUrl` (its import.meta.url). */
export function startWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  // No inherited flags: a worker needs none, and some break it (`--input-type`, `-e`).
  const settings: WorkerOptions = { ...options, execArgv: [] };
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), settings);
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { ...settings, eval: true });
}
