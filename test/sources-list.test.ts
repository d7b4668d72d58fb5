/**
 * The Sources list of a brief carries the articles its shown stories cite, not every article
 * of the window: 2,000 sources for an 8-story brief were 272 KB and 19 Slack messages. The
 * JSON keeps its contract (`articles`: every distinct article considered).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { briefMessages as discordMessages } from '../src/chat/discord/embeds.ts';
import { briefMessages as slackMessages } from '../src/chat/slack/blocks.ts';
import type { Brief } from '../src/core/types.ts';
import { inventedArticle } from './helpers/articles.ts';
import { runCli, tempDir } from './helpers/cli.ts';

const N = 120;

/** Numbers cited in the text before the Sources heading, and numbers the Sources list shows. */
function citedAndListed(text: string, heading: RegExp, entry: RegExp): { cited: Set<number>; listed: number[] } {
  const at = text.search(heading);
  assert.ok(at > 0, 'has a Sources list');
  const cited = new Set([...text.slice(0, at).matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  const listed = [...text.slice(at).matchAll(entry)].map((m) => Number(m[1]));
  return { cited, listed };
}

test('a brief of 3 stories from 120 articles lists only the articles its stories cite', async () => {
  const cwd = tempDir('briefbot-sources-');
  mkdirSync(join(cwd, 'news'));
  for (let i = 0; i < N; i++) writeFileSync(join(cwd, 'news', `a${i}.txt`), inventedArticle(i));
  writeFileSync(
    join(cwd, 'briefbot.config.yaml'),
    'topics:\n  - id: city\n    sources: [news]\n    window: all\n    summarizer: { maxStories: 3 }\n',
  );
  const env = { BRIEFBOT_DB: join(cwd, 'b.db') };

  const json = JSON.parse((await runCli(['brief', 'city', '--format', 'json'], { cwd, env })).stdout) as Brief;
  assert.equal(json.articles.length, N, 'the JSON lists every article considered');
  assert.equal(json.stories.length, 3);

  const text = (await runCli(['brief', 'city', '--offline'], { cwd, env })).stdout;
  const t = citedAndListed(text, /^Sources$/m, /^\[(\d+)\] /gm);
  assert.ok(t.listed.length > 0 && t.listed.length <= 30, `text lists ${t.listed.length} sources`);
  for (const n of t.listed) assert.ok(t.cited.has(n), `text: source [${n}] is cited by a shown story`);

  const markdown = (await runCli(['brief', 'city', '--offline', '--format', 'markdown'], { cwd, env })).stdout;
  const m = citedAndListed(markdown, /^## Sources$/m, /^(\d+)\. /gm);
  assert.deepEqual(m.listed, t.listed, 'Markdown lists the same sources');
  for (const n of m.listed) assert.ok(m.cited.has(n), `markdown: source ${n} is cited`);

  const slack = slackMessages(json);
  const slackText = JSON.stringify(slack);
  const s = citedAndListed(slackText, /\*Sources\*/, /\[(\d+)\] [^|>\\]*\|?/g);
  assert.ok(s.listed.length <= 30, `Slack lists ${s.listed.length} sources`);
  assert.ok(slack.length <= 2, `Slack needs ${slack.length} messages`);

  const discord = JSON.stringify(discordMessages(json));
  const listedInDiscord = [...discord.matchAll(/\[(\d+)\] [^\n"]* — </g)].length;
  assert.ok(listedInDiscord <= 30, `Discord lists ${listedInDiscord} sources`);
});
