/**
 * `npm test`: starts one PostgreSQL server for the whole suite (see postgres.ts), runs
 * `node --test` with the given arguments and BRIEFBOT_TEST_PG_URL pointing at it, and stops
 * the server at the end — whatever the outcome. Without server binaries it says so in one
 * line and runs the suite anyway (the PostgreSQL tests then skip).
 */
import { spawn } from 'node:child_process';
import { postgresUnavailable, startPostgres, type PgServer } from './postgres.ts';

const unavailable = postgresUnavailable();
let server: PgServer | undefined;
if (unavailable === undefined && !process.env['BRIEFBOT_TEST_PG_URL']) {
  server = await startPostgres();
  console.log(`# PostgreSQL test server on 127.0.0.1:${server.port}`);
} else if (unavailable !== undefined) {
  console.log(`# ${unavailable}`);
}
const stop = (): void => server?.stop();
process.once('exit', stop);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const child = spawn(process.execPath, ['--import', 'tsx', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ...(server && { BRIEFBOT_TEST_PG_URL: server.adminUrl }) },
});
const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
stop();
process.exit(code);
