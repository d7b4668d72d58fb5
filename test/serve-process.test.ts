/**
 * The Dockerfile's steps, run here since no Docker engine runs on this machine: the built
 * `node bin/briefbot.js serve` as its own process (env and .env only), against the fake
 * Slack on 127.0.0.1 — health endpoints, a signed /brief posted to the channel, and a
 * graceful exit on SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FakeSlack, sendSigned, slashCommandBody, waitFor } from './fakes/slack.ts';
import { repoRoot, tempDir } from './helpers/cli.ts';
import { ensureBuilt } from './helpers/process.ts';
import { freePort } from './helpers/ports.ts';

const SECRET = 'serve-process-secret';
let slack: FakeSlack;

before(async () => {
  await ensureBuilt();
  slack = await new FakeSlack().start();
});
after(async () => {
  await slack.close();
});

test('built serve process: healthz, /brief posted, SIGTERM exits 0', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'news'));
  writeFileSync(
    join(dir, 'news', 'a.txt'),
    'Harbour bridge reopens after repairs\n\nThe harbour bridge reopened on Monday after 14 months of repairs costing €120 million, the city said. ' +
      'Engineers replaced 40% of the deck, according to the transport office.\n',
  );
  writeFileSync(join(dir, 'briefbot.config.yaml'), 'topics:\n  - id: harbour\n    sources: [news]\n    window: all\n');
  // Secrets come from .env, as an operator would set them.
  writeFileSync(join(dir, '.env'), `SLACK_BOT_TOKEN=xoxb-process-test-token\nSLACK_SIGNING_SECRET=${SECRET}\n`);
  const port = await freePort();
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'briefbot.js'), 'serve'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', PORT: String(port), SLACK_API_URL: slack.apiUrl, BRIEFBOT_DB: join(dir, 'b.db') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout.on('data', (c: Buffer) => (logs += c.toString()));
  child.stderr.on('data', (c: Buffer) => (logs += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const base = `http://127.0.0.1:${port}`;
    let ready = false;
    for (let i = 0; i < 200 && !ready; i += 1) {
      ready = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(ready, `readyz never answered 200:\n${logs}`);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);

    const res = await sendSigned(`${base}/slack/events`, SECRET, slashCommandBody({ text: 'harbour', responseUrl: slack.responseUrl() }), {
      contentType: 'application/x-www-form-urlencoded',
    });
    assert.equal(res.status, 200);
    await waitFor(() => slack.messages.some((m) => JSON.stringify(m).includes('Harbour bridge')), 20_000, 'brief posted');
    assert.ok(!logs.includes('xoxb-process-test-token'), 'the token never reaches the logs');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, logs);
});
