/**
 * A bank's day: its outage told by five outlets over two days (the first reports, then the
 * cause, an MP's letter and the compensation, each quoting someone new), beside the same bank's
 * purchase of a fintech the same days. The saga stays one story and the purchase another, with
 * dates and without, also when the purchase's reports mention the outage, as the day's reports
 * of one company do. Invented articles.
 *
 * The second case is what two recall levers for short-report sets broke (docs/clustering.md,
 * "The split check: what was measured on the way"): a separation test on the split check's
 * narrow gaps, and a re-merge of small groups into the group whose centroid is closest. Both
 * joined the purchase to the outage: two reports against five is a small, loosely held half
 * either way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterArticles, type ClusterDoc } from '../src/brief/cluster/index.ts';

const DAY1 = '2026-06-09T';
const DAY2 = '2026-06-10T';

const WINDOW: ClusterDoc[] = [
  {
    id: 'outage-wire',
    publisher: 'Northern Wire',
    publishedAt: `${DAY1}09:10:00Z`,
    title: 'Calder Mutual customers locked out as app and cards fail',
    text:
      'Customers of Calder Mutual could not log in to the mobile app or pay by card for most of Tuesday morning. ' +
      'The bank said an outage hit its payment systems from 6am and that engineers were working to restore service. ' +
      'Shoppers reported declined cards at supermarkets and petrol stations across the region.',
  },
  {
    id: 'outage-daily',
    publisher: 'Harbour Daily',
    publishedAt: `${DAY1}11:40:00Z`,
    title: 'Card payments down at Calder Mutual for a second hour',
    text:
      'Calder Mutual card payments and online banking remained down on Tuesday, leaving customers unable to pay or see their balances. ' +
      'The outage began early in the morning; the bank apologised and said it did not yet know the cause. ' +
      'Some customers said they were stranded at tills with no way to pay.',
  },
  {
    id: 'outage-times',
    publisher: 'City Times',
    publishedAt: `${DAY1}15:05:00Z`,
    title: 'Calder Mutual restores app after seven-hour outage',
    text:
      'Calder Mutual said its app and card payments were working again by early afternoon after an outage of about seven hours. ' +
      'Customers had been unable to log in or pay by card since 6am. The bank apologised to customers and promised an explanation.',
  },
  {
    id: 'outage-mp',
    publisher: 'Evening Ledger',
    publishedAt: `${DAY2}08:30:00Z`,
    title: "MP demands answers from Calder Mutual over Tuesday's outage",
    text:
      "Priya Ndlovu MP has written to Calder Mutual's chief executive asking why customers were locked out of the app and unable to pay by card for seven hours. " +
      '"People were left at the tills with nothing," she said. She asked the bank to compensate customers who paid fees because of the outage.',
  },
  {
    id: 'outage-cause',
    publisher: 'Money Week',
    publishedAt: `${DAY2}12:15:00Z`,
    title: 'Calder Mutual blames faulty update for outage and offers compensation',
    text:
      'A faulty software update caused the outage that locked Calder Mutual customers out of the app and card payments on Tuesday, the bank said. ' +
      'Spokesperson Tomas Reyes said customers charged late fees during the outage would be refunded. ' +
      'The regulator said it was in contact with the bank.',
  },
  {
    id: 'deal-wire',
    publisher: 'Northern Wire',
    publishedAt: `${DAY1}13:00:00Z`,
    title: 'Calder Mutual agrees to buy fintech Lumafin for £240 million',
    text:
      'Calder Mutual has agreed to buy Lumafin, a savings app start-up, for £240 million in cash, the bank said on Tuesday. ' +
      "Lumafin's 400,000 users will move to the bank's platform next year, and its founders will join the bank's digital team. " +
      'The deal needs shareholder approval.',
  },
  {
    id: 'deal-ft',
    publisher: 'Business Review',
    publishedAt: `${DAY2}07:45:00Z`,
    title: 'Why Calder Mutual paid £240 million for Lumafin',
    text:
      "Analysts said Calder Mutual's £240 million purchase of Lumafin buys the bank younger savers and a faster product team. " +
      "The acquisition values the start-up at twelve times its revenue; Lumafin's founders said the bank's balance sheet would let them grow. " +
      'Shareholders vote on the deal in July.',
  },
];

/** The purchase's reports, each with a line on the outage the same days. */
const MENTIONING = WINDOW.map((d): ClusterDoc => {
  if (d.id === 'deal-wire') return { ...d, text: `${d.text} The announcement came as the bank was restoring its app after an outage.` };
  if (d.id === 'deal-ft') {
    return {
      ...d,
      text: `${d.text} The deal was announced on the day an outage locked Calder Mutual customers out of the app and card payments for seven hours.`,
    };
  }
  return d;
});

/**
 * The follow-ups quoting each other's people: the cause story quotes the MP as well, and the MP's
 * story the spokesperson. Two reports naming the same two people are still the outage, not an
 * event of their own (main's split on words alone cut them off, at 0.59 of their inside).
 */
const QUOTING = WINDOW.map((d): ClusterDoc => {
  if (d.id === 'outage-cause') return { ...d, text: `${d.text} Priya Ndlovu MP said the refunds were welcome but overdue.` };
  if (d.id === 'outage-mp') return { ...d, text: `${d.text} Spokesperson Tomas Reyes said the bank would reply to the letter this week.` };
  return d;
});

const storiesOf = (docs: readonly ClusterDoc[], useDates: boolean): string[][] =>
  clusterArticles(docs, { useDates })
    .map((s) => [...s.articleIds].sort())
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));

const EXPECTED = [
  ['deal-ft', 'deal-wire'],
  ['outage-cause', 'outage-daily', 'outage-mp', 'outage-times', 'outage-wire'],
];

for (const useDates of [true, false]) {
  const how = useDates ? 'dated' : 'text only';
  test(`a bank's outage over two days stays one story beside its acquisition (${how})`, () => {
    assert.deepEqual(storiesOf(WINDOW, useDates), EXPECTED);
  });
  test(`the acquisition stays apart when its reports mention the outage (${how})`, () => {
    assert.deepEqual(storiesOf(MENTIONING, useDates), EXPECTED);
  });
  test(`follow-ups quoting the same MP and spokesperson stay with the outage (${how})`, () => {
    assert.deepEqual(storiesOf(QUOTING, useDates), EXPECTED);
  });
}
