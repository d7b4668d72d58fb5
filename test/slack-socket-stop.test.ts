/**
 * Socket Mode: a SIGTERM'd `serve` exits promptly. After stop() the process used to stay alive
 * ~30 s with two sockets open: the socket client waits that long for the peer to answer its
 * close frame. The built process against the fake Socket Mode server; the test waits for the
 * exit event under a deadline well below the old 30 s, not for a time.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FakeSlack, waitFor } from './fakes/slack.ts';
import { tempDir } from './helpers/cli.ts';
import { ensureBuilt, spawnBriefbot } from './helpers/process.ts';
import { freePort } from './helpers/ports.ts';

/** Far above a clean exit (well under a second), far below the ~30 s the sockets kept it. */
const EXIT_DEADLINE_MS = 15_000;
let slack: FakeSlack;

before(async () => {
  await ensureBuilt();
  slack = await new FakeSlack().start();
});
after(() => slack.close());

test('serve in Socket Mode exits promptly on SIGTERM, even when Slack does not answer the close', { timeout: 90_000 }, async () => {
  const cwd = tempDir('briefbot-socket-stop-');
  mkdirSync(join(cwd, 'news'));
  writeFileSync(
    join(cwd, 'news', 'a.txt'),
    'Harbour bridge reopens\n\nThe harbour bridge reopened on Monday after 14 months of repairs costing 120 million euros, the city said.\n',
  );
  writeFileSync(join(cwd, 'briefbot.config.yaml'), 'topics:\n  - id: harbour\n    sources: [news]\n');
  const port = await freePort();
  const serve = spawnBriefbot(['serve'], {
    cwd,
    env: {
      PORT: String(port),
      SLACK_BOT_TOKEN: 'xoxb-socket-test',
      SLACK_APP_TOKEN: 'xapp-socket-test',
      SLACK_API_URL: slack.apiUrl,
      BRIEFBOT_DB: join(cwd, 'b.db'),
    },
  });
  await waitFor(() => /serve: listening/.test(serve.output().stderr), 30_000, `serve ready: ${serve.output().stderr}`);
  assert.equal(slack.sockets.length, 1, 'connected over Socket Mode');
  // The link goes quiet (the client's close frame is never answered), then is cut while the
  // bot shuts down: the socket client then waited 30 s for a close handshake that never came.
  slack.freezeSockets();
  serve.child.kill('SIGTERM');
  await waitFor(() => /shutting down/.test(serve.output().stderr), 10_000, 'shutdown begins');
  slack.dropSockets();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), EXIT_DEADLINE_MS)));
  const outcome = await Promise.race([serve.exited, deadline]);
  clearTimeout(timer);
  if (outcome === 'still running') serve.child.kill('SIGKILL');
  assert.equal(outcome, 0, `exit after SIGTERM: ${serve.output().stderr.slice(-800)}`);
});
