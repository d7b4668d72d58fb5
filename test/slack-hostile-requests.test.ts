/**
 * `serve` in Slack HTTP mode, as its own process, against validly signed requests that Bolt
 * alone cannot take: a JSON body of `null`, a form with `payload=null` (each used to exit the
 * process with an uncaught TypeError) and a timestamp ten minutes in the future (accepted).
 * The process answers 400/401 and keeps serving.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FakeSlack, sendSigned, slashCommandBody, waitFor } from './fakes/slack.ts';
import { tempDir } from './helpers/cli.ts';
import { ensureBuilt, spawnBriefbot } from './helpers/process.ts';
import { freePort } from './helpers/ports.ts';

const SECRET = 'hostile-requests-secret';
const FORM = 'application/x-www-form-urlencoded';
let slack: FakeSlack;

before(async () => {
  await ensureBuilt();
  slack = await new FakeSlack().start();
});
after(() => slack.close());

test('signed null bodies are refused and the process keeps serving; future timestamps are refused', { timeout: 90_000 }, async () => {
  const cwd = tempDir('briefbot-hostile-slack-');
  mkdirSync(join(cwd, 'news'));
  writeFileSync(
    join(cwd, 'news', 'a.txt'),
    'Harbour bridge reopens\n\nThe harbour bridge reopened on Monday after 14 months of repairs costing 120 million euros, the city said.\n',
  );
  writeFileSync(join(cwd, 'briefbot.config.yaml'), 'topics:\n  - id: harbour\n    sources: [news]\n    window: all\n');
  const port = await freePort();
  const serve = spawnBriefbot(['serve'], {
    cwd,
    env: {
      PORT: String(port),
      SLACK_BOT_TOKEN: 'xoxb-hostile-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      BRIEFBOT_DB: join(cwd, 'b.db'),
    },
  });
  const base = `http://127.0.0.1:${port}`;
  const alive = () =>
    fetch(`${base}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
  try {
    let ready = false;
    for (let i = 0; i < 300 && !ready; i += 1) {
      ready = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(ready, `readyz: ${serve.output().stderr}`);
    const events = `${base}/slack/events`;

    for (const [body, contentType] of [
      ['null', 'application/json'],
      ['payload=null', FORM],
      ['payload=%5B%5D', FORM],
      ['[]', 'application/json'],
      ['{"type":', 'application/json'],
    ] as const) {
      const res = await sendSigned(events, SECRET, body, { contentType });
      assert.equal(res.status, 400, `${body}: ${res.status} ${res.text}`);
      assert.ok(await alive(), `still serving after ${body}: ${serve.output().stderr}`);
    }

    const challenge = JSON.stringify({ token: 't', challenge: 'c123', type: 'url_verification' });
    const future = await sendSigned(events, SECRET, challenge, { timestamp: Math.floor(Date.now() / 1000) + 600 });
    assert.equal(future.status, 401, 'a timestamp ten minutes ahead is refused');
    const now = await sendSigned(events, SECRET, challenge);
    assert.equal(now.status, 200, 'a fresh one is answered');

    const command = await sendSigned(
      events,
      SECRET,
      slashCommandBody({ text: 'harbour', channel: 'C0700', responseUrl: slack.responseUrl() }),
      { contentType: FORM },
    );
    assert.equal(command.status, 200);
    await waitFor(() => slack.messagesIn('C0700').length > 0, 20_000, 'brief posted');
  } finally {
    serve.child.kill('SIGTERM');
  }
  assert.equal(await serve.exited, 0, serve.output().stderr);
});
