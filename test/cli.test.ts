/**
 * The CLI end to end on local files: the demo brief, ad-hoc folders, idempotent collect,
 * and the error paths (exit 2 with one line naming what is wrong).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Brief } from '../src/core/types.ts';
import { repoRoot, runCli, tempDir } from './helpers/cli.ts';

function dbEnv(): NodeJS.ProcessEnv {
  return { BRIEFBOT_DB: join(tempDir(), 'briefbot.db') };
}

test('the README demo: an offline brief of the bundled topic', async () => {
  const env = dbEnv();
  const run = await runCli(['brief', 'china-ai', '--offline'], { cwd: repoRoot, env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Brief: china-ai/);
  assert.match(run.stdout, /\n1\. /, 'at least one story');
  assert.match(run.stdout, /\nSources\n\[1\] /);
  const json = await runCli(['brief', 'china-ai', '--offline', '--format', 'json'], { cwd: repoRoot, env });
  assert.equal(json.code, 0, json.stderr);
  const brief = JSON.parse(json.stdout) as Brief;
  assert.equal(brief.topic, 'china-ai');
  assert.equal(brief.summarizer, 'extractive');
  assert.ok(brief.stories.length >= 2, 'the demo corpus has several stories');
  const ids = new Set(brief.articles.map((a) => a.id));
  for (const story of brief.stories) {
    for (const item of [...story.claims, ...story.figures, ...story.disagreements.flatMap((d) => d.positions)]) {
      assert.ok(item.articleIds.length > 0 && item.articleIds.every((id) => story.articleIds.includes(id) && ids.has(id)));
    }
  }
});

test('collect is idempotent and reports per source', async () => {
  const env = dbEnv();
  const first = await runCli(['collect', 'china-ai', '--offline'], { cwd: repoRoot, env });
  assert.equal(first.code, 0, first.stderr);
  const news = Number(/(\d+) new articles/.exec(first.stdout)?.[1]);
  assert.ok(news >= 5, first.stdout);
  const second = await runCli(['collect', 'china-ai', '--offline'], { cwd: repoRoot, env });
  assert.equal(second.code, 0);
  assert.match(second.stdout, /0 new articles, 0 duplicates, 0 failed/);
  assert.match(second.stdout, new RegExp(`${news}\\b[^\\n]*already stored|already stored`));
});

test('an ad-hoc topic from a folder: duplicates count once, non-English kept, JSON contract', async () => {
  const dir = tempDir();
  const folder = join(dir, 'articles');
  mkdirSync(folder);
  const body =
    'The city council approved a budget of €3.1 billion on Tuesday, Mayor Ana Ruiz said. ' +
    'The plan adds 1,200 teachers over 3 years. Critics said the figure was too small for the schools. ' +
    'Ruiz said the council would review the plan in six months.';
  writeFileSync(join(folder, 'one.txt'), `City approves €3.1 billion budget\n\n${body}\n`);
  writeFileSync(join(folder, 'copy.txt'), `Council passes budget\n\n${body}\n\nComments (0)\n`);
  writeFileSync(join(folder, 'zh.md'), '# 市议会批准预算\n\n市议会周二批准了31亿欧元的预算，市长表示将增加1200名教师。\n');
  const run = await runCli(['brief', 'city', '--source', folder, '--format', 'json'], { cwd: dir, env: dbEnv() });
  assert.equal(run.code, 0, run.stderr);
  const brief = JSON.parse(run.stdout) as Brief;
  assert.equal(brief.articles.length, 2, 'the copy is collapsed into its original');
  assert.ok(
    brief.articles.some((a) => a.title.includes('市议会批准预算')),
    'Chinese title kept intact',
  );
  assert.ok(!run.stdout.includes('Comments (0)'));
  assert.ok(brief.stories.some((s) => s.figures.some((f) => f.value.includes('3.1 billion'))));
});

test('bad usage and config exit 2 with one line naming the problem', async () => {
  const env = dbEnv();
  const unknown = await runCli(['brief', 'no-such-topic', '--offline'], { cwd: repoRoot, env });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown topic "no-such-topic"; known topics: china-ai/);
  assert.equal(unknown.stderr.trim().split('\n').length, 1);

  const since = await runCli(['brief', 'china-ai', '--offline', '--since', 'yesterday'], { cwd: repoRoot, env });
  assert.equal(since.code, 2);
  assert.match(since.stderr, /--since: "yesterday" is not a window/);

  const dir = tempDir();
  writeFileSync(join(dir, 'briefbot.config.yaml'), 'topics:\n  - id: t\n    sources: [x]\n    window: 24hours\n');
  const config = await runCli(['topics'], { cwd: dir, env });
  assert.equal(config.code, 2);
  assert.match(config.stderr, /topics\[0\]\.window/);
  assert.equal(config.stderr.trim().split('\n').length, 1);

  const option = await runCli(['brief', 'china-ai', '--fromat', 'json'], { cwd: repoRoot, env });
  assert.equal(option.code, 2);

  const missing = await runCli(['brief', 'gone', '--source', join(dir, 'nope')], { cwd: dir, env });
  assert.notEqual(missing.code, 0);

  // An ad-hoc topic's name follows the config file's rule for topic ids.
  const name = await runCli(['brief', 'My.Topic', '--source', dir], { cwd: tempDir(), env });
  assert.equal(name.code, 2);
  assert.match(name.stderr, /topic name "My\.Topic" must be lowercase letters, digits, "-" or "_"/);
});

test('an empty window says so and exits 0', async () => {
  const dir = tempDir();
  const folder = join(dir, 'old');
  mkdirSync(folder);
  writeFileSync(join(folder, 'a.txt'), 'Old news\n\nPublish Date: 2020-01-02\n\nSomething happened long ago, officials said on Monday.\n');
  const run = await runCli(['brief', 'old', '--source', folder, '--since', '24h'], { cwd: dir, env: dbEnv() });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /No new articles on old since/);
});

test('topics lists schedule and next run', async () => {
  const run = await runCli(['topics'], { cwd: repoRoot, env: dbEnv() });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /china-ai — China and AI/);
  assert.match(run.stdout, /next run: 20\d\d-/);
});

test('ask works on any topic with a brief: one briefed with --source, and with --source of its own', async () => {
  const dir = tempDir();
  const env = dbEnv();
  const library = join(repoRoot, 'test', 'fixtures', 'corpora', 'library');
  const question = 'What did head librarian Sofia Marsh say about the children\u2019s wing?';
  // Nothing stored yet: one line naming the way out.
  const none = await runCli(['ask', 'old-town', question, '--offline'], { cwd: dir, env });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^briefbot: ask: no brief of "old-town" yet; brief it first \(briefbot brief old-town --source …\)/);
  // ask --source builds the ad-hoc topic's brief, then answers from it.
  const first = await runCli(['ask', 'old-town', question, '--source', library, '--offline'], { cwd: dir, env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /Sofia Marsh/);
  assert.match(first.stdout, /\nSources\n\[1\] /);
  // Later, the stored brief of the ad-hoc topic answers without --source.
  const again = await runCli(['ask', 'old-town', question, '--offline'], { cwd: dir, env });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, first.stdout);
});
