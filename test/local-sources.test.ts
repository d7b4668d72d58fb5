/**
 * Local sources as a careless operator gives them: a path that does not exist, a device, a
 * FIFO, a huge file, a binary file, /etc/passwd, a feed of thousands of items, and an ad-hoc
 * topic run again with other sources. Real files, the real CLI (in-process, and as its own
 * process where a hang or runaway memory is the failure).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runCli, tempDir } from './helpers/cli.ts';
import { ensureBuilt, runBriefbot } from './helpers/process.ts';

const ARTICLE =
  'Harbour cranes arrive in Tilbury\n\nThree new cranes arrived at the Tilbury terminal on Monday, the port authority said. ' +
  'They cost 40 million pounds and will double the terminal’s capacity, officials said in a statement. ' +
  'Dock workers welcomed the machines, but unions warned about job cuts later in the decade.\n';

const PASSWD = Array.from({ length: 30 }, (_, i) => `user${i}:x:${1000 + i}:${1000 + i}:User ${i}:/home/user${i}:/bin/bash`).join('\n');

function folder(files: Record<string, string | Buffer>): string {
  const dir = tempDir('briefbot-local-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

interface BriefJson {
  articles: { title: string; url: string }[];
  stories: unknown[];
}

describe('--source paths that cannot be read are bad usage (exit 2, one line)', () => {
  before(ensureBuilt);

  test('a path that does not exist', async () => {
    const cwd = tempDir();
    const run = await runCli(['brief', 'foo', '--source', join(cwd, 'nonexistent')], { cwd, env: { BRIEFBOT_DB: join(cwd, 'b.db') } });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^briefbot: --source .*nonexistent: no such file or folder\n$/);
    assert.equal(run.stdout, '');
  });

  test('/dev/zero and a FIFO: refused at once, as a separate process (no hang, no runaway memory)', { timeout: 60_000 }, async () => {
    const cwd = tempDir();
    const fifo = join(cwd, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    for (const path of ['/dev/zero', fifo]) {
      const run = await runBriefbot(['brief', 'foo', '--source', path], {
        cwd,
        env: { BRIEFBOT_DB: join(cwd, 'b.db') },
        timeoutMs: 20_000,
      });
      assert.equal(run.code, 2, `${path}: ${run.code} ${run.stderr}`);
      assert.match(run.stderr, /not a regular file or folder/);
    }
  });
});

describe('files in a folder', () => {
  test('FIFOs, binary files, password-file lookalikes and files over the cap are skipped with a warning; articles are kept', async () => {
    const dir = folder({
      'a-article.txt': ARTICLE,
      'b-passwd.txt': PASSWD,
      'c-binary.txt': Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)),
      'd-zeros.md': Buffer.alloc(5000),
    });
    execFileSync('mkfifo', [join(dir, 'e-pipe.txt')]);
    const big = openSync(join(dir, 'f-huge.txt'), 'w');
    ftruncateSync(big, 21_000_000);
    closeSync(big);
    const cwd = tempDir();
    const env = { BRIEFBOT_DB: join(cwd, 'b.db') };
    const collect = await runCli(['collect', 'local', '--source', dir], { cwd, env });
    assert.equal(collect.code, 0, collect.stderr + collect.stdout);
    assert.match(collect.stdout, /b-passwd\.txt: not an article/);
    assert.match(collect.stdout, /c-binary\.txt: binary file, not an article/);
    assert.match(collect.stdout, /d-zeros\.md: binary file, not an article/);
    assert.match(collect.stdout, /e-pipe\.txt: not a regular file; skipped/);
    assert.match(collect.stdout, /f-huge\.txt: larger than the 20 MB cap/);
    const brief = await runCli(['brief', 'local', '--source', dir, '--format', 'json'], { cwd, env });
    const json = JSON.parse(brief.stdout) as BriefJson;
    assert.deepEqual(
      json.articles.map((a) => a.title),
      ['Harbour cranes arrive in Tilbury'],
    );
  });

  test('a single non-article file as the only source: the brief says the source fails, nothing becomes an article', async () => {
    const dir = folder({ passwd: PASSWD });
    const cwd = tempDir();
    const run = await runCli(['brief', 'foo', '--source', join(dir, 'passwd'), '--format', 'json'], {
      cwd,
      env: { BRIEFBOT_DB: join(cwd, 'b.db') },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /source failing: .*passwd: .*not an article/);
    assert.deepEqual((JSON.parse(run.stdout) as BriefJson).articles, []);
  });
});

describe('an ad-hoc topic is the sources given this time', () => {
  test('a second run with other sources shows only what those sources hold', async () => {
    const first = folder({ 'cranes.txt': ARTICLE });
    const second = folder({
      'bridge.txt':
        'Old bridge closes for repairs\n\nThe old swing bridge over the river closed on Tuesday for eight months of repairs, the council said. ' +
        'Drivers face a detour of four miles, and the ferry will run every ten minutes while the works go on, officials said.\n',
    });
    const cwd = tempDir();
    const env = { BRIEFBOT_DB: join(cwd, 'b.db') };
    assert.equal((await runCli(['brief', 'scratch', '--source', first], { cwd, env })).code, 0);
    const run = await runCli(['brief', 'scratch', '--source', second, '--format', 'json'], { cwd, env });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'no failing source from an earlier run');
    assert.deepEqual(
      (JSON.parse(run.stdout) as BriefJson).articles.map((a) => a.title),
      ['Old bridge closes for repairs'],
    );
  });
});

describe('a feed of thousands of items', () => {
  test('is read up to the per-feed cap (the newest items), with a warning saying the cap; the brief stays bounded', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => {
      const day = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toUTCString();
      return (
        `<item><title>Notice ${i} about parking bay ${i}</title><link>https://notices.example.com/n/${i}</link><pubDate>${day}</pubDate>` +
        `<description>Parking bay ${i} on Example Street is closed on ${day} for resurfacing, the council said in notice number ${i}.</description></item>`
      );
    });
    const dir = folder({
      'notices.xml': `<?xml version="1.0"?><rss version="2.0"><channel><title>Notices</title>${items.join('')}</channel></rss>`,
    });
    const cwd = tempDir();
    const env = { BRIEFBOT_DB: join(cwd, 'b.db') };
    // --offline: the items are short (teasers), and their pages must not be fetched here.
    const collect = await runCli(['collect', 'notices', '--source', dir, '--offline'], { cwd, env });
    assert.equal(collect.code, 0, collect.stderr);
    assert.match(collect.stdout, /3,000 items; read the newest 500 \(at most 500 items per feed per collect\)/);
    assert.match(collect.stdout, /500 new articles/);
    const brief = await runCli(['brief', 'notices', '--source', dir, '--offline'], { cwd, env });
    assert.equal(brief.code, 0, brief.stderr);
    assert.match(brief.stdout, /Notice 2999 /, 'the newest item is there');
    assert.ok(brief.stdout.split('\n').length < 400, `the brief is bounded: ${brief.stdout.split('\n').length} lines`);
  });
});
