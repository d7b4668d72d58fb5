import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileMatcher, loadSettings, parseConfigText, readEnv } from '../src/config/load.ts';
import { parseSince } from '../src/core/window.ts';
import { ConfigError, UsageError } from '../src/core/errors.ts';

const now = new Date('2026-11-23T09:00:00Z');

test('windows: relative, all, ISO; bad ones are usage errors', () => {
  assert.equal(parseSince('24h', now).toISOString(), '2026-11-22T09:00:00.000Z');
  assert.equal(parseSince('7d', now).toISOString(), '2026-11-16T09:00:00.000Z');
  assert.equal(parseSince('2w', now).toISOString(), '2026-11-09T09:00:00.000Z');
  assert.equal(parseSince('all', now).getTime(), 0);
  assert.equal(parseSince('2026-05-01', now).toISOString(), '2026-05-01T00:00:00.000Z');
  assert.throws(() => parseSince('yesterday', now), UsageError);
  assert.throws(() => parseSince('2027-01-01', now), /in the future/);
});

test('config errors name the file and the key at fault', () => {
  const bad = (yaml: string, key: RegExp) =>
    assert.throws(
      () => parseConfigText(yaml, 'briefbot.config.yaml'),
      (error: unknown) => error instanceof ConfigError && key.test(error.message),
    );
  bad('topics:\n  - id: China AI\n    sources: [x]\n', /topics\[0\]\.id/);
  bad('topics:\n  - id: a\n    sources: []\n', /topics\[0\]\.sources/);
  bad('topics:\n  - id: a\n    sources: [x]\n    windw: 24h\n', /topics\[0\].*unknown key.*windw/);
  bad('topics:\n  - id: a\n    sources: [x]\n    window: fortnight\n', /topics\[0\]\.window/);
  bad('topics:\n  - id: a\n    sources: [x]\n    channels: ["#general"]\n', /topics\[0\]\.channels\[0\]/);
  bad('topics: [\n', /not valid YAML/);
  bad('topics:\n  - id: a\n    sources: [x]\n  - id: a\n    sources: [y]\n', /duplicate topic id/);
});

test('loadSettings resolves sources against the config file and merges allowHosts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-config-'));
  writeFileSync(
    join(dir, 'briefbot.config.yaml'),
    'allowHosts: ["10.0.0.0/8"]\ntopics:\n  - id: t\n    sources: [articles, "https://example.com/feed.xml"]\n    include: [AI]\n',
  );
  const settings = loadSettings({ cwd: dir, env: { BRIEFBOT_ALLOW_HOSTS: '127.0.0.1, ::1' } });
  const topic = settings.topics[0]!;
  assert.equal(topic.sources[0]!.url, `file://${join(dir, 'articles')}`);
  assert.equal(topic.sources[1]!.url, 'https://example.com/feed.xml');
  assert.deepEqual(settings.allowHosts, ['127.0.0.1', '::1', '10.0.0.0/8']);
  assert.equal(topic.window, '24h');
  assert.equal(settings.databasePath, join(dir, 'data', 'briefbot.db'));
  assert.throws(() => loadSettings({ cwd: dir, env: {}, configPath: 'missing.yaml' }), /config file not found/);
});

test('env: bad values name the variable; secrets are parsed, not defaulted', () => {
  assert.throws(() => readEnv({ PORT: 'eighty' }), /PORT/);
  assert.throws(() => readEnv({ OPENAI_BASE_URL: 'localhost:11434' }), /OPENAI_BASE_URL/);
  const env = readEnv({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' });
  assert.equal(env.openai?.model, 'gpt-4o-mini');
  assert.equal(readEnv({}).openai, undefined);
});

test('include/exclude matchers: whole words, case-insensitive; /regex/flags', () => {
  const ai = compileMatcher('AI', 'include[0]');
  assert.equal(ai.test('China and AI policy'), true);
  assert.equal(ai.test('the ai race'), true);
  assert.equal(ai.test('Britain said'), false);
  const regex = compileMatcher('/LLM|大模型/i', 'include[1]');
  assert.equal(regex.test('国产大模型'), true);
  assert.throws(() => compileMatcher('/(/', 'include[2]'), /invalid regular expression/);
});
