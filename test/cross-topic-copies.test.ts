/**
 * "Duplicates count once" is per brief: a syndicated copy that two topics collect from their
 * own sources belongs to both, whichever collected first. Real files, the real CLI.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from './helpers/cli.ts';

const STORY =
  'Ferry operator orders two electric boats\n\nThe river ferry company ordered two battery-powered boats for 18 million euros on Tuesday, ' +
  'its chief executive Marta Olsen said. The boats will replace diesel ferries on the harbour crossing from 2028 and cut emissions by 90%, the company said. ' +
  'Unions welcomed the order but asked for training for the crews who will run the new vessels.\n';
const OTHER =
  'Library extends its opening hours\n\nThe central library will open until ten in the evening from next month, the council said on Monday. ' +
  'Students had asked for longer hours during the exam season, and the council found money for two more staff to cover the evenings.\n';

interface BriefJson {
  articles: { title: string; url: string }[];
  stories: { headline: string; articleIds: string[] }[];
}

function project(): { cwd: string; env: Record<string, string> } {
  const cwd = tempDir('briefbot-copies-');
  for (const [dir, files] of Object.entries({ wire: { 'ferry.txt': STORY, 'library.txt': OTHER }, city: { 'ferry-copy.txt': STORY } })) {
    mkdirSync(join(cwd, dir));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, dir, name), text);
  }
  writeFileSync(
    join(cwd, 'briefbot.config.yaml'),
    'topics:\n  - id: wire\n    sources: [wire]\n    window: all\n  - id: city\n    sources: [city]\n    window: all\n',
  );
  return { cwd, env: { BRIEFBOT_DB: join(cwd, 'b.db') } };
}

async function brief(topic: string, p: { cwd: string; env: Record<string, string> }): Promise<BriefJson> {
  const run = await runCli(['brief', topic, '--offline', '--format', 'json'], p);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as BriefJson;
}

for (const order of [
  ['wire', 'city'],
  ['city', 'wire'],
]) {
  test(`a copy in two topics' sources counts in both briefs (collected ${order.join(' then ')})`, async () => {
    const p = project();
    for (const topic of order) assert.equal((await runCli(['collect', topic, '--offline'], p)).code, 0);
    const city = await brief('city', p);
    assert.deepEqual(
      city.articles.map((a) => a.title),
      ['Ferry operator orders two electric boats'],
    );
    assert.equal(city.stories.length, 1);
    const wire = await brief('wire', p);
    assert.deepEqual(wire.articles.map((a) => a.title).sort(), [
      'Ferry operator orders two electric boats',
      'Library extends its opening hours',
    ]);
  });
}

test('within one topic, the copy and its original still count once', async () => {
  const p = project();
  writeFileSync(join(p.cwd, 'briefbot.config.yaml'), 'topics:\n  - id: all\n    sources: [wire, city]\n    window: all\n');
  const all = await brief('all', p);
  assert.equal(all.articles.filter((a) => a.title.startsWith('Ferry')).length, 1);
});
