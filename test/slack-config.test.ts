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
