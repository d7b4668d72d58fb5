/**
 * A network failure at start is not a bad credential. `serve` as its own process: Slack or
 * Discord unreachable → retried with backoff, then exit 1 with a line naming the network and
 * the address (not "refused the token", which would have an operator rotate a good token);
 * Slack back before the retries run out → serving; a token Slack refuses → exit 2 naming
 * SLACK_BOT_TOKEN, at once.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { FakeSlack, waitFor } from './fakes/slack.ts';
import { tempDir } from './helpers/cli.ts';
import { ensureBuilt, runBriefbot, spawnBriefbot } from './helpers/process.ts';
import { freePort as closedPort } from './helpers/ports.ts';

function project(): string {
  const cwd = tempDir('briefbot-connect-');
  mkdirSync(join(cwd, 'news'));
  writeFileSync(
    join(cwd, 'news', 'a.txt'),
    'Harbour bridge reopens\n\nThe harbour bridge reopened on Monday after 14 months of repairs costing 120 million euros, the city said.\n',
  );
  writeFileSync(join(cwd, 'briefbot.config.yaml'), 'topics:\n  - id: harbour\n    sources: [news]\n');
  return cwd;
}

describe('serve when the platform cannot be reached', () => {
  before(ensureBuilt);

  test('Slack and Discord unreachable: retried, then exit 1 naming the network, not the token', { timeout: 120_000 }, async () => {
    const [slackPort, discordPort, httpPort, httpPort2] = await Promise.all([closedPort(), closedPort(), closedPort(), closedPort()]);
    const cwd = project();
    const runs = await Promise.all([
      runBriefbot(['serve'], {
        cwd,
        env: {
          PORT: String(httpPort),
          SLACK_BOT_TOKEN: 'xoxb-good-token',
          SLACK_SIGNING_SECRET: 's',
          SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
          BRIEFBOT_DB: join(cwd, 'a.db'),
        },
        timeoutMs: 90_000,
      }),
      runBriefbot(['serve'], {
        cwd,
        env: {
          PORT: String(httpPort2),
          DISCORD_TOKEN: 'MTIz.abc.def',
          DISCORD_API_URL: `http://127.0.0.1:${discordPort}/api`,
          BRIEFBOT_DB: join(cwd, 'b.db'),
        },
        timeoutMs: 90_000,
      }),
    ]);
    for (const [run, platform, port] of [
      [runs[0]!, 'Slack', slackPort],
      [runs[1]!, 'Discord', discordPort],
    ] as const) {
      assert.equal(run.code, 1, `${platform}: ${run.stderr}`);
      const last = run.stderr.trim().split('\n').at(-1)!;
      assert.match(
        last,
        new RegExp(
          `^briefbot: cannot reach ${platform} at http://127\\.0\\.0\\.1:${port}/api/? after 4 attempts \\(.*ECONNREFUSED.*\\): check the network`,
        ),
      );
      assert.doesNotMatch(run.stderr, /refused the token|invalid token/);
      assert.match(run.stderr, /retrying/, `${platform}: retried with backoff`);
    }
  });

  test('Slack back during the retries: serve connects and runs', { timeout: 60_000 }, async () => {
    const [slackPort, httpPort] = await Promise.all([closedPort(), closedPort()]);
    const cwd = project();
    const serve = spawnBriefbot(['serve'], {
      cwd,
      env: {
        PORT: String(httpPort),
        SLACK_BOT_TOKEN: 'xoxb-good-token',
        SLACK_SIGNING_SECRET: 's',
        SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
        BRIEFBOT_DB: join(cwd, 'a.db'),
      },
    });
    let slack: FakeSlack | undefined;
    try {
      await waitFor(() => /retrying/.test(serve.output().stderr), 30_000, 'a retry');
      slack = await new FakeSlack().start(slackPort);
      await waitFor(() => /serve: listening/.test(serve.output().stderr), 30_000, `serving: ${serve.output().stderr}`);
      assert.ok(slack.callsOf('auth.test').length >= 1);
    } finally {
      serve.child.kill('SIGTERM');
      assert.equal(await serve.exited, 0, serve.output().stderr);
      await slack?.close();
    }
  });

  test('a token Slack refuses: exit 2 naming SLACK_BOT_TOKEN, no retries', { timeout: 60_000 }, async () => {
    const slack = await new FakeSlack().start();
    slack.failNext('auth.test', { kind: 'error', error: 'invalid_auth' });
    const cwd = project();
    try {
      const run = await runBriefbot(['serve'], {
        cwd,
        env: {
          PORT: String(await closedPort()),
          SLACK_BOT_TOKEN: 'xoxb-bad-token',
          SLACK_SIGNING_SECRET: 's',
          SLACK_API_URL: slack.apiUrl,
          BRIEFBOT_DB: join(cwd, 'a.db'),
        },
        timeoutMs: 30_000,
      });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /SLACK_BOT_TOKEN: Slack refused the token \(invalid_auth\)/);
      assert.doesNotMatch(run.stderr, /retrying/);
      assert.equal(slack.callsOf('auth.test').length, 1);
    } finally {
      await slack.close();
    }
  });
});
