/**
 * A schedule that can never run is a config error for every command, found when the config
 * is loaded: exit 2 with one line naming topics[i].schedule.cron (or .timezone). `serve` used
 * to print the error and keep running with /healthz at 200; the built process shows it ends.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runCli, tempDir } from './helpers/cli.ts';
import { ensureBuilt, runBriefbot } from './helpers/process.ts';

const BAD: readonly { schedule: string; key: RegExp }[] = [
  { schedule: "{ cron: 'not a cron' }", key: /topics\[1\]\.schedule\.cron: "not a cron" is not a valid cron expression/ },
  {
    schedule: "{ cron: '0 9 * * *', timezone: Mars/Olympus }",
    key: /topics\[1\]\.schedule\.timezone: "Mars\/Olympus" is not an IANA time zone/,
  },
  { schedule: "{ cron: '0 9 31 2 *' }", key: /topics\[1\]\.schedule\.cron: "0 9 31 2 \*" (never runs|is not a valid)/ },
  { schedule: "{ cron: '0 9 30 2 *' }", key: /topics\[1\]\.schedule\.cron: "0 9 30 2 \*" (never runs|is not a valid)/ },
  { schedule: "{ cron: '0 9 31 4,6 *' }", key: /topics\[1\]\.schedule\.cron: "0 9 31 4,6 \*" (never runs|is not a valid)/ },
  { schedule: "{ cron: '0 9 * * *', timezone: '' }", key: /topics\[1\]\.schedule\.timezone/ },
];

function project(schedule: string): string {
  const dir = tempDir('briefbot-schedule-');
  mkdirSync(join(dir, 'news'));
  writeFileSync(
    join(dir, 'news', 'a.txt'),
    'Harbour bridge reopens\n\nThe harbour bridge reopened on Monday after 14 months of repairs, the city said.\n',
  );
  writeFileSync(
    join(dir, 'briefbot.config.yaml'),
    `topics:\n  - id: ok\n    sources: [news]\n  - id: harbour\n    sources: [news]\n    schedule: ${schedule}\n`,
  );
  return dir;
}

describe('an impossible schedule is refused at config load', () => {
  for (const { schedule, key } of BAD) {
    test(`${schedule}: brief, collect, topics and ask exit 2 naming the key`, async () => {
      const cwd = project(schedule);
      const env = { BRIEFBOT_DB: join(cwd, 'b.db') };
      for (const argv of [['brief', 'ok', '--offline'], ['collect', '--offline'], ['topics'], ['ask', 'ok', 'what?']]) {
        const run = await runCli(argv, { cwd, env });
        assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, key, argv.join(' '));
        assert.equal(run.stderr.trim().split('\n').length, 1, 'one line');
        assert.equal(run.stdout, '');
      }
    });
  }

  test('valid schedules still load: weekdays, a 29 February, a six-field cron, a named zone', async () => {
    for (const schedule of ["{ cron: '0 9 * * 1-5', timezone: Asia/Shanghai }", "{ cron: '0 9 29 2 *' }", "{ cron: '30 0 9 * * *' }"]) {
      const cwd = project(schedule);
      const run = await runCli(['topics'], { cwd, env: { BRIEFBOT_DB: join(cwd, 'b.db') } });
      assert.equal(run.code, 0, `${schedule}: ${run.stderr}`);
      assert.match(run.stdout, /schedule: .*; next run: /);
    }
  });
});

describe('serve, as its own process', () => {
  before(ensureBuilt);

  test('exits 2 with one line at start instead of running with a broken schedule', { timeout: 60_000 }, async () => {
    const cwd = project("{ cron: 'not a cron' }");
    const run = await runBriefbot(['serve'], {
      cwd,
      env: {
        BRIEFBOT_DB: join(cwd, 'b.db'),
        PORT: '0',
        SLACK_BOT_TOKEN: 'xoxb-unused',
        SLACK_SIGNING_SECRET: 'unused',
        SLACK_API_URL: 'http://127.0.0.1:9/api/',
      },
      timeoutMs: 30_000,
    });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /topics\[1\]\.schedule\.cron/);
  });
});
