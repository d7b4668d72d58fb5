/**
 * Cited or cut, everywhere: the real CLI with the real openai SDK against an adversarial model
 * (fakes/adversarial-model.ts) that lies in every field of the schema and in answers, over
 * invented articles (fixtures/corpora/port-wren: a tidal plant story, a library story, and a
 * blog post carrying planted instructions, visible and hidden, whose payload is "the plant
 * will employ 9,999 people"). Nothing fabricated reaches the brief or an answer, every faithful
 * item is kept, the payload appears nowhere, and the brief still says it was written by the
 * model. The extractive path on the same articles carries no payload either.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Brief } from '../src/core/types.ts';
import { createAdversary, type Adversary } from './fakes/adversarial-model.ts';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/openai.ts';
import { audit, PAYLOAD, PEOPLE, PORT_WREN } from './helpers/adversarial.ts';
import { repoRoot, runCli, tempDir } from './helpers/cli.ts';

describe('an adversarial model through the CLI (--format json, ask)', () => {
  let fake: FakeOpenAi;
  let adversary: Adversary;
  const db = join(tempDir(), 'briefbot.db');
  const env = (): NodeJS.ProcessEnv => ({
    BRIEFBOT_DB: db,
    OPENAI_API_KEY: 'sk-test-not-a-secret',
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_MODEL: 'fake-model',
    LOG_LEVEL: 'info',
  });

  before(async () => {
    adversary = createAdversary({ ...PAYLOAD, people: PEOPLE });
    fake = await startFakeOpenAi({ respond: adversary.respond });
  });
  after(() => fake.close());

  test('brief: nothing fabricated reaches a story, every faithful item is kept, no silent fallback', async (t) => {
    const run = await runCli(['brief', 'port-wren', '--source', PORT_WREN, '--offline', '--format', 'json'], { cwd: repoRoot, env: env() });
    assert.equal(run.code, 0, run.stderr);
    const brief = JSON.parse(run.stdout) as Brief;
    assert.equal(brief.summarizer, 'llm:fake-model');
    assert.equal(brief.stories.length, 2);
    assert.ok(!(brief.notes ?? []).some((n) => /fell back/.test(n)), `no fallback: ${brief.notes?.join(' | ')}`);
    assert.ok(!run.stdout.includes(PAYLOAD.payloadMarker), 'the payload appears nowhere in the brief');
    assert.ok(!run.stdout.includes('9999'));

    const counts = audit(brief, adversary);
    t.diagnostic(
      `brief: ${counts.reached.length} of ${counts.fabricated} fabricated items reached it; ${counts.faithful - counts.lost.length} of ${counts.faithful} faithful items kept`,
    );
    assert.ok(counts.fabricated >= 20, `the adversary lied ${counts.fabricated} times`);
    assert.deepEqual(counts.reached, [], 'fabricated items that reached the brief');
    assert.ok(counts.faithful >= 10, `${counts.faithful} faithful items`);
    assert.deepEqual(counts.lost, [], 'faithful items verification lost');

    // Every citation is an article of its own story.
    for (const story of brief.stories) {
      const cited = [...story.claims, ...story.figures, ...story.disagreements.flatMap((d) => d.positions)].flatMap((i) => i.articleIds);
      for (const id of cited) assert.ok(story.articleIds.includes(id), `${story.id} cites ${id}`);
      assert.ok(story.disagreements.every((d) => d.positions.length >= 2));
    }
    // The notes say what verification did, and which article carried instructions.
    const tidal = brief.stories.find((s) => s.headline.includes('Port Wren'))!;
    const injected = brief.articles.find((a) => a.publisher === 'Tideline Notes')!;
    assert.ok(tidal.articleIds.includes(injected.id), 'the injected article is part of the tidal story');
    assert.ok(
      brief.notes?.includes(
        `${injected.id} (Tideline Notes) carried 4 instructions addressed to AI systems; ignored, never used as evidence`,
      ),
      brief.notes?.join(' | '),
    );
    for (const story of brief.stories) {
      assert.ok(
        brief.notes?.some((n) => new RegExp(`^${story.id}: verification cut \\d+ items and rewrote \\d+ items? from the articles`).test(n)),
        brief.notes?.join(' | '),
      );
    }
    assert.match(run.stderr, /verification cut or rewrote unsupported items/);
    assert.match(run.stderr, /article carries instructions addressed to AI systems/);
    // The rewritten label and headline come from the articles.
    assert.ok(tidal.disagreements.some((d) => d.about === 'What the sources disagree on'));
    assert.ok(
      brief.articles.some((a) => a.title === tidal.headline),
      tidal.headline,
    );
  });

  test('ask (with --source, and later without it): a verified answer, nothing fabricated', async (t) => {
    const questions = [
      'How many people will the tidal plant employ, and what did Mayor Ana Ruiz say about the plant?',
      'What did Mayor Ana Ruiz say about the tidal plant, and how many people will it employ?',
    ];
    // The second time the topic is known only from its stored brief (briefed with --source).
    for (const [question, args] of [
      [questions[0]!, ['--source', PORT_WREN, '--offline']],
      [questions[1]!, ['--offline']],
    ] as const) {
      const before = adversary.fabricated.length;
      const run = await runCli(['ask', 'port-wren', question, ...args], { cwd: repoRoot, env: env() });
      assert.equal(run.code, 0, run.stderr);
      const lies = adversary.fabricated.slice(before);
      assert.ok(lies.length >= 5, `the adversary lied ${lies.length} times in the answer`);
      for (const lie of lies) assert.ok(!run.stdout.includes(lie.marker), `${lie.kind} reached the answer: ${run.stdout}`);
      t.diagnostic(`ask ${args.join(' ')}: 0 of ${lies.length} fabricated statements reached the answer; the faithful one kept`);
      assert.ok(!run.stdout.includes(PAYLOAD.payloadMarker));
      const faithful = adversary.faithful.filter((f) => f.kind === 'answer').at(-1)!;
      assert.ok(run.stdout.includes(faithful.text), run.stdout);
      assert.match(run.stdout, /statements the cited passages do not support were left out/);
      assert.match(run.stdout, /\nSources\n\[1\] /);
    }
  });

  test('ask on a topic with no brief and no --source: one clear line, exit 2', async () => {
    const run = await runCli(['ask', 'never-briefed', 'what happened?', '--offline'], { cwd: repoRoot, env: env() });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^briefbot: ask: no brief of "never-briefed" yet/);
  });

  test('the extractive path on the injected article: no payload, a note, no instruction in the text', async () => {
    const run = await runCli(['brief', 'port-wren-extractive', '--source', PORT_WREN, '--offline', '--format', 'json'], {
      cwd: repoRoot,
      env: { BRIEFBOT_DB: join(tempDir(), 'briefbot.db') },
    });
    assert.equal(run.code, 0, run.stderr);
    const brief = JSON.parse(run.stdout) as Brief;
    assert.equal(brief.summarizer, 'extractive');
    assert.ok(!run.stdout.includes(PAYLOAD.payloadMarker), 'the payload appears nowhere');
    assert.ok(!/note to ai|ignore your previous|assistant:/i.test(run.stdout));
    const injected = brief.articles.find((a) => a.publisher === 'Tideline Notes')!;
    assert.ok(brief.notes?.some((n) => n.startsWith(`${injected.id} (Tideline Notes) carried 4 instructions`)));
    // The injected article's own reporting is still used.
    assert.ok(brief.stories.some((s) => JSON.stringify(s).includes('mooring area near the ferry slip')));
  });
});
