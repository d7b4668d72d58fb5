/** Disagreements: what counts as sources at odds, and what is only agreement written differently. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoryArticle } from '../src/core/types.ts';
import { verifyStory } from '../src/brief/verify.ts';
import { summarizeExtractive } from '../src/brief/summarize/extractive.ts';

function article(id: string, title: string, text: string, publisher?: string): StoryArticle {
  return { id, title, text, url: `https://news.test/${id}`, ...(publisher !== undefined && { publisher }) };
}

function disagreementsOf(articles: StoryArticle[]) {
  const { story } = verifyStory(summarizeExtractive({ id: 's1', articles }), articles);
  return story.disagreements;
}

test('the same quantity with different values from different sources', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Merger approved',
      'Regulators approved the merger of Norvik Rail and Baltline on Monday. The deal is valued at €3.1 billion, the companies said.',
    ),
    article(
      'a2',
      'Rail merger cleared',
      'The merger of Norvik Rail and Baltline was cleared by regulators. Analysts said the deal is valued at €2.9 billion including debt.',
    ),
    article(
      'a3',
      'Norvik and Baltline to merge',
      'Norvik Rail and Baltline will merge after regulators gave their approval. The combined firm will employ 14,000 people.',
    ),
  ]);
  const money = ds.find(
    (d) => d.positions.some((p) => p.text.includes('€3.1 billion')) && d.positions.some((p) => p.text.includes('€2.9 billion')),
  );
  assert.ok(money, JSON.stringify(ds));
  assert.deepEqual(money.positions.find((p) => p.text.includes('€3.1'))!.articleIds, ['a1']);
  assert.deepEqual(money.positions.find((p) => p.text.includes('€2.9'))!.articleIds, ['a2']);
  assert.match(money.about, /deal|valued/i);
});

test('agreement written differently is not a disagreement', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Strike to last three months',
      'The dockers union said the strike will last three months. Union leader Ada Voss said pay talks had failed.',
    ),
    article(
      'a2',
      'Dockers strike for 3 months',
      'Dockers will strike for 3 months, the union said on Friday. Ada Voss said pay talks had failed after a year.',
    ),
    article(
      'a3',
      'Port strike set',
      'A port strike will last 3 months, union officials said. Talks on pay had failed, according to Ada Voss.',
    ),
  ]);
  assert.deepEqual(ds, []);
});

test('one article giving two values (a forecast) is not a disagreement with itself', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Gap may widen',
      'The analyst put the gap at 3 months and said it could widen to 6 months this year. Others agreed with the analyst.',
    ),
    article('a2', 'Gap estimate', 'An analyst estimated the gap at 3 months and warned it could widen to 6 months this year.'),
  ]);
  assert.ok(!ds.some((d) => /gap: different/i.test(d.about)), JSON.stringify(ds));
});

test('opposite assessments of the same question', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Rivers recovering',
      'Environment officials said pollution in the Marl river is falling after the new filters were installed.',
    ),
    article(
      'a2',
      'River pollution worse',
      'Fishermen said pollution in the Marl river is rising despite the new filters, and fish stocks are down.',
    ),
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
    article(
      'a1',
      'Minister resigns',
      'The transport minister resigned on Sunday, according to the Northern Daily Post. She gave no reason.',
    ),
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
  assert.ok(
    ds.some((d) => /rising or falling/i.test(d.about) && d.positions.length === 2),
    JSON.stringify(ds),
  );
});

test('a rounded or approximate figure agrees with the exact one', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Transit bill filed',
      'The Harlow transit bill runs to some 2,700 pages, the clerk said. About 10,000 residents signed the petition for it.',
    ),
    article(
      'a2',
      'Transit bill published',
      'The Harlow transit bill runs to 2,702 pages, according to the clerk. A petition for it was signed by 10,503 residents.',
    ),
  ]);
  assert.deepEqual(ds, []);
});

test('a forecast or an earlier reading is not set against the reported figure', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Hiring slows in Velmar',
      'Velmar employers added 235,000 jobs in August, far fewer than the 700,000 jobs expected by economists.',
    ),
    article('a2', 'Velmar jobs report', 'Velmar employers added 235,000 jobs in August, down from 943,000 jobs added in July.'),
  ]);
  assert.deepEqual(ds, []);
});

test('two figures with the same unit but different subjects are not a conflict', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Games open in Ostra',
      'The Ostra games will host about 11,000 athletes from more than 200 countries in the new village.',
    ),
    article('a2', 'Games begin', 'Team doctor Mira Hale said 4,500 athletes have filled out their health forms before the games.'),
  ]);
  assert.ok(!ds.some((d) => /athletes/i.test(d.about)), JSON.stringify(ds));
});

test('different counts from different sources are shown, a bound just under the exact figure is not', () => {
  const tolls = disagreementsOf([
    article(
      'a1',
      'Weekend shootings',
      'At least 150 people were killed in shootings across Norland over the holiday weekend, the archive said.',
    ),
    article(
      'a2',
      'Holiday violence',
      'More than 180 people were killed in shootings across Norland over the holiday weekend, the archive reported.',
    ),
  ]);
  assert.ok(
    tolls.some((d) => d.positions.some((p) => /150/.test(p.text)) && d.positions.some((p) => /180/.test(p.text))),
    JSON.stringify(tolls),
  );
  const offer = disagreementsOf([
    article('a1', 'New roads offer', 'Senators unveiled an offer that would spend $928 billion over eight years on roads and bridges.'),
    article(
      'a2',
      'Counteroffer on roads',
      'Senators unveiled a counteroffer that would spend more than $920 billion over eight years on roads and bridges.',
    ),
  ]);
  assert.deepEqual(offer, []);
});

test('a season, a question or a clause with cues both ways is no assessment', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Budget talks',
      'Council leader Ruth Amsel said the budget deficit will rise this year. The plan sets up epic fall fights in the Tarn council.',
    ),
    article(
      'a2',
      'Budget plan',
      'Why would the Tarn council deficit fall now? Jobs rose by 2,000 in May, down from 9,000 in April, in the Tarn region.',
    ),
  ]);
  assert.ok(!ds.some((d) => /rising or falling/i.test(d.about)), JSON.stringify(ds));
});

test('headlines at odds: "can still win" against "less than 20% chance to beat"', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Norland is losing the chip race but can still win in robotics, ex-Vantor chief says',
      'A former Vantor chief said Norland can still lead in robotics through factories.',
    ),
    article(
      'a2',
      "Norland's robotics leaders see less than 20% chance to beat Ostran rivals",
      'Robotics executives put the odds of any Norland firm surpassing Ostran rivals at less than 20%.',
    ),
  ]);
  const d = ds.find((x) => /ahead or behind/i.test(x.about));
  assert.ok(d, JSON.stringify(ds));
  assert.deepEqual(d.positions.map((p) => p.articleIds[0]).sort(), ['a1', 'a2']);
});

test('credit for a detail, or to an agency, is not a dispute over who reported the story', () => {
  const ds = disagreementsOf([
    article(
      'a1',
      'Meat plants halted',
      'Five Kessel beef plants halted work after a weekend hack. The plants handle 22,500 cattle a day. Kessel said backups were intact. Kessel produces a quarter of Norland beef, according to the Harbour Journal.',
    ),
    article(
      'a2',
      'Hack halts plants',
      'A hack halted five Kessel beef plants, according to the CDC. The company said backups were intact.',
    ),
  ]);
  assert.ok(!ds.some((d) => /who reported/i.test(d.about)), JSON.stringify(ds));
});

test('different names for what the firms build on', () => {
  const ds = disagreementsOf([
    article('a1', 'Ostra labs lag', 'Ostra robotics firms remain dependent on models developed by Arkon and Velt, the report said.'),
    article('a2', 'Ostra labs follow', 'Ostra robotics firms are following approaches used by Quarry Labs, an analyst said.'),
  ]);
  const d = ds.find((x) => /builds on/i.test(x.about));
  assert.ok(d, JSON.stringify(ds));
  assert.deepEqual(d.positions.map((p) => p.articleIds[0]).sort(), ['a1', 'a2']);
});

test('low odds worded two ways agree: "a less than 20 percent chance that a firm overtakes" and "the chance of surpassing … at under one in five"', () => {
  const ds = disagreementsOf([
    article(
      'b1',
      'Odds of overtaking Corvid Labs put low',
      'At the Kessel summit, Mira Holt of Tessaly Robotics said the probability of any Norvian firm overtaking Corvid Labs and Brightline is currently less than 20 percent.',
      'Summit Daily',
    ),
    article(
      'b2',
      'Norvian robot makers see slim odds',
      'There is a less than 20 percent chance that a Norvian firm overtakes Corvid Labs and Brightline, Mira Holt of Tessaly Robotics told the Kessel summit.',
      'Robot Ledger',
    ),
    article(
      'b3',
      'Less than 20 percent chance to beat Corvid Labs, says Holt',
      'Mira Holt, who heads Tessaly Robotics, put the chance of a Norvian firm surpassing Corvid Labs and Brightline at under one in five at the Kessel summit.',
      'Tech Post',
    ),
  ]);
  assert.deepEqual(ds, []);
});

test('low odds against "can still win" stay a disagreement, however the odds are worded', () => {
  const ds = disagreementsOf([
    article(
      'c1',
      'Norvian robot makers can still win, says Holt',
      'Norvian robot makers can still win against Corvid Labs by selling to factories first, Mira Holt said.',
      'Summit Daily',
    ),
    article(
      'c2',
      'Slim odds for Norvian robot makers',
      'There is a less than 20 percent chance that a Norvian robot maker overtakes Corvid Labs, analyst Jon Berg said.',
      'Robot Ledger',
    ),
  ]);
  const d = ds.find((x) => /ahead or behind/i.test(x.about));
  assert.ok(d, JSON.stringify(ds));
  assert.deepEqual(d.positions.map((p) => p.articleIds[0]).sort(), ['c1', 'c2']);
});

test('"poses significant challenges" disputes nothing: two sources naming the same lack agree', () => {
  const ds = disagreementsOf([
    article(
      'd1',
      'Norvale shipyards behind on design',
      'According to the Baltic Courier on Monday, Anja Mertens, who led Norvale Yards\' design office, pointed to a lack of "original hull design" as the biggest weakness of the region\'s shipbuilders. She said the yards copy layouts from Korean rivals.',
      'Baltic Courier',
    ),
    article(
      'd2',
      'Shipyards lack original design',
      "A former design chief at Norvale Yards said the region's shipbuilders trail their Korean rivals. While the yards have invested heavily in robots and docks, the lack of original hull design poses significant challenges.",
      'Harbour Weekly',
    ),
  ]);
  assert.ok(!ds.some((d) => /disputed/i.test(d.about)), JSON.stringify(ds));
});

test('a source that challenges the account (the verb) still disputes it', () => {
  const ds = disagreementsOf([
    article(
      'e1',
      'Cable cut blamed on anchor',
      'The grid operator Nordlink said a dragging anchor from a cargo ship most likely cut the Aurora cable on Sunday.',
      'Grid Daily',
    ),
    article(
      'e2',
      'Coast guard doubts anchor theory',
      "The coast guard challenged the operator's anchor explanation, saying no cargo ship crossed the Aurora cable route on Sunday.",
      'Coast News',
    ),
  ]);
  assert.ok(
    ds.some((d) => /disputed/i.test(d.about)),
    JSON.stringify(ds),
  );
});
