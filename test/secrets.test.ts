/**
 * Secrets never reach what Briefbot shows or logs: credentials in a feed URL (userinfo and
 * secret-looking query parameters) in the log, stderr, the brief's notes in every format, the
 * `topics` listing, the Slack footer and the Discord header; an LLM server's error text that
 * quotes the API key, in the log. Real servers on 127.0.0.1, the real CLI.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { briefMessages as discordMessages } from '../src/chat/discord/embeds.ts';
import { briefMessages as slackMessages } from '../src/chat/slack/blocks.ts';
import type { Brief } from '../src/core/types.ts';
import { startHttpServer, type FakeHttpServer } from './fakes/http-server.ts';
import { runCli, tempDir } from './helpers/cli.ts';

const PASSWORD = 'hunter2-feed-password';
const API_KEY = 'KEY123-feed-secret';
const LLM_KEY = 'sk-live-SECRETKEY-1234567890abcdef';

function assertClean(text: string, where: string): void {
  for (const secret of [PASSWORD, API_KEY, LLM_KEY]) assert.ok(!text.includes(secret), `${where} shows a secret:\n${text.slice(0, 2000)}`);
}

describe('a feed URL with credentials', () => {
  let server: FakeHttpServer;
  let feedUrl: string;
  before(async () => {
    server = await startHttpServer({ '/feed.xml': (_req, res) => res.writeHead(404).end('gone') });
    feedUrl = `http://reader:${PASSWORD}@127.0.0.1:${server.port}/feed.xml?api_key=${API_KEY}&topic=harbour`;
  });
  after(() => server.close());

  test('never appears raw in the log, stderr, the brief in any format, or topics', async () => {
    const cwd = tempDir('briefbot-secrets-');
    writeFileSync(join(cwd, 'briefbot.config.yaml'), `topics:\n  - id: harbour\n    sources: ['${feedUrl}']\n    window: all\n`);
    const env = { BRIEFBOT_DB: join(cwd, 'b.db'), BRIEFBOT_ALLOW_HOSTS: '127.0.0.1', LOG_LEVEL: 'debug' };
    const collect = await runCli(['collect', 'harbour'], { cwd, env });
    assert.equal(collect.code, 1, 'the source fails');
    assertClean(collect.stdout + collect.stderr, 'collect');
    assert.match(collect.stdout, /FAILED/);
    for (const format of ['text', 'markdown', 'json']) {
      const run = await runCli(['brief', 'harbour', '--format', format], { cwd, env });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /failing/i, `${format}: the failing source is still reported`);
      assert.match(run.stdout, /127\.0\.0\.1/, `${format}: and named, without its secrets`);
      assertClean(run.stdout + run.stderr, `brief --format ${format}`);
    }
    const topics = await runCli(['topics'], { cwd, env });
    assertClean(topics.stdout + topics.stderr, 'topics');
    assert.match(topics.stdout, /failing/);

    const json = await runCli(['brief', 'harbour', '--format', 'json', '--offline'], { cwd, env });
    const brief = JSON.parse(json.stdout) as Brief;
    assertClean(JSON.stringify(slackMessages(brief)), 'the Slack footer');
    assertClean(JSON.stringify(discordMessages(brief)), 'the Discord header');
  });

  test('a brief stored before redaction is still shown without them in Slack and Discord', () => {
    const brief: Brief = {
      topic: 'harbour',
      generatedAt: '2026-11-23T09:00:00.000Z',
      window: { since: '2026-11-22T09:00:00.000Z', until: '2026-11-23T09:00:00.000Z' },
      summarizer: 'extractive',
      articles: [],
      stories: [],
      usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
      failingSources: [
        {
          sourceId: feedUrl,
          url: feedUrl,
          failureStreak: 2,
          failingSince: '2026-11-22T09:00:00.000Z',
          lastError: `GET ${feedUrl}: HTTP 404`,
        },
      ],
    };
    assertClean(JSON.stringify(slackMessages(brief)), 'the Slack footer');
    assertClean(JSON.stringify(discordMessages(brief)), 'the Discord header');
  });
});

describe('an LLM server whose error text quotes the API key', () => {
  let llm: Server;
  let baseURL: string;
  before(async () => {
    llm = createServer((req, res) => {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: `Incorrect API key provided: ${LLM_KEY}. Find your key in your account.`,
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        }),
      );
    });
    await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((resolve) => llm.close(() => resolve())));

  test('falls back to the extractive summary; the key is in neither the log nor the brief', async () => {
    const cwd = tempDir('briefbot-llm-key-');
    mkdirSync(join(cwd, 'news'));
    writeFileSync(
      join(cwd, 'news', 'a.txt'),
      'Harbour bridge reopens\n\nThe harbour bridge reopened on Monday after 14 months of repairs costing 120 million euros, the city said. Engineers replaced 40% of the deck.\n',
    );
    const env = { BRIEFBOT_DB: join(cwd, 'b.db'), OPENAI_API_KEY: LLM_KEY, OPENAI_BASE_URL: baseURL, LOG_LEVEL: 'debug' };
    const run = await runCli(['brief', 'harbour', '--source', join(cwd, 'news')], { cwd, env });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /LLM summary failed/, 'the failure is logged');
    assert.match(run.stdout, /Harbour bridge reopens/);
    assertClean(run.stdout + run.stderr, 'brief with a refused LLM key');
  });
});
