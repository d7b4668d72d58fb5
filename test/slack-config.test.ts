/** `serve` refuses to start without a chat platform, naming the variables to set. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runServe, slackFromEnv } from '../src/cli/serve.ts';
import type { CliContext } from '../src/cli/context.ts';
import { readEnv } from '../src/config/load.ts';
import { ConfigError } from '../src/core/errors.ts';
import { silentLogger } from '../src/core/log.ts';

describe('serve configuration', () => {
  it('no chat tokens → ConfigError naming the variables', async () => {
    const ctx = { settings: { env: readEnv({}) }, logger: silentLogger } as unknown as CliContext;
    await assert.rejects(runServe(ctx), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /SLACK_BOT_TOKEN/);
      assert.match(error.message, /SLACK_SIGNING_SECRET/);
      assert.match(error.message, /SLACK_APP_TOKEN/);
      assert.match(error.message, /DISCORD_TOKEN/);
      return true;
    });
  });

  it('names the missing or malformed Slack variable', () => {
    assert.throws(() => slackFromEnv(readEnv({ SLACK_SIGNING_SECRET: 's' }), silentLogger), /SLACK_BOT_TOKEN is not set/);
    assert.throws(() => slackFromEnv(readEnv({ SLACK_BOT_TOKEN: 'xoxb-1' }), silentLogger), /SLACK_SIGNING_SECRET/);
    assert.throws(() => slackFromEnv(readEnv({ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_SIGNING_SECRET: 's' }), silentLogger), /bot token/);
    assert.throws(() => slackFromEnv(readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'nope' }), silentLogger), /SLACK_APP_TOKEN/);
    const http = slackFromEnv(readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }), silentLogger);
    assert.equal(http?.mode, 'http');
    const socket = slackFromEnv(readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }), silentLogger);
    assert.equal(socket?.mode, 'socket');
    assert.equal(slackFromEnv(readEnv({}), silentLogger), undefined);
  });
});

describe('runServe', () => {
  it('starts Slack in HTTP mode from the environment, serves /healthz, and stops cleanly when the signal aborts (SIGTERM)', async () => {
    const { FakeSlack, waitFor } = await import('./fakes/slack.ts');
    const { openSqliteStore } = await import('../src/store/sqlite/index.ts');
    const { createBriefService } = await import('../src/app/brief-service.ts');
    const { testTopics } = await import('./helpers/slack-serve.ts');
    const slack = await new FakeSlack().start();
    const store = openSqliteStore(':memory:');
    const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-env', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl, PORT: '0' });
    const controller = new AbortController();
    let stderr = '';
    const ctx = {
      settings: { env },
      store,
      service: createBriefService({ topics: testTopics({ harborChannels: [] }), env, store, logger: silentLogger }),
      logger: silentLogger,
      stdout: process.stdout,
      stderr: { write: (s: string) => ((stderr += s), true) },
      signal: controller.signal,
    } as unknown as CliContext;
    try {
      const exit = runServe(ctx);
      await waitFor(() => /listening on port \d+/.test(stderr), 10_000, 'listening');
      const port = /listening on port (\d+)/.exec(stderr)![1];
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
      assert.equal(slack.callsOf('auth.test')[0]?.authorization, 'Bearer xoxb-env');
      controller.abort();
      assert.equal(await exit, 0);
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
    } finally {
      await store.close();
      await slack.close();
    }
  });
});
