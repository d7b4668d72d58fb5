/**
 * One hostile article must not break its topic: ~9.6 MB of words with no sentence punctuation
 * used to overflow the regex stack in every later brief of the topic (the article stays
 * stored). Now it is briefed, and briefed again from the store. The built CLI as its own
 * process, so that a crash or runaway memory is the child's, not the test runner's. Time and
 * memory are measured by `npm run bench -- hostile`, not here.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { tempDir } from './helpers/cli.ts';
import { ensureBuilt, runBriefbot } from './helpers/process.ts';

before(ensureBuilt);

/** About `bytes` of lower-case words and spaces: no full stop, no line break, a " but " now and then. */
function unpunctuated(bytes: number): string {
  const words = [
    'the',
    'harbour',
    'council',
    'said',
    'ferry',
    'bridge',
    'repairs',
    'would',
    'take',
    'longer',
    'but',
    'engineers',
    'disagreed',
  ];
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const word = words[(i * 7) % words.length]!;
    parts.push(word);
    size += word.length + 1;
  }
  return parts.join(' ');
}

test('a 9.6 MB article without sentence punctuation is briefed, and briefed again from the store', { timeout: 180_000 }, async () => {
  const cwd = tempDir('briefbot-huge-');
  mkdirSync(join(cwd, 'news'));
  writeFileSync(join(cwd, 'news', 'wall.txt'), `Wall of text about the harbour\n\n${unpunctuated(9_600_000)}\n`);
  writeFileSync(
    join(cwd, 'news', 'normal.txt'),
    'Ferry timetable changes in December\n\nThe harbour ferry will run every 20 minutes from 1 December, the operator said on Monday. ' +
      'Evening services end an hour earlier while the pier is repaired, officials said.\n',
  );
  writeFileSync(join(cwd, 'briefbot.config.yaml'), 'topics:\n  - id: harbour\n    sources: [news]\n    window: all\n');
  const env = { BRIEFBOT_DB: join(cwd, 'b.db') };
  for (const round of ['first brief (collects)', 'second brief (from the store)']) {
    const run = await runBriefbot(['brief', 'harbour', ...(round.startsWith('second') ? ['--offline'] : [])], {
      cwd,
      env,
      timeoutMs: 120_000,
    });
    assert.equal(run.code, 0, `${round}: exit ${run.code}: ${run.stderr.slice(0, 500)}`);
    assert.match(run.stdout, /Ferry timetable changes in December/, round);
    assert.match(run.stdout, /Wall of text about the harbour/, round);
    assert.ok(run.stdout.length < 200_000, `${round}: the brief is ${run.stdout.length} characters`);
  }
});
