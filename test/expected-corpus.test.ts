/**
 * The quality bar of issue 3: a brief of ../shared/corpus/china-ai meets its EXPECTED.md —
 * the listed figures with their right sources, no figure cited to an article that does not
 * contain it, at least two of the listed disagreements, none of the "Must never appear".
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import type { Brief } from '../src/core/types.ts';
import { runCli, sharedDir, tempDir } from './helpers/cli.ts';
import { CORPUS_MUST_NEVER_APPEAR } from './helpers/corpus.ts';

const corpus = join(sharedDir, 'corpus', 'china-ai');
const skip = existsSync(corpus) ? false : `corpus not found at ${corpus}`;

const NEVER = CORPUS_MUST_NEVER_APPEAR;

/** Normalises typography so "at least 3 months" matches across spaces and dashes. */
function norm(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u00a0\u2009\u202f]/g, ' ')
    .replace(/[‐-―]/g, '-')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

test('a brief of the china-ai corpus meets EXPECTED.md', { skip }, async () => {
  const files = readdirSync(corpus)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  const raw = new Map(files.map((f) => [f.slice(0, 3), readFileSync(join(corpus, f), 'utf8')]));
  // The articles only: EXPECTED.md sits in the same folder and would be read as an article.
  const folder = join(tempDir(), 'china-ai');
  mkdirSync(folder);
  for (const f of files) copyFileSync(join(corpus, f), join(folder, f));
  const env = { BRIEFBOT_DB: join(tempDir(), 'b.db') };
  const run = await runCli(['brief', 'china-ai-corpus', '--source', folder, '--format', 'json'], { cwd: tempDir(), env });
  assert.equal(run.code, 0, run.stderr);
  const brief = JSON.parse(run.stdout) as Brief;

  // Which corpus file each brief article came from: its file name, or the URL its text gives.
  const fileOf = new Map<string, string>();
  for (const article of brief.articles) {
    const name = article.url.startsWith('file:') ? basename(decodeURIComponent(article.url)).slice(0, 3) : undefined;
    const byUrl = [...raw.entries()].find(([, text]) => text.includes(article.url))?.[0];
    const key = name ?? byUrl;
    assert.ok(key, `cannot tell which file ${article.url} is`);
    fileOf.set(article.id, key);
  }
  assert.equal(brief.articles.length, 5);

  const figures = brief.stories.flatMap((s) => s.figures);
  const citedFiles = (value: RegExp) =>
    new Set(figures.filter((f) => value.test(norm(f.value))).flatMap((f) => f.articleIds.map((id) => fileOf.get(id))));
  assert.deepEqual([...citedFiles(/at least 3 months/)], ['002'], 'at least 3 months — 002');
  assert.deepEqual([...citedFiles(/(^|\D)6 months/)], ['002'], '6 months — 002');
  assert.deepEqual([...citedFiles(/gpt-5\.6/)], ['002'], 'GPT-5.6 — 002');
  assert.deepEqual([...citedFiles(/less than 20\s?%/)], ['003'], 'less than 20% — 003');

  // No figure cited to an article that does not contain its value.
  for (const figure of figures) {
    for (const id of figure.articleIds) {
      const text = norm(raw.get(fileOf.get(id)!)!);
      assert.ok(text.includes(norm(figure.value)), `figure "${figure.value}" cited to ${fileOf.get(id)} which lacks it`);
    }
  }

  // At least two disagreements whose positions come from different articles.
  const disagreements = brief.stories.flatMap((s) => s.disagreements);
  const crossSource = disagreements.filter((d) => {
    const sets = d.positions.map((p) => new Set(p.articleIds.map((id) => fileOf.get(id))));
    return sets.some((a, i) => sets.some((b, j) => j !== i && [...a].some((x) => !b.has(x))));
  });
  assert.ok(crossSource.length >= 2, `expected ≥ 2 disagreements across sources, got ${JSON.stringify(disagreements, null, 1)}`);
  // Which of EXPECTED.md's four are found, each with the sides it names: "Can China still win?"
  // (004 against 002 or 003), "What Chinese firms build on" (000 against 002), "Who reported it"
  // (an SCMP interview against AFP, 001), "Is the gap closing?" (002 among the sides).
  const sides = (d: (typeof disagreements)[number]) => d.positions.map((p) => new Set(p.articleIds.map((id) => fileOf.get(id))));
  const pits = (d: (typeof disagreements)[number], x: string, ys: string[]) => {
    const s = sides(d);
    return s.some((a) => a.has(x)) && s.some((b) => ys.some((y) => b.has(y)));
  };
  const listed = [
    disagreements.some((d) => /ahead or behind|win/i.test(d.about) && pits(d, '004', ['002', '003'])),
    disagreements.some((d) => /builds? on/i.test(d.about) && pits(d, '000', ['002'])),
    disagreements.some((d) => /who reported/i.test(d.about) && pits(d, '001', ['000', '002', '004'])),
    disagreements.some((d) => /widening or narrowing/i.test(d.about) && sides(d).some((a) => a.has('002'))),
  ];
  assert.ok(
    listed.filter(Boolean).length >= 3,
    `EXPECTED.md's disagreements found: ${JSON.stringify(listed)} in ${JSON.stringify(disagreements, null, 1)}`,
  );
  // No false ones: two sentences that both name the lack of paradigm innovation, or both give
  // less than 20% odds, agree.
  for (const d of disagreements) {
    for (const agreeing of [/paradigm/i, /less than 20\s?%/i]) {
      assert.ok(
        !d.positions.every((p) => agreeing.test(p.text)),
        `"${d.about}" sets two agreeing sentences against each other: ${JSON.stringify(d.positions)}`,
      );
    }
  }

  const text = await runCli(['brief', 'china-ai-corpus', '--offline'], { cwd: tempDir(), env });
  for (const output of [run.stdout, text.stdout]) {
    for (const phrase of NEVER) assert.ok(!output.includes(phrase), `"${phrase}" must never appear`);
    assert.ok(!/^\s*\|\s*$/m.test(output), 'no stray "|" lines');
  }
  const headline002 = /Former Tencent AI chief says LLMs cannot beat U\.S\./g;
  assert.ok((text.stdout.match(headline002) ?? []).length <= 2, 'the 002 headline is not repeated');
});
