/**
 * The demo brief (demo/README.md, "Planted truths"): the Liu Wei coverage is one story with the
 * Chinese report in it, and it shows the conflicts planted in it — can China still win, who
 * reported the interview, what Chinese firms build on, is the gap closing — and nothing else:
 * no disagreement in the other stories, none inside one article, no rounding shown as one.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import type { Brief, Disagreement } from '../src/core/types.ts';
import { repoRoot, runCli, tempDir } from './helpers/cli.ts';

const folder = join(repoRoot, 'demo', 'china-ai');

test('the demo brief: one Liu Wei story with its four planted disagreements, and no false ones', async () => {
  const run = await runCli(['brief', 'china-ai', '--offline', '--format', 'json'], {
    cwd: repoRoot,
    env: { BRIEFBOT_DB: join(tempDir(), 'b.db') },
  });
  assert.equal(run.code, 0, run.stderr);
  const brief = JSON.parse(run.stdout) as Brief;

  // Which demo file each article is: its file name, or the file whose text gives its URL.
  const files = readdirSync(folder);
  const fileOf = new Map<string, string>();
  for (const a of brief.articles) {
    const file = a.url.startsWith('file:')
      ? basename(decodeURIComponent(a.url))
      : files.find((f) => readFileSync(join(folder, f), 'utf8').includes(a.url));
    assert.ok(file, `cannot tell which demo file ${a.url} is`);
    fileOf.set(a.id, file.slice(0, 2));
  }
  const filesOf = (ids: readonly string[]) => new Set(ids.map((id) => fileOf.get(id)!));

  const liu = brief.stories.find((s) => filesOf(s.articleIds).has('10'));
  assert.ok(liu, 'a story holds the "can still win" report');
  assert.deepEqual(
    [...filesOf(liu.articleIds)].sort(),
    ['01', '02', '03', '09', '10'],
    'the Liu Wei story, the Chinese report in it, the syndicated copy 04 counted once',
  );

  const sides = (d: Disagreement) => d.positions.map((p) => filesOf(p.articleIds));
  const pits = (d: Disagreement, xs: string[], ys: string[]) => {
    const [a, b] = sides(d) as [Set<string>, Set<string>];
    const has = (s: Set<string>, list: string[]) => list.some((f) => s.has(f));
    return (has(a, xs) && has(b, ys)) || (has(a, ys) && has(b, xs));
  };
  const found = (about: RegExp, xs: string[], ys: string[]) => liu.disagreements.some((d) => about.test(d.about) && pits(d, xs, ys));
  const all = JSON.stringify(liu.disagreements, null, 1);
  assert.ok(found(/ahead or behind|win/i, ['10'], ['01']), `can China still win: 10 against 01, in ${all}`);
  assert.ok(found(/who reported/i, ['03'], ['01', '02', '09', '10']), `who reported it: AFP (03) against SCMP, in ${all}`);
  assert.ok(
    found(/builds? on/i, ['02'], ['01', '03']),
    `what the firms build on: Meta and OpenAI (02) against DeepSeek and US firms, in ${all}`,
  );
  assert.ok(found(/widening or narrowing/i, ['01'], ['03']), `is the gap closing: widening (01) against narrowing (03), in ${all}`);

  for (const story of brief.stories) {
    if (story !== liu) assert.deepEqual(story.disagreements, [], `no conflict is planted in "${story.headline}"`);
    for (const d of story.disagreements) {
      const [a, b] = sides(d) as [Set<string>, Set<string>];
      assert.ok(![...a].some((f) => b.has(f)), `"${d.about}" sets an article against itself`);
      assert.ok(!d.positions.every((p) => /\b3 months\b/.test(p.text)), `"${d.about}": "about 3 months" and "at least 3 months" agree`);
    }
  }
});
