import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Brief } from '../src/core/types.ts';
import { renderBrief } from '../src/render/index.ts';

const brief: Brief = {
  topic: 'china-ai',
  generatedAt: '2026-11-23T09:00:00.000Z',
  window: { since: '2026-11-22T09:00:00.000Z', until: '2026-11-23T09:00:00.000Z' },
  summarizer: 'extractive',
  articles: [
    {
      id: 'a1',
      title: 'Ex-Tencent lead: the gap is at least 3 months',
      url: 'https://news.example/a1',
      publisher: 'Example News',
      publishedAt: '2026-11-22T10:00:00.000Z',
    },
    { id: 'a2', title: '[click](javascript:alert(1)) <!channel> @everyone **bold**', url: 'javascript:alert(1)' },
    { id: 'a3', title: 'Uncited', url: 'file:///tmp/a3.txt' },
  ],
  stories: [
    {
      id: 's1',
      headline: 'Former Tencent AI chief says the US lead is growing, and explains at some length why the gap could double within the year',
      summary: 'A former head of Tencent’s Hunyuan models said the gap is at least 3 months and may widen to 6 months.',
      articleIds: ['a1', 'a2'],
      claims: [{ text: 'Chinese firms follow rather than set directions, Liu Wei said.', articleIds: ['a1'] }],
      figures: [{ value: 'at least 3 months', text: 'He put the gap at at least 3 months.', articleIds: ['a1'] }],
      disagreements: [
        {
          about: 'Is the gap closing?',
          positions: [
            { text: 'Benchmarks suggest it is narrowing.', articleIds: ['a1'] },
            { text: 'It may be widening.', articleIds: ['a2'] },
          ],
        },
      ],
    },
  ],
  usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
  failingSources: [
    { sourceId: 'x', url: 'https://feeds.example/rss', failureStreak: 3, failingSince: '2026-11-20T00:00:00.000Z', lastError: 'HTTP 403' },
  ],
};

test('text: fits 80 columns, numbers sources in citation order, notes failing sources', () => {
  const text = renderBrief(brief, 'text');
  for (const line of text.split('\n')) assert.ok(line.length <= 80 || !line.includes(' '), `too wide: ${line}`);
  assert.match(text, /at least 3 months: He put the gap at at least 3 months\. \[1\]/);
  assert.match(text, /\[1\] Ex-Tencent lead/);
  assert.doesNotMatch(text, /Uncited/, 'an article no shown story cites is not in the Sources list');
  assert.match(text, /1 source failing: https:\/\/feeds\.example\/rss since 2026-11-20 \(HTTP 403\)/);
});

test('the window reads as dates, and a window with no start (all) as "everything up to …"', () => {
  assert.match(renderBrief(brief, 'text'), /2026-11-22 09:00 UTC to 2026-11-23 09:00 UTC/);
  const all: Brief = { ...brief, window: { since: new Date(0).toISOString(), until: brief.window.until } };
  for (const format of ['text', 'markdown'] as const) {
    const out = renderBrief(all, format);
    assert.match(out, /everything up to 2026-11-23 09:00 UTC/);
    assert.doesNotMatch(out, /1970/);
  }
});

test('markdown: article text cannot add links, HTML or pings; bad URLs are not linked', () => {
  const md = renderBrief(brief, 'markdown');
  assert.ok(!/(?<!\\)\]\(javascript:/.test(md), 'no javascript: link');
  assert.ok(!md.includes('<!channel>'));
  assert.ok(!md.includes('@everyone'));
  assert.match(md, /\\\[click\\\]/);
  assert.match(md, /\[Ex-Tencent lead: the gap is at least 3 months\]\(https:\/\/news\.example\/a1\)/);
});

test('json: the docs/contracts.md contract round-trips', () => {
  const parsed = JSON.parse(renderBrief(brief, 'json')) as Brief;
  assert.deepEqual(parsed, brief);
});

test('an empty brief says so plainly', () => {
  const empty: Brief = { ...brief, stories: [], articles: [] };
  assert.match(renderBrief(empty, 'text'), /No new articles on china-ai since 2026-11-22 09:00 UTC\./);
});
