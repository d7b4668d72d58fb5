/** Figures and sentences: what the extractive summarizer sees in a sentence. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findFigures } from '../src/brief/summarize/figures.ts';
import { splitSentences } from '../src/text/sentences.ts';

const values = (s: string) => findFigures(s).map((f) => [f.value, f.kind]);

test('sentences survive abbreviations, decimals, versions, quotes and CJK stops', () => {
  assert.deepEqual(
    splitSentences(
      'The U.S. Commerce Department said growth was 3.1%. Dr. Lee disagreed. "It is wrong," she said. GPT-5.6 ships. 中国发展迅速。差距扩大！',
    ),
    [
      'The U.S. Commerce Department said growth was 3.1%.',
      'Dr. Lee disagreed.',
      '"It is wrong," she said.',
      'GPT-5.6 ships.',
      '中国发展迅速。',
      '差距扩大！',
    ],
  );
  assert.deepEqual(splitSentences('Title line\n\nBody starts here. It ends.'), ['Title line', 'Body starts here.', 'It ends.']);
});

test('percentages, money and qualifiers as written', () => {
  assert.deepEqual(values('The chance is less than 20% and costs rose 4.5 per cent.'), [
    ['less than 20%', 'percent'],
    ['4.5 per cent', 'percent'],
  ]);
  assert.deepEqual(values('It costs €3.1 billion, or $1.2 trillion, or 20 billion yuan.'), [
    ['€3.1 billion', 'money'],
    ['$1.2 trillion', 'money'],
    ['20 billion yuan', 'money'],
  ]);
  const money = findFigures('The fund holds ¥500 million.')[0]!;
  assert.equal(money.unit, 'CNY');
  assert.equal(money.normalized, 5e8);
});

test('durations, counts, ratios, versions, dates', () => {
  const gap = findFigures('He put the gap at at least 3 months and said it could widen to 6 months.');
  assert.deepEqual(
    gap.map((f) => [f.value, f.kind, f.quantity]),
    [
      ['at least 3 months', 'duration', 'gap'],
      ['6 months', 'duration', 'gap'],
    ],
  );
  assert.deepEqual(values('The study read 1,479 articles; 194,000 jobs went.'), [
    ['1,479 articles', 'count'],
    ['194,000 jobs', 'count'],
  ]);
  assert.deepEqual(values('One in five firms use a 3:1 split.'), [
    ['One in five', 'ratio'],
    ['3:1', 'ratio'],
  ]);
  assert.deepEqual(values('The Senate voted 69-30 to pass it after a 6-3 ruling.'), [
    ['69-30', 'ratio'],
    ['6-3', 'ratio'],
  ]);
  assert.ok(!values('New COVID-19 rules for the 2021-22 season.').some(([, kind]) => kind === 'ratio'));
  assert.deepEqual(values('OpenAI may ship GPT-5.6 after Qwen 2.5 and v2.'), [
    ['GPT-5.6', 'version'],
    ['Qwen 2.5', 'version'],
    ['v2', 'version'],
  ]);
  assert.deepEqual(values('The vote is on March 3, 2026.'), [['March 3, 2026', 'date']]);
  assert.equal(findFigures('three months later').at(0)?.normalized, 3);
});

test('page furniture and bylines carry no figures', () => {
  assert.deepEqual(findFigures('Publish Date: 2026-05-22 02:14:00'), []);
  assert.deepEqual(findFigures('💬 Comments (0)'), []);
  assert.deepEqual(findFigures('SCMP 2026-05-22'), []);
});

test('Chinese figures are found and kept intact', () => {
  assert.deepEqual(values('据报道，死亡人数上升至15人，损失达3.1亿元。'), [
    ['15人', 'count'],
    ['3.1亿元', 'money'],
  ]);
});

test('Chinese durations and numbers that name things', () => {
  assert.deepEqual(values('差距至少3个月，年内可能扩大到6个月。'), [
    ['至少3个月', 'duration'],
    ['6个月', 'duration'],
  ]);
  assert.deepEqual(values('Clips play at 1080p on 5G phones.'), []);
});

test('a disease name is no version and a spelled-out duration used as an adjective is no figure', () => {
  assert.deepEqual(values('COVID-19 and SARS-CoV-2 cases saw their biggest one-year increase.'), []);
});
