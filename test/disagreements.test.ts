/** Disagreements: what counts as sources at odds, and what is only agreement written differently. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoryArticle } from '../src/core/types.ts';
import { verifyStory } from '../src/pipeline/verify.ts';
import { summarizeExtractive } from '../src/summarize/extractive.ts';

function article(id: string, title: string, text: string): StoryArticle {
  return { id, title, text, url: `https://news.test/${id}` };
}

function disagreementsOf(articles: StoryArticle[]) {
  const { story } = verifyStory(summarizeExtractive({ id: 's1', articles }), articles);
  return story.disagreements;
}

test('the same quantity with different values from different sources', () => {
  const ds = disagreementsOf([
    article('a1', 'Merger approved', 'Regulators approved the merger of Norvik Rail and Baltline on Monday. The deal is valued at €3.1 billion, the companies said.'),
    article('a2', 'Rail merger cleared', 'The merger of Norvik Rail and Baltline was cleared by regulators. Analysts said the deal is valued at €2.9 billion including debt.'),
    article('a3', 'Norvik and Baltline to merge', 'Norvik Rail and Baltline will merge after regulators gave their approval. The combined firm will employ 14,000 people.'),
  ]);
  const money = ds.find((d) => d.positions.some((p) => p.text.includes('€3.1 billion')) && d.positions.some((p) => p.text.includes('€2.9 billion')));
  assert.ok(money, JSON.stringify(ds));
  assert.deepEqual(money.positions.find((p) => p.text.includes('€3.1'))!.articleIds, ['a1']);
  assert.deepEqual(money.positions.find((p) => p.text.includes('€2.9'))!.articleIds, ['a2']);
  assert.match(money.about, /deal|valued/i);
});

test('agreement written differently is not a disagreement', () => {
  const ds = disagreementsOf([
    article('a1', 'Strike to last three months', 'The dockers union said the strike will last three months. Union leader Ada Voss said pay talks had failed.'),
    article('a2', 'Dockers strike for 3 months', 'Dockers will strike for 3 months, the union said on Friday. Ada Voss said pay talks had failed after a year.'),
    article('a3', 'Port strike set', 'A port strike will last 3 months, union officials said. Talks on pay had failed, according to Ada Voss.'),
  ]);
  assert.deepEqual(ds, []);
});

test('one article giving two values (a forecast) is not a disagreement with itself', () => {
  const ds = disagreementsOf([
    article('a1', 'Gap may widen', 'The analyst put the gap at 3 months and said it could widen to 6 months this year. Others agreed with the analyst.'),
    article('a2', 'Gap estimate', 'An analyst estimated the gap at 3 months and warned it could widen to 6 months this year.'),
  ]);
  assert.ok(!ds.some((d) => /gap: different/i.test(d.about)), JSON.stringify(ds));
});

test('opposite assessments of the same question', () => {
  const ds = disagreementsOf([
    article('a1', 'Rivers recovering', 'Environment officials said pollution in the Marl river is falling after the new filters were installed.'),
    article('a2', 'River pollution worse', 'Fishermen said pollution in the Marl river is rising despite the new filters, and fish stocks are down.'),
  ]);
  const d = ds.find((x) => /rising or falling/i.test(x.about));
  assert.ok(d, JSON.stringify(ds));
  assert.deepEqual(d.positions.map((p) => p.articleIds[0]).sort(), ['a1', 'a2']);
});

test('negation flips an assessment; agreeing assessments are not at odds', () => {
  const ds = disagreementsOf([
    article('a1', 'Bridge unsafe', 'Engineers said the old bridge is unsafe for heavy trucks and must close.'),
    article('a2', 'Bridge not safe', 'The old bridge is not safe for heavy trucks, engineers warned, and must close.'),
  ]);
  assert.deepEqual(ds, []);
});

test('conflicting credit for who reported the story', () => {
  const ds = disagreementsOf([
    article('a1', 'Minister resigns', 'The transport minister resigned on Sunday, according to the Northern Daily Post. She gave no reason.'),
    article('a2', 'Transport minister quits', 'The transport minister has resigned, as reported by Reuters, citing two officials.'),
  ]);
  const d = ds.find((x) => /who reported/i.test(x.about));
  assert.ok(d, JSON.stringify(ds));
  assert.equal(d.positions.length, 2);
});

test('two named speakers at odds within one article', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Debate over the new stadium',
      'Mayor Karin Holt said the new stadium will pay for itself within a decade, but councillor Omar Diallo said the city will carry the debt for thirty years.',
    ),
  ]);
  assert.equal(ds.length, 1, JSON.stringify(ds));
  assert.match(ds[0]!.about, /Karin Holt.*Omar Diallo/);
});

test('two named speakers at odds in separate sentences of one article', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Tram fares',
      'Transport chief Lena Kovac said tram ridership is rising since fares were cut. Opposition leader Piet Marsh said tram ridership is falling despite the cheaper fares.',
    ),
  ]);
  assert.ok(ds.some((d) => /rising or falling/i.test(d.about) && d.positions.length === 2), JSON.stringify(ds));
});
