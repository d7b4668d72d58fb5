/** Block Kit rendering and mrkdwn escaping: limits respected by continuing, nothing injected. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerMessage, briefMessages, SLACK_LIMITS } from '../src/chat/slack/blocks.ts';
import { escapeMrkdwn, linkTarget, mrkdwnLink, splitText } from '../src/chat/slack/escape.ts';
import type { Brief, Story } from '../src/core/types.ts';

function story(i: number, claimLength: number): Story {
  return {
    id: `s${i}`,
    headline: `Story ${i} <@U123> & friends`,
    summary: `Summary of story ${i}.`,
    articleIds: ['a1', 'a2'],
    claims: Array.from({ length: 6 }, (_, j) => ({ text: `Claim ${j} ${'x'.repeat(claimLength)}`, articleIds: ['a1'] })),
    figures: [{ value: '20%', text: 'Prices rose 20% in a year.', articleIds: ['a2'] }],
    disagreements: [
      {
        about: 'Cost',
        positions: [
          { text: 'It was cheap.', articleIds: ['a1'] },
          { text: 'It was dear.', articleIds: ['a2'] },
        ],
      },
    ],
  };
}

function brief(stories: Story[]): Brief {
  return {
    topic: 'harbor',
    generatedAt: '2026-11-23T09:00:00.000Z',
    window: { since: '2026-11-22T09:00:00.000Z', until: '2026-11-23T09:00:00.000Z' },
    summarizer: 'extractive',
    articles: [
      { id: 'a1', title: '<!channel> read this', url: 'https://example.com/a?x=1&y=<2>', publisher: 'Ex' },
      { id: 'a2', title: 'Fake <https://evil.example|bank.com> link', url: 'javascript:alert(1)' },
    ],
    stories,
    usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
    failingSources: [
      {
        sourceId: 's',
        url: 'https://feeds.example.com/rss',
        failureStreak: 3,
        failingSince: '2026-11-23T06:00:00.000Z',
        lastError: 'HTTP 403',
      },
    ],
  };
}

describe('slack blocks', () => {
  it('escapes &, < and > and keeps links safe', () => {
    assert.equal(escapeMrkdwn('<!channel> & <@U1>'), '&lt;!channel&gt; &amp; &lt;@U1&gt;');
    assert.equal(linkTarget('javascript:alert(1)'), undefined);
    assert.equal(linkTarget('https://e.com/a|b>c'), 'https://e.com/a%7Cb%3Ec');
    assert.equal(mrkdwnLink('https://e.com/', '[1] <b>|x'), '<https://e.com/|[1] &lt;b&gt;¦x>');
  });

  it('splits long text at line ends without losing characters', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i} ${'y'.repeat(90)}`).join('\n');
    const pieces = splitText(text, 3000);
    assert.ok(pieces.every((p) => p.length <= 3000));
    assert.equal(pieces.join('\n'), text);
  });

  it('renders header, stories, numbered sources and a failing-sources footer; no injected mention or link', () => {
    const [message, ...rest] = briefMessages(brief([story(1, 20)]));
    assert.equal(rest.length, 0);
    const json = JSON.stringify(message);
    assert.equal(message!.blocks[0]!.type, 'header');
    assert.doesNotMatch(json, /<!channel>|<@U123>|<https:\/\/evil/);
    assert.match(json, /\[1\] &lt;!channel&gt; read this/);
    assert.match(json, /<https:\/\/example.com\/a\?x=1&amp;y=%3C2%3E\|\[1\]/);
    assert.match(json, /\[2\] Fake &lt;https:\/\/evil.example¦bank.com&gt; link/, 'a javascript: URL is shown as text, not linked');
    assert.match(json, /1 source failing: https:\/\/feeds.example.com\/rss since 2026-11-23 \(HTTP 403\)/, 'worded as in every renderer');
    assert.ok(message!.text.length > 0);
    const disagreement = message!.blocks.find((b) => b.type === 'section' && b.fields !== undefined);
    assert.equal(disagreement?.type === 'section' && disagreement.fields?.length, 2, 'positions side by side');
  });

  it('continues in further messages instead of truncating when a brief exceeds Slack limits', () => {
    const big = brief(Array.from({ length: 30 }, (_, i) => story(i + 1, 700)));
    const messages = briefMessages(big);
    assert.ok(messages.length > 1);
    for (const m of messages) {
      assert.ok(m.blocks.length <= SLACK_LIMITS.maxBlocks);
      for (const b of m.blocks) {
        if (b.type === 'section' && b.text) assert.ok(b.text.text.length <= SLACK_LIMITS.maxText);
      }
    }
    const all = JSON.stringify(messages);
    for (let i = 1; i <= 30; i += 1) assert.match(all, new RegExp(`Story ${i} &lt;@U123&gt;`));
    assert.equal((all.match(/Claim 5 x{700}/g) ?? []).length, 30, 'every claim kept in full');
  });

  it('no failing-sources footer when all sources are healthy', () => {
    const { failingSources: _healthy, ...healthy } = brief([story(1, 20)]);
    assert.doesNotMatch(JSON.stringify(briefMessages(healthy)), /failing/);
  });

  it('renders an answer with escaped text and numbered source links', () => {
    const m = answerMessage({
      text: 'The union said 800 jobs <!here> [1].',
      sources: [{ id: 'a1', title: 'T & <x>', url: 'https://e.com/' }],
      answered: true,
    });
    const json = JSON.stringify(m);
    assert.doesNotMatch(json, /<!here>/);
    assert.match(json, /<https:\/\/e.com\/\|\[1\] T &amp;amp; &lt;x&gt;>|<https:\/\/e.com\/\|\[1\] T &amp; &lt;x&gt;>/);
  });
});
