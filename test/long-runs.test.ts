/**
 * Article text with very long runs of letters (one "word" of a feed item can be 1,000,000
 * characters): the glue repair of story text and the name finder of clustering keep their
 * results on ordinary text and read such runs once. Their time is measured by the hostile
 * bench (npm run bench -- hostile), not here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { entities } from '../src/brief/cluster/entities.ts';
import { unglue } from '../src/brief/summarize/story-text.ts';

test('unglue splits glued sentences as before', () => {
  assert.equal(unglue('the model.In an interview he said'), 'the model. In an interview he said');
  assert.equal(unglue('growth.”The bank said'), 'growth.” The bank said');
  assert.equal(unglue('ab.Cd x'), 'ab.Cd x', 'two letters before the stop are not enough');
  assert.equal(unglue('it is wideningThe gap'), 'it is widening\nThe gap');
  assert.equal(unglue('aThe x'), 'aThe x');
  assert.equal(unglue('**Headline**In an interview'), '\nHeadline\nIn an interview');
});

test('unglue of one very long lowercase word ending glued to a sentence', () => {
  const word = 'a'.repeat(300_000);
  assert.equal(unglue(`${word}.The end`), `${word}. The end`);
  assert.equal(unglue(`${word}The end`), `${word}\nThe end`);
});

test('names: ordinary text as before; a run of letters too long for a word is no name', () => {
  assert.deepEqual(entities('Secretary of State Colin Powell met the Supreme Court and iPhone Maker Apple.'), [
    'e:secretary of state colin powell',
    'e:colin powell',
    'e:supreme court',
    'e:phone maker apple.',
    'e:maker apple.',
  ]);
  assert.deepEqual(entities(`Harbour words ${'A'.repeat(200_000)} Bank of China said`), ['e:bank of china', 'e:of china']);
});
