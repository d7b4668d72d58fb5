/**
 * The architecture rules live in eslint.config.js and `npm run lint` keeps them over the
 * tree (docs/adr/0004-layout-and-layers.md). What lint cannot say is that its rules still
 * bite: a glob that matches nothing passes silently. So each rule is shown one violation, as
 * the files it guards would commit it, through ESLint's own API and the project's config.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

/** Rule ids ESLint reports for `code` as if it were the file at `filePath`. */
async function rulesHit(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('lint keeps the layers', () => {
  test('a lower stage never imports a higher one', async () => {
    assert.deepEqual(
      await rulesHit('src/core/probe.ts', "import { buildBrief } from '../brief/index.ts';\nexport const x = buildBrief;\n"),
      ['import-x/no-restricted-paths'],
    );
    assert.deepEqual(
      await rulesHit('src/render/probe.ts', "import { collectTopics } from '../collect/index.ts';\nexport const x = collectTopics;\n"),
      ['import-x/no-restricted-paths'],
    );
  });

  test('stages of one layer stay apart, but for the parts written down as shared', async () => {
    assert.deepEqual(
      await rulesHit('src/collect/probe.ts', "import { buildBrief } from '../brief/index.ts';\nexport const x = buildBrief;\n"),
      ['import-x/no-restricted-paths'],
    );
    assert.deepEqual(
      await rulesHit('src/answer/probe.ts', "import { buildBrief } from '../brief/index.ts';\nexport const x = buildBrief;\n"),
      ['import-x/no-restricted-paths'],
    );
    assert.deepEqual(
      await rulesHit('src/llm/probe.ts', "import type { CacheRepo } from '../store/port.ts';\nexport type X = CacheRepo;\n"),
      [],
    );
  });

  test('a higher stage may import a lower one', async () => {
    assert.deepEqual(
      await rulesHit('src/brief/probe.ts', "import { tokenize } from '../text/tokenize.ts';\nexport const x = tokenize;\n"),
      [],
    );
    assert.deepEqual(
      await rulesHit('src/answer/probe.ts', "import { prepareSource } from '../verify/support.ts';\nexport const x = prepareSource;\n"),
      [],
    );
  });

  test('only cli/ wires the service and the SQLite store; only chat/ and cli/ know the adapters', async () => {
    assert.deepEqual(
      await rulesHit(
        'src/schedule/probe.ts',
        "import { createBriefService } from '../app/brief-service.ts';\nexport const x = createBriefService;\n",
      ),
      ['import-x/no-restricted-paths'],
    );
    assert.deepEqual(
      await rulesHit(
        'src/app/probe.ts',
        "import { openSqliteStore } from '../store/sqlite/index.ts';\nexport const x = openSqliteStore;\n",
      ),
      ['import-x/no-restricted-paths'],
    );
    assert.deepEqual(
      await rulesHit('src/chat/probe.ts', "import { SlackAdapter } from './slack/adapter.ts';\nexport const x = SlackAdapter;\n"),
      ['import-x/no-restricted-paths'],
    );
    assert.deepEqual(
      await rulesHit('src/cli/probe.ts', "import { SlackAdapter } from '../chat/slack/adapter.ts';\nexport const x = SlackAdapter;\n"),
      [],
    );
  });

  test('no import cycles', async () => {
    // core/window.ts imports core/errors.ts; errors.ts importing window.ts closes a circle.
    assert.deepEqual(await rulesHit('src/core/errors.ts', "import { isWindow } from './window.ts';\nexport const x = isWindow;\n"), [
      'import-x/no-cycle',
    ]);
  });

  test('no source file over 400 lines', async () => {
    const code = Array.from({ length: 401 }, (_, i) => `export const v${i} = ${i};`).join('\n');
    assert.deepEqual(await rulesHit('src/text/probe.ts', `${code}\n`), ['max-lines']);
  });
});

describe('lint keeps SDKs, drivers and the environment in their place', () => {
  const homes: Array<[sdk: string, home: string, elsewhere: string]> = [
    ['@slack/bolt', 'src/chat/slack/probe.ts', 'src/chat/probe.ts'],
    ['discord.js', 'src/chat/discord/probe.ts', 'src/schedule/probe.ts'],
    ['openai', 'src/llm/openai.ts', 'src/llm/probe.ts'],
    ['better-sqlite3', 'src/store/sqlite/probe.ts', 'src/store/probe.ts'],
    ['pg', 'src/store/postgres/probe.ts', 'src/store/sqlite/probe.ts'],
    ['undici', 'src/collect/http/probe.ts', 'src/collect/probe.ts'],
  ];
  for (const [sdk, home, elsewhere] of homes) {
    test(`${sdk} only in ${home.slice(0, home.lastIndexOf('/') + 1)}`, async () => {
      const code = `import * as sdk from '${sdk}';\nexport const x = sdk;\n`;
      assert.deepEqual(await rulesHit(home, code), []);
      assert.deepEqual(await rulesHit(elsewhere, code), ['no-restricted-imports']);
    });
  }

  test('only config/load.ts reads process.env', async () => {
    assert.deepEqual(await rulesHit('src/brief/probe.ts', "export const home = process.env['HOME'];\n"), ['no-restricted-properties']);
    assert.deepEqual(await rulesHit('src/brief/probe.ts', 'const { env } = process;\nexport const home = env;\n'), [
      'no-restricted-properties',
    ]);
    assert.deepEqual(await rulesHit('src/config/load.ts', "export const home = process.env['HOME'];\n"), []);
  });
});
