/**
 * A day's topic window, briefed end to end by the CLI: the invented Lakeport window
 * (test/fixtures/windows/lakeport.ts) holds a fire reported by three outlets in their own
 * words, its next-day and day-3 follow-ups, a syndicated copy, the same company's quarterly
 * results (another event), a ferry timetable story of the same city and an off-topic match report.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown } from '../src/render/markdown.ts';
import { renderText } from '../src/render/text.ts';
import { briefMessages } from '../src/chat/slack/blocks.ts';
import { briefMessages as discordMessages } from '../src/chat/discord/embeds.ts';
import { LAKEPORT } from './fixtures/windows/lakeport.ts';
import { briefWindow } from './helpers/window.ts';

test('same-story reports merge across outlets and days; another event of the company, another story of the city and the off-topic item stay apart; the copy counts once', async () => {
  const { brief, stories } = await briefWindow(LAKEPORT);
  const byFirst = [...stories].sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  assert.deepEqual(byFirst, [
    ['ferry'],
    ['fire-cause', 'fire-local', 'fire-reopen', 'fire-trade', 'fire-wire'],
    ['football'],
    ['results', 'results-2'],
  ]);
  assert.equal(stories.length, 4);
  assert.ok(!brief.articles.some((a) => a.url.endsWith('/fire-copy')), 'the syndicated copy is collapsed into its original');
  // Each article is credited to the outlet that wrote it.
  const wire = brief.articles.find((a) => a.url.endsWith('/fire-wire'));
  assert.equal(wire?.publisher, 'Northern Wire');
});

test('a brief that shows fewer stories than it found says how many articles it left out, in every renderer, and lists them in the JSON', async () => {
  const { brief, keyOf } = await briefWindow(LAKEPORT, { maxStories: 2 });
  assert.equal(brief.stories.length, 2);
  const left = brief.leftOut ?? [];
  assert.deepEqual(
    left
      .map((s) => s.articleIds.map(keyOf))
      .flat()
      .sort(),
    ['ferry', 'football'],
  );
  assert.ok(left.every((s) => s.headline.length > 0));
  const line = '2 more articles in 2 smaller stories.';
  assert.ok(renderText(brief).includes(line));
  assert.ok(renderMarkdown(brief).includes(line));
  assert.ok(JSON.stringify(briefMessages(brief)).includes(line));
  assert.ok(JSON.stringify(discordMessages(brief)).includes(line));
  // Every article of the window is still listed, shown or not.
  for (const key of ['ferry', 'football']) assert.ok(brief.articles.some((a) => a.url.endsWith(`/${key}`)));
});

test('the fire story shows its disagreements and none of its near-misses', async () => {
  const { storyOf, keyOf } = await briefWindow(LAKEPORT);
  const fire = storyOf('fire-wire')!;
  const cites = (d: (typeof fire.disagreements)[number]) => d.positions.map((p) => p.articleIds.map(keyOf).sort().join('+'));
  const text = JSON.stringify(fire.disagreements);
  // Evacuees: "some 3,000 residents" vs police's "about 1,200".
  assert.ok(
    fire.disagreements.some((d) => /3,000/.test(JSON.stringify(d)) && /1,200/.test(JSON.stringify(d))),
    text,
  );
  // Timing: "by March" vs "not before 2028".
  assert.ok(
    fire.disagreements.some((d) => /by March/.test(JSON.stringify(d)) && /before 2028/.test(JSON.stringify(d))),
    text,
  );
  // The cause: a faulty valve (company) vs no sign of one (inspectors).
  assert.ok(
    fire.disagreements.some((d) => cites(d).some((c) => c === 'fire-cause') && /faulty valve/i.test(JSON.stringify(d))),
    text,
  );
  // Design capacity against last year's output is no disagreement.
  assert.ok(!/120,000/.test(text), text);
  const results = storyOf('results')!;
  assert.ok(
    results.disagreements.some((d) => /14%/.test(JSON.stringify(d)) && /12%/.test(JSON.stringify(d))),
    JSON.stringify(results.disagreements),
  );
});

test('a brief read in two minutes: no sentence is repeated across summary, claims, figures and positions', async () => {
  const { brief } = await briefWindow(LAKEPORT);
  const norm = (t: string): string =>
    t
      .toLowerCase()
      .replace(/[…]|\.\.\.$/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  for (const story of brief.stories) {
    const parts: Array<[string, string[]]> = [
      ['summary', story.summary.split(/(?<=[.!?])\s+/)],
      ['claims', story.claims.map((c) => c.text)],
      // A figure whose sentence is shown elsewhere keeps only the words around its value ("…at about 1,200, far fewer…").
      ['figures', story.figures.map((f) => f.text).filter((t) => !t.startsWith('…'))],
      ['positions', story.disagreements.flatMap((d) => d.positions.map((p) => p.text))],
    ];
    const seen = new Map<string, string>();
    for (const [part, texts] of parts) {
      for (const text of texts.map(norm).filter((t) => t.split(' ').length >= 8)) {
        const earlier = [...seen].find(([t, p]) => p !== part && (t.includes(text) || text.includes(t)));
        assert.ok(!earlier, `${story.headline}: "${text}" in ${part} repeats ${earlier?.[1]}`);
        seen.set(text, part);
      }
    }
  }
});

test('a brief does not depend on store ids: the same articles under other ids read in the same order', async () => {
  const { buildBrief } = await import('../src/brief/index.ts');
  const { ExtractiveSummarizer } = await import('../src/brief/summarize/extractive.ts');
  const { silentLogger } = await import('../src/core/log.ts');
  const topic = {
    id: 'lake',
    title: 'lake',
    sources: [],
    include: [],
    exclude: [],
    window: 'all',
    channels: [],
    summarizer: { kind: 'extractive' as const, maxStories: 8 },
  };
  const build = async (idOf: (i: number) => string) => {
    const articles = LAKEPORT.map((a, i) => ({
      ...a,
      id: idOf(i),
      url: `https://window.example/${a.key}`,
      canonicalUrl: `https://window.example/${a.key}`,
      contentHash: a.key,
      firstSeenAt: '2026-03-05T00:00:00Z',
      sourceId: 'folder',
    }));
    const built = await buildBrief({
      topic,
      articles,
      window: { since: new Date(0), until: new Date('2026-03-05T00:00:00Z') },
      summarizer: new ExtractiveSummarizer(),
      logger: silentLogger,
      now: new Date('2026-03-05T00:00:00Z'),
    });
    return JSON.stringify({ ...built.brief, generatedAt: '' });
  };
  // Store ids are hashes of URLs: a port or a tracking parameter changes all of them.
  assert.equal(await build((i) => `art_${String(i).padStart(2, '0')}`), await build((i) => `art_${String(99 - i)}`));
});

test('a Chinese report of the event joins the English ones through the names and figures both write', async () => {
  const { clusterArticles } = await import('../src/brief/cluster/index.ts');
  const stories = clusterArticles([
    {
      id: 'en1',
      title: 'Former Orbis AI chief says Chinese labs trail by 3 months',
      text: 'Ma Lin, who led the Orbis model team, said Chinese labs trail US rivals by at least 3 months and could fall 6 months behind if Vantor releases Vantor-7.2 this year. Chinese teams mostly follow DeepSeek, he said.',
      publishedAt: '2026-05-22T08:00:00Z',
    },
    {
      id: 'en2',
      title: 'Ex-Orbis model head: gap could widen to 6 months',
      text: 'The gap between Chinese and American labs is 3 months today and may widen to 6 months, Ma Lin told an interviewer, pointing to a possible Vantor-7.2 launch. He said Chinese firms copy DeepSeek and US labs.',
      publishedAt: '2026-05-22T10:00:00Z',
    },
    {
      id: 'zh',
      title: '前Orbis模型负责人：中美差距至少3个月',
      text: '马林表示，中美之间的技术差距至少为3个月，如果Vantor发布Vantor-7.2，差距可能扩大到6个月。他说中国企业大多跟随DeepSeek的路线。',
      publishedAt: '2026-05-22T12:00:00Z',
    },
    {
      id: 'other',
      title: 'Rail operator orders 40 new trains',
      text: 'The national rail operator ordered 40 electric trains for its northern lines, with deliveries starting in 2028, the company said on Friday.',
      publishedAt: '2026-05-22T09:00:00Z',
    },
  ]);
  const withZh = stories.find((s) => s.articleIds.includes('zh'))!;
  assert.deepEqual([...withZh.articleIds].sort(), ['en1', 'en2', 'zh']);
});
