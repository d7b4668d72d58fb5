/**
 * The CLI end to end through the LLM path, against the fake OpenAI-compatible server: the
 * demo topic's brief is written by the model (and verified), a broken server degrades to the
 * extractive summarizer with exit 0, notes and a warning, and `ask` answers with citations.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Brief } from '../src/core/types.ts';
import { unescapeFromFence } from '../src/llm/json.ts';
import { startFakeOpenAi, userPrompt, type ChatRequestBody, type FakeOpenAi } from './fakes/openai.ts';
import { repoRoot, runCli, tempDir } from './helpers/cli.ts';

let fake: FakeOpenAi;

/** A model that quotes each fenced article's first sentence as a claim citing it. */
function echoModel(request: ChatRequestBody): unknown {
  const user = userPrompt(request);
  if (user.includes('<passage n="1"')) return { answered: true, text: 'The first passage answers it [1].' };
  const claims = [...user.matchAll(/<article id="([^"]+)"[^>]*>\n([^\n]*)\n<\/article>/g)].slice(0, 4).map((m) => ({
    text: unescapeFromFence(m[2]!).split(/(?<=[.!?])\s/)[0]!,
    articleIds: [m[1]!],
  }));
  return { headline: 'What the articles report', summary: 'Several outlets covered it.', claims, figures: [], disagreements: [] };
}

before(async () => {
  fake = await startFakeOpenAi({ respond: echoModel });
});
after(() => fake.close());

function env(): NodeJS.ProcessEnv {
  return {
    BRIEFBOT_DB: join(tempDir(), 'briefbot.db'),
    OPENAI_API_KEY: 'sk-test-not-a-secret',
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_MODEL: 'fake-model',
    LOG_LEVEL: 'warn',
  };
}

test('briefbot brief: stories written by the LLM, verified, usage recorded', async () => {
  fake.mode = 'ok';
  fake.requests.length = 0;
  const run = await runCli(['brief', 'china-ai', '--offline', '--format', 'json'], { cwd: repoRoot, env: env() });
  assert.equal(run.code, 0, run.stderr);
  const brief = JSON.parse(run.stdout) as Brief;
  assert.equal(brief.summarizer, 'llm:fake-model');
  assert.ok(brief.stories.length >= 1);
  // The echo model's one multi-sentence (Chinese) claim is cut by verification, and the notes say so; nothing fell back.
  assert.ok(
    (brief.notes ?? []).every((n) => /^s\d+: verification cut/.test(n)),
    brief.notes?.join(' | '),
  );
  assert.equal(brief.usage.llmCalls, fake.requests.length);
  assert.ok(brief.usage.promptTokens > 0);
  assert.ok(
    brief.stories.some((s) => s.claims.length > 0),
    'echoed claims survive verification',
  );
  assert.ok(brief.stories.every((s) => s.headline === 'What the articles report'));
  assert.ok(!run.stderr.includes('sk-test-not-a-secret'));
});

test('briefbot brief with a broken server: extractive stories, notes, a warning, exit 0', async () => {
  fake.mode = '500';
  try {
    const run = await runCli(['brief', 'china-ai', '--offline', '--format', 'json'], { cwd: repoRoot, env: env() });
    assert.equal(run.code, 0, run.stderr);
    const brief = JSON.parse(run.stdout) as Brief;
    assert.ok(brief.stories.length >= 1);
    assert.equal(brief.notes?.length, brief.stories.length);
    for (const note of brief.notes ?? []) assert.match(note, /^s\d+: fell back to extractive: the LLM server failed \(HTTP 500\)$/);
    assert.ok(
      brief.stories.some((s) => s.claims.length > 0 || s.figures.length > 0),
      'extractive content',
    );
    assert.match(run.stderr, /LLM summary failed; the story falls back/);
    assert.ok(!run.stderr.includes('sk-test-not-a-secret'), 'the key never reaches the log');
  } finally {
    fake.mode = 'ok';
  }
});

test('briefbot ask: a cited answer through the LLM', async () => {
  const e = env();
  const run = await runCli(['ask', 'china-ai', 'What did officials say about chips and export controls?'], { cwd: repoRoot, env: e });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^The first passage answers it \[1\]\./);
  assert.match(run.stdout, /\nSources\n\[1\] /);
});
