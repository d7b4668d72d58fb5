/** `briefbot serve` with DISCORD_* variables: bad or refused tokens exit 2 naming DISCORD_TOKEN. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeDiscord } from './fakes/discord.ts';
import { runCli, tempDir } from './helpers/cli.ts';

test('serve exits 2 naming DISCORD_TOKEN when the token is malformed', async () => {
  const run = await runCli(['serve'], { cwd: tempDir(), env: { DISCORD_TOKEN: 'not-a-token', PORT: '0' } });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /DISCORD_TOKEN/);
  assert.doesNotMatch(run.stderr, /not-a-token/, 'the token itself is not printed');
});

test('serve exits 2 naming DISCORD_TOKEN when Discord refuses the token', async () => {
  const fake = await new FakeDiscord({ token: 'MTAw.real.token' }).start();
  try {
    const run = await runCli(['serve'], {
      cwd: tempDir(),
      env: { DISCORD_TOKEN: 'MTAw.revoked.token', DISCORD_API_URL: fake.apiUrl, PORT: '0', BRIEFBOT_DB: ':memory:' },
    });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /DISCORD_TOKEN/);
    assert.doesNotMatch(run.stderr, /revoked/, 'the token itself is not printed');
    assert.ok(
      fake.calls.some((c) => c.path === '/users/@me'),
      'the token was checked against the fake, not discord.com',
    );
  } finally {
    await fake.close();
  }
});
