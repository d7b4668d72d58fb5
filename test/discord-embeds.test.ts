/** Discord rendering: limits on long briefs, escaping of hostile article text, shown links. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerMessage, briefMessages, DISCORD_LIMITS, embedLength } from '../src/chat/discord/embeds.ts';
import { escapeText, showUrl } from '../src/chat/discord/escape.ts';
import type { Brief, Story } from '../src/core/types.ts';

function story(i: number, claims: number, size: number): Story {
  return {
    id: `s${i}`,
    headline: `Story ${i} ${'headline '.repeat(40)}`,
    summary: 'Summary sentence. '.repeat(size),
    articleIds: [`a${i}`],
    claims: Array.from({ length: claims }, (_, k) => ({ text: `Claim ${k} ${'word '.repeat(size)}`, articleIds: [`a${i}`] })),
    figures: [{ value: '20%', text: `A figure of 20% ${'context '.repeat(size)}`, articleIds: [`a${i}`] }],
    disagreements: [
      {
        about: 'Cost',
        positions: [
          { text: '$4.2 million', articleIds: [`a${i}`] },
          { text: '$30 million', articleIds: [`a${i}`] },
        ],
      },
    ],
  };
}

function longBrief(stories: number, claims: number, size: number): Brief {
  return {
    topic: 'china-ai',
    generatedAt: '2026-11-23T09:00:00.000Z',
    window: { since: '2026-11-22T09:00:00.000Z', until: '2026-11-23T09:00:00.000Z' },
    summarizer: 'extractive',
    usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
    articles: Array.from({ length: stories }, (_, i) => ({ id: `a${i}`, title: `Article ${i}`, url: `https://news.example/${i}` })),
    stories: Array.from({ length: stories }, (_, i) => story(i, claims, size)),
  };
}

test('a long brief is split into messages that each respect every Discord limit', () => {
  for (const [stories, claims, size] of [
    [30, 5, 10],
    [12, 40, 60],
    [3, 200, 30],
    [1, 1, 5000],
  ] as const) {
    const messages = briefMessages(longBrief(stories, claims, size));
    assert.ok(messages.length >= 1);
    for (const message of messages) {
      assert.ok(message.embeds.length <= DISCORD_LIMITS.embedsPerMessage);
      assert.ok(message.content.length <= DISCORD_LIMITS.content);
      const total = message.embeds.reduce((sum, e) => sum + embedLength(e), 0);
      assert.ok(total <= DISCORD_LIMITS.embedCharsPerMessage, `message of ${total} characters`);
      for (const embed of message.embeds) {
        assert.ok((embed.title ?? '').length <= DISCORD_LIMITS.title);
        assert.ok((embed.description ?? '').length <= DISCORD_LIMITS.description);
        assert.ok((embed.fields ?? []).length <= DISCORD_LIMITS.fields);
      }
    }
    // Nothing is dropped: every story's headline appears, in order.
    const titles = messages.flatMap((m) => m.embeds.map((e) => e.title ?? ''));
    for (let i = 0; i < stories; i++)
      assert.ok(
        titles.some((t) => t.startsWith(`${i + 1}. Story ${i} `)),
        `story ${i} shown`,
      );
  }
});

test('a 30-story brief continues past the first message instead of failing', () => {
  const messages = briefMessages(longBrief(30, 5, 10));
  assert.ok(messages.length > 1);
  assert.equal(messages[0]?.content, '');
  assert.match(messages[1]?.content ?? '', /continued, part 2 of/);
});

test('article text cannot mention, format or hide a link', () => {
  const text = escapeText('@everyone @here <@123> <@&9> <#5> **bold** __u__ ||s|| `c` [see](https://evil.example) > quote\n# heading');
  assert.doesNotMatch(text, /@everyone|@here|<@1|<@&|<#/);
  assert.doesNotMatch(text, /(^|[^\\])\*\*|(^|[^\\])\]\(|(^|[^\\])\|\|/);
  assert.doesNotMatch(text, /\n/);
});

test('links are shown in full, only http(s) and file, with link-breaking characters encoded', () => {
  assert.equal(showUrl('https://news.example/a b>c'), 'https://news.example/a%20b%3Ec');
  assert.equal(showUrl('javascript:alert(1)'), undefined);
  assert.equal(showUrl('not a url'), undefined);
  const rendered = answerMessage({
    text: 'It cost $4.2 million [1].',
    sources: [{ id: 'a1', title: '**Harbor** Ledger', url: 'https://harbor.example/t' }],
    answered: true,
  });
  assert.match(rendered.embeds[0]?.description ?? '', /\[1\] \\\*\\\*Harbor\\\*\\\* Ledger — <https:\/\/harbor\.example\/t>/);
});

test('answer citations stay readable as [n] but never become a masked link', () => {
  const rendered = answerMessage({
    text: 'It cost $4.2 million [1]. See [2](https://evil.example/x) @everyone',
    sources: [{ id: 'a1', title: 'Harbor', url: 'https://harbor.example/t' }],
    answered: true,
  });
  const description = rendered.embeds[0]?.description ?? '';
  assert.match(description, /million \[1\]\./);
  assert.match(description, /\\\[2\\\]\(https/);
  assert.doesNotMatch(description, /@everyone/);
});

test('the header names sources that have been failing, so a dead feed is noticed', () => {
  const brief: Brief = {
    ...longBrief(1, 1, 1),
    failingSources: [
      {
        sourceId: 'x',
        url: 'https://dead.example/feed.xml',
        failureStreak: 3,
        failingSince: '2026-11-20T06:00:00.000Z',
        lastError: 'HTTP 403 **forbidden**',
      },
    ],
  };
  const header = briefMessages(brief)[0]?.embeds[0]?.description ?? '';
  assert.match(header, /1 source failing/);
  assert.match(header, /dead\.example\/feed\.xml since 2026-11-20 \(HTTP 403 \\\*\\\*forbidden\\\*\\\*\)/);
});

test('sources are numbered as in every other renderer (cited first, in story order), and a window "all" reads "everything up to"', () => {
  const base = longBrief(2, 1, 1);
  // Article a1 is listed second but cited first: every renderer calls it [1].
  const brief: Brief = {
    ...base,
    window: { since: new Date(0).toISOString(), until: base.window.until },
    stories: [{ ...story(1, 1, 1), claims: [{ text: 'Claim', articleIds: ['a1'] }] }, story(0, 1, 1)],
  };
  const [header, first, second] = briefMessages(brief)[0]?.embeds ?? [];
  assert.match(header?.description ?? '', /Window: everything up to 2026-11-23 09:00 UTC/);
  assert.match(first?.description ?? '', /• Claim \[1\]/);
  assert.match(first?.description ?? '', /\[1\] Article 1/);
  assert.match(second?.description ?? '', /\[2\] Article 0/);
});
