/** Socket Mode: the real Bolt socket client against the fake apps.connections.open and websocket. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBriefService } from '../src/app/brief-service.ts';
import { SlackAdapter } from '../src/chat/slack/adapter.ts';
import { readEnv } from '../src/config/load.ts';
import { silentLogger } from '../src/core/log.ts';
import { startServe } from '../src/cli/serve-host.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { FakeSlack, waitFor } from './fakes/slack.ts';
import { testTopics } from './helpers/slack-serve.ts';

describe('slack socket mode', () => {
  it('connects through apps.connections.open, acks a /brief envelope and posts the brief', async () => {
    const slack = await new FakeSlack().start();
    const store = openSqliteStore(':memory:');
    const service = createBriefService({ topics: testTopics(), env: readEnv({}), store, logger: silentLogger });
    const adapter = new SlackAdapter({
      botToken: 'xoxb-test',
      appToken: 'xapp-test',
      apiUrl: slack.apiUrl,
      logger: silentLogger,
      retries: 0,
    });
    const serve = await startServe({
      service,
      store,
      adapters: [adapter],
      logger: silentLogger,
      port: 0,
      host: '127.0.0.1',
      catchUpWindowMs: 0,
    });
    try {
      assert.equal(slack.callsOf('apps.connections.open').length, 1);
      assert.match(slack.callsOf('apps.connections.open')[0]!.authorization ?? '', /xapp-test/);
      const id = slack.sendEnvelope('slash_commands', {
        command: '/brief',
        text: 'harbor',
        channel_id: 'C0500',
        user_id: 'U1',
        team_id: 'T0001',
        api_app_id: 'A0001',
        response_url: slack.responseUrl('socket'),
        trigger_id: '1.2',
        token: 't',
        channel_name: 'n',
        user_name: 'u',
        team_domain: 'f',
      });
      await waitFor(() => slack.socketAcks.has(id), 5000, 'envelope ack');
      await waitFor(() => slack.messagesIn('C0500').length > 0, 15_000, 'brief post');
      assert.equal(slack.messagesIn('C0500')[0]!.blocks.length > 0, true);
    } finally {
      await serve.stop();
      await store.close();
      await slack.close();
    }
  });
});
