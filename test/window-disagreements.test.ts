/**
 * Disagreements of a day's window, one class at a time, on invented stories: the same quantity
 * in different words, opposite verdicts, timing, a disputed account — and the near-misses
 * that are not disagreements: rounding, a forecast against an actual, last year's figure, a
 * corrected figure (shown as its correction instead).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Disagreement, StoryArticle, StoryDraft } from '../src/core/types.ts';
import { summarizeExtractive } from '../src/brief/summarize/extractive.ts';

let n = 0;
function art(publisher: string, title: string, text: string, publishedAt = '2026-06-02T09:00:00Z'): StoryArticle {
  n += 1;
  return { id: `a${n}`, title, text, url: `https://example.test/${n}`, publisher, publishedAt };
}
function brief(...articles: StoryArticle[]): StoryDraft {
  return summarizeExtractive({ id: 's1', articles });
}
const blob = (d: Disagreement): string => JSON.stringify(d);
function shows(story: StoryDraft, ...strings: string[]): boolean {
  return story.disagreements.some((d) => strings.every((s) => blob(d).includes(s)));
}
function citesBoth(story: StoryDraft, a: StoryArticle, b: StoryArticle): boolean {
  return story.disagreements.some(
    (d) =>
      d.positions.some((p) => p.articleIds.includes(a.id)) &&
      d.positions.some((p) => p.articleIds.includes(b.id) && !p.articleIds.includes(a.id)),
  );
}

test('the same quantity, different values in different words: crowd estimates and a growth rate', () => {
  const organisers = art(
    'Riverside Post',
    'Thousands march against bridge toll',
    'Organisers said some 3,000 protesters walked from the station to the town hall on Saturday to oppose the new bridge toll.\n\nThe toll of €4 a crossing starts in May.',
  );
  const police = art(
    'Valley Radio',
    'Bridge toll march passes off peacefully',
    'Police put the crowd at 1,200 and said the march against the bridge toll passed off peacefully.\n\nThe council will debate the toll in June.',
  );
  const march = brief(organisers, police);
  assert.ok(shows(march, '3,000', '1,200'), JSON.stringify(march.disagreements));
  assert.ok(citesBoth(march, organisers, police));

  const up = art(
    'Ledger Daily',
    'Orbis Foods profit up 14%',
    'Orbis Foods said its third-quarter operating profit was up 14% year on year, helped by strong sales of frozen meals.',
  );
  const rise = art(
    'Market Wire',
    'Orbis Foods beats forecasts',
    'Orbis Foods shares rose after the company posted a 12% rise in operating profit on the same quarter last year.',
  );
  assert.ok(shows(brief(up, rise), '14%', '12%'));
});

test('opposite verdicts on a pending vote', () => {
  const chair = art(
    'City Courier',
    'Council set to back stadium sale',
    'Council leader Rosa Lind said a majority on the council is expected to back the plan to sell the stadium site.',
  );
  const column = art(
    'Eastside Voice',
    'The stadium sale deserves to fail',
    'On my count the stadium sale will be voted down on Monday, and rightly so.',
  );
  const story = brief(chair, column);
  assert.ok(citesBoth(story, chair, column), JSON.stringify(story.disagreements));
  assert.ok(story.disagreements.some((d) => /pass/i.test(d.about)));
});

test('timing: "by March" against "not before 2028", read against each article\'s date', () => {
  const company = art(
    'Grid Times',
    'Smelter to restart by March',
    'The company said the smelter would be back in production by March after the transformer fire.',
    '2026-11-10T08:00:00Z',
  );
  const analyst = art(
    'Metals Weekly',
    'Analyst sees long smelter outage',
    'Analyst Joan Ferris said the smelter would not restart before 2028 because a new transformer has to be built.',
    '2026-11-11T08:00:00Z',
  );
  const story = brief(company, analyst);
  assert.ok(shows(story, 'by March', 'not restart before 2028'), JSON.stringify(story.disagreements));
  assert.ok(story.disagreements.some((d) => /by March or not before 2028|not before 2028 or by March/.test(d.about)));
});

test('an account and its dispute: a cause the operator gives, questioned by another authority', () => {
  const operator = art(
    'Harbour News',
    'Gas leak blamed for quay fire',
    'The terminal operator said a gas leak in the pump room was the most likely cause of the fire on the quay.',
  );
  const inspectors = art(
    'Coast Today',
    'Inspectors doubt gas leak theory',
    'Fire inspectors said they had found no sign of a gas leak in the pump room, contradicting the operator.',
  );
  const story = brief(operator, inspectors);
  assert.ok(citesBoth(story, operator, inspectors), JSON.stringify(story.disagreements));
});

test("near-misses are no disagreements: rounding, a forecast against an actual, last year's figure", () => {
  const exact = art(
    'Power Wire',
    'Wind farm offline',
    'The wind farm, which has a capacity of 1,130 megawatts, stopped exporting power on Monday.',
  );
  const rounded = art('Energy Post', 'Offshore outage', 'The wind farm, with a capacity of about 1.1 gigawatts, went offline on Monday.');
  assert.deepEqual(brief(exact, rounded).disagreements, []);

  const forecast = art('Port Journal', 'Port sees record year', 'The port expects to handle 455,000 containers this year.');
  const actual = art('Shipping Desk', 'Port volumes', 'The port handled 410,000 containers last year, its busiest year so far.');
  assert.ok(!brief(forecast, actual).disagreements.some((d) => /455,000/.test(blob(d)) && /410,000/.test(blob(d))));

  const now = art('Mill Gazette', 'Mill keeps running', 'The mill employs 640 people, the company said on Tuesday.');
  const before = art('Valley Times', 'Mill jobs', 'The mill had 710 workers last year, according to the union.');
  assert.ok(!brief(now, before).disagreements.some((d) => /640/.test(blob(d)) && /710/.test(blob(d))));
});

test('a corrected figure is shown as its correction, never set against the wrong one', () => {
  const first = art(
    'Pharma Wire',
    'Heart drug meets goal',
    'The trial enrolled 4,212 patients in 14 countries, the company said.',
    '2026-11-16T07:00:00Z',
  );
  const update = art(
    'Pharma Wire',
    'UPDATE 1-Heart drug meets goal',
    'The trial enrolled 4,122 patients in 14 countries, the company said.\n\n(Corrects number of patients to 4,122, not 4,212)',
    '2026-11-16T10:00:00Z',
  );
  const other = art('Cardio Review', 'Trial details', 'Full results showed the drug cut hospitalisations, the investigators said.');
  const story = brief(first, update, other);
  assert.ok(!story.disagreements.some((d) => /4,212/.test(blob(d)) && /4,122/.test(blob(d))), JSON.stringify(story.disagreements));
  assert.ok(!story.figures.some((f) => f.value === '4,212'), JSON.stringify(story.figures));
  const right = story.figures.find((f) => f.value.startsWith('4,122'));
  assert.ok(right && /Corrects/.test(right.text), JSON.stringify(story.figures));
});
