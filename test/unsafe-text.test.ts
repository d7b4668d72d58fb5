/**
 * Article text cannot format a chat message, and a remote feed cannot smuggle a link: Slack
 * mrkdwn markers (_ ~ ` ``` *) from articles are shown, not applied (the real Bolt app posting
 * to the fake Slack), and a remote feed's file:, javascript: or data: link is never an
 * article's URL, so no renderer (Markdown, JSON, Slack, Discord) shows it as a link.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { briefMessages as discordMessages } from '../src/chat/discord/embeds.ts';
import { briefMessages as slackMessages } from '../src/chat/slack/blocks.ts';
import { toTopic } from '../src/config/load.ts';
import { topicSchema } from '../src/config/schema.ts';
import type { Brief } from '../src/core/types.ts';
import { startHttpServer, type FakeHttpServer } from './fakes/http-server.ts';
import { sendSigned, slashCommandBody, waitFor } from './fakes/slack.ts';
import { inventedArticle } from './helpers/articles.ts';
import { runCli, tempDir } from './helpers/cli.ts';
import { SIGNING_SECRET, startHarness, type Harness } from './helpers/slack-serve.ts';

const ZWSP = '\u200b';

describe('Slack: article text cannot format the message', () => {
  let h: Harness;
  before(async () => {
    const dir = tempDir('briefbot-marks-');
    mkdirSync(join(dir, 'news'));
    writeFileSync(
      join(dir, 'news', 'marks.txt'),
      'The _quiet_ ~fall~ of `rates` in *Harbour*\n\nOfficials said the _new_ policy would ~end~ the `legacy` scheme on Monday, the harbour council said in a statement. ' +
        'A banner reading ```rm -rf /``` hung over the pier while 300 dock workers marched past the council offices.\n',
    );
    const topic = toTopic(
      topicSchema.parse({ id: 'marks', sources: [{ path: join(dir, 'news') }], window: 'all', summarizer: { kind: 'extractive' } }),
      0,
      dir,
    );
    h = await startHarness({ topics: [topic] });
  });
  after(() => h.close());

  test('_italic_, ~strike~, `code`, ``` fences and *bold* from an article reach Slack inert', async () => {
    const res = await sendSigned(
      h.eventsUrl,
      SIGNING_SECRET,
      slashCommandBody({ text: 'marks', channel: 'C0900', responseUrl: h.slack.responseUrl() }),
      {
        contentType: 'application/x-www-form-urlencoded',
      },
    );
    assert.equal(res.status, 200);
    await waitFor(() => h.slack.messagesIn('C0900').length > 0, 15_000, 'brief posted');
    const posted = JSON.parse(JSON.stringify(h.slack.messagesIn('C0900').map((m) => [m.text, m.blocks]))) as unknown;
    const text = JSON.stringify(posted);
    for (const raw of ['_quiet_', '~fall~', '`rates`', '*Harbour*', '_new_', '~end~', '`legacy`', '```']) {
      assert.ok(!text.includes(raw), `"${raw}" reached Slack as mrkdwn`);
    }
    assert.ok(text.includes(`${ZWSP}_${ZWSP}quiet${ZWSP}_${ZWSP}`), 'the markers are still shown');
    assert.ok(text.includes(`${ZWSP}\`${ZWSP}${ZWSP}\`${ZWSP}${ZWSP}\`${ZWSP}rm -rf /`), 'a fence is shown as its characters');
  });
});

describe('a remote feed linking to file:, javascript: and data:', () => {
  let server: FakeHttpServer;
  let n = 0;
  const item = (title: string, link: string) =>
    `<item><title>${title}</title><link>${link}</link><guid isPermaLink="false">${title}</guid><description>${title} was announced on Monday. ${inventedArticle(n++).split('\n\n').slice(1).join(' ')}</description></item>`;
  before(async () => {
    const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Links</title>${[
      item('Pier closes for repairs', 'file:///etc/passwd'),
      item('Tram line reopens', 'javascript:alert(document.cookie)'),
      item('Museum extends hours', 'data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;'),
      item('Library gets new roof', 'LIBRARY_URL'),
    ].join('')}</channel></rss>`;
    // Every link stays on this server: a teaser's page fetch must not leave 127.0.0.1.
    server = await startHttpServer({
      '/links.xml': (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed.replace('LIBRARY_URL', `${server.url}/library-roof`)),
    });
  });
  after(() => server.close());

  test('never becomes a link in Markdown, JSON, Slack or Discord', async () => {
    const cwd = tempDir('briefbot-links-');
    const env = { BRIEFBOT_DB: join(cwd, 'b.db'), BRIEFBOT_ALLOW_HOSTS: '127.0.0.1' };
    const source = `${server.url}/links.xml`;
    const json = await runCli(['brief', 'links', '--source', source, '--format', 'json'], { cwd, env });
    assert.equal(json.code, 0, json.stderr);
    const brief = JSON.parse(json.stdout) as Brief;
    assert.equal(brief.articles.length, 4, 'the items are kept, under stand-in URLs');
    for (const a of brief.articles) assert.match(a.url, /^https?:\/\//, `${a.title}: ${a.url}`);
    const markdown = (await runCli(['brief', 'links', '--source', source, '--format', 'markdown', '--offline'], { cwd, env })).stdout;
    const rendered = [markdown, JSON.stringify(slackMessages(brief)), JSON.stringify(discordMessages(brief))];
    for (const out of rendered) {
      assert.doesNotMatch(out, /file:\/\/\/etc\/passwd|javascript:|data:text/);
    }
    assert.match(markdown, /\]\(http:\/\/127\.0\.0\.1:\d+\/library-roof\)/, 'an http link is still a link');
  });
});
