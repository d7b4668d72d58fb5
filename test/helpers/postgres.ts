/**
 * A real PostgreSQL server for the tests: the machine's `initdb`/`pg_ctl` (on the PATH or in
 * /usr/lib/postgresql/<version>/bin), in a temp dir, on an ephemeral port of 127.0.0.1, with
 * durability off (a test server). As root (CI), the server runs as the `postgres` user, since
 * initdb refuses root. `npm test` starts one server for every test file (see
 * with-postgres.ts, which sets BRIEFBOT_TEST_PG_URL); a file run on its own starts its own.
 * Each test gets a fresh database. Where no server binary exists, tests skip with one line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freePort } from './ports.ts';

export interface PgServer {
  /** URL of the `postgres` database (for CREATE DATABASE). */
  readonly adminUrl: string;
  readonly port: number;
  stop(): void;
}

function findBinDir(): string | undefined {
  const onPath = (process.env['PATH'] ?? '')
    .split(delimiter)
    .find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  if (process.env['BRIEFBOT_TEST_PG_URL']) return undefined;
  if (!findBinDir()) return 'no PostgreSQL server binaries (initdb, pg_ctl) found: PostgreSQL tests skipped (apt-get install postgresql)';
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) {
    return 'running as root without a "postgres" user to run initdb as: PostgreSQL tests skipped';
  }
  return undefined;
}

/** Starts a throwaway server (a few seconds); stop() removes it. */
export async function startPostgres(): Promise<PgServer> {
  const bin = findBinDir();
  if (!bin) throw new Error(postgresUnavailable());
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-pg-'));
  const run = (tool: string, args: string[]): void => {
    const command = asRoot ? 'runuser' : join(bin, tool);
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    execFileSync(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'briefbot', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
  ].join(' ');
  run('pg_ctl', ['-D', data, '-o', settings, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  let stopped = false;
  return {
    adminUrl: `postgres://briefbot@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

let own: Promise<PgServer> | undefined;

/** The admin URL of the suite's server, or of one started for this process (stopped at exit). */
async function adminUrl(): Promise<string> {
  const shared = process.env['BRIEFBOT_TEST_PG_URL'];
  if (shared) return shared;
  own ??= startPostgres().then((server) => {
    process.once('exit', () => server.stop());
    return server;
  });
  return (await own).adminUrl;
}

let counter = 0;

/** A fresh, empty database on the test server; returns its URL. */
export async function freshDatabase(prefix = 't'): Promise<string> {
  const admin = await adminUrl();
  counter += 1;
  const name = `${prefix}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}
