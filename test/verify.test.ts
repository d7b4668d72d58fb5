/** Verification ("cited or cut"): what it keeps, narrows and drops, and why. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoryArticle, StoryDraft } from '../src/core/types.ts';
import { verifyStory } from '../src/brief/verify.ts';

const articles: StoryArticle[] = [
  {
    id: 'a1',
    title: 'Harbour bridge repair to cost €3.1 billion',
    text: 'The city council said the repair of the harbour bridge will cost €3,100\u00a0million and take at least 18 months.\n\nMayor Ana Ruiz said "the bridge is safe for now" but traffic will be limited.',
    url: 'https://example.test/a1',
  },
  {
    id: 'a2',
    title: 'Bridge works approved',
    text: 'Councillors approved the harbour bridge works on Monday. Engineers expect the closure to last 18 months, with 20 per cent of lanes open.',
    url: 'https://example.test/a2',
  },
];

function draft(partial: Partial<StoryDraft>): StoryDraft {
  return { id: 's1', headline: 'Harbour bridge repair', summary: 'The harbour bridge will be repaired.', articleIds: ['a1', 'a2'], claims: [], figures: [], disagreements: [], ...partial };
}

test('a fabricated figure is dropped; a real one is kept', () => {
  const { story, dropped } = verifyStory(
    draft({
      figures: [
        { value: '€4.2 billion', text: 'The repair will cost €4.2 billion.', articleIds: ['a1'] },
        { value: '18 months', text: 'The closure will last 18 months.', articleIds: ['a1', 'a2'] },
      ],
    }),
    articles,
  );
  assert.deepEqual(story.figures.map((f) => f.value), ['18 months']);
  assert.deepEqual(story.figures[0]!.articleIds, ['a1', 'a2']);
  assert.equal(dropped.length, 1);
  assert.equal(dropped[0]!.kind, 'figure');
  assert.match(dropped[0]!.reason, /not found/);
});

test('typography and thousands separators do not defeat matching', () => {
  const { story } = verifyStory(
    draft({
      figures: [
        { value: '€3,100 million', text: 'x', articleIds: ['a1'] },
        { value: '20%', text: 'y', articleIds: ['a2'] },
      ],
    }),
    articles,
  );
  assert.deepEqual(story.figures.map((f) => f.value), ['€3,100 million', '20%']);
});

test('a figure cited to two articles but present in one is narrowed', () => {
  const { story } = verifyStory(draft({ figures: [{ value: '20 per cent', text: 'lanes', articleIds: ['a1', 'a2'] }] }), articles);
  assert.deepEqual(story.figures[0]!.articleIds, ['a2']);
});

test('a citation to an article outside the story is removed, and an item left with none dropped', () => {
  const { story, dropped } = verifyStory(
    draft({
      claims: [
        { text: 'Councillors approved the harbour bridge works on Monday.', articleIds: ['a2', 'a9'] },
        { text: 'The bridge will reopen in spring.', articleIds: ['a9'] },
      ],
    }),
    articles,
  );
  assert.deepEqual(story.claims, [{ text: 'Councillors approved the harbour bridge works on Monday.', articleIds: ['a2'] }]);
  assert.equal(dropped.length, 1);
  assert.match(dropped[0]!.reason, /no article of this story/);
});

test('a claim with a number no cited article has is dropped; invented quotes too', () => {
  const { story, dropped } = verifyStory(
    draft({
      claims: [
        { text: 'Councillors approved the harbour bridge works, which will last 24 months.', articleIds: ['a2'] },
        { text: 'Mayor Ana Ruiz said "the bridge is perfectly safe forever".', articleIds: ['a1'] },
        { text: 'Mayor Ana Ruiz said "the bridge is safe for now".', articleIds: ['a1'] },
        { text: 'Aliens built the bridge in ancient times.', articleIds: ['a1'] },
      ],
    }),
    articles,
  );
  assert.deepEqual(story.claims.map((c) => c.text), ['Mayor Ana Ruiz said "the bridge is safe for now".']);
  assert.equal(dropped.length, 3);
  assert.ok(dropped.some((d) => /number/.test(d.reason)));
  assert.ok(dropped.some((d) => /quoted/.test(d.reason)));
  assert.ok(dropped.some((d) => /not supported/.test(d.reason)));
});

test('a disagreement with one surviving position is dropped', () => {
  const { story, dropped } = verifyStory(
    draft({
      disagreements: [
        {
          about: 'Length of the closure',
          positions: [
            { text: 'Engineers expect the closure to last 18 months.', articleIds: ['a2'] },
            { text: 'The closure will last 30 months.', articleIds: ['a1'] },
          ],
        },
      ],
    }),
    articles,
  );
  assert.equal(story.disagreements.length, 0);
  assert.deepEqual(dropped.map((d) => d.kind).sort(), ['disagreement', 'position']);
});

test('summary sentences with invented numbers go; headline falls back to a title', () => {
  const { story } = verifyStory(
    draft({ headline: 'Bridge repair to cost €9 billion', summary: 'The bridge repair was approved. It will cost €9 billion.' }),
    articles,
  );
  assert.equal(story.headline, articles[0]!.title);
  assert.equal(story.summary, 'The bridge repair was approved.');
});

test('verify is pure: same input, same output', () => {
  const d = draft({ figures: [{ value: '18 months', text: 't', articleIds: ['a2', 'a1'] }] });
  assert.deepEqual(verifyStory(d, articles), verifyStory(d, articles));
});
