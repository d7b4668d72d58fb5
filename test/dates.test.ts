/**
 * The one date reader and plausibility rule every source goes through (text/dates.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPlausiblePublication, toIsoDate } from '../src/text/dates.ts';

const NOW = new Date('2026-11-24T12:00:00Z');

test('one plausibility rule: not before 1990, not more than 36 hours ahead', () => {
  assert.equal(isPlausiblePublication(Date.UTC(1989, 11, 31), NOW), false);
  assert.equal(isPlausiblePublication(Date.UTC(1990, 0, 1), NOW), true);
  assert.equal(isPlausiblePublication(NOW.getTime() + 36 * 3_600_000, NOW), true);
  assert.equal(isPlausiblePublication(NOW.getTime() + 37 * 3_600_000, NOW), false);
  assert.equal(toIsoDate('2026-11-26T00:00:00Z', NOW), '2026-11-26T00:00:00.000Z');
  assert.equal(toIsoDate('2026-11-26T01:00:00Z', NOW), undefined);
});

test('feed and page shapes read alike', () => {
  const cases: Array<[string, string | undefined]> = [
    ['Tue, 10 Nov 2026 09:30:00 +0100', '2026-11-10T08:30:00.000Z'],
    ['2026-11-10T09:30:00.250+01:00', '2026-11-10T08:30:00.250Z'],
    ['2026-5-2 10:00', '2026-05-02T10:00:00.000Z'],
    ['20261110T093000Z', '2026-11-10T09:30:00.000Z'],
    ['22nd May 2026', '2026-05-22T00:00:00.000Z'],
    ['Friday, May 22, 2026 at 10:00', '2026-05-22T10:00:00.000Z'],
    ['2026年5月22日 10:30', '2026-05-22T10:30:00.000Z'],
    // A zone after a written clock time is read, as an RFC 822 date's is; a word that names no zone is not.
    ['24 November 2026, 12:10 CST', '2026-11-24T18:10:00.000Z'],
    ['May 22, 2026 at 10:00 EDT', '2026-05-22T14:00:00.000Z'],
    ['22 May 2026, 10:00 am', '2026-05-22T10:00:00.000Z'],
    ['24 Nov 2026 12:10 CST', '2026-11-24T18:10:00.000Z'],
    ['2026-04-31', undefined],
    ['2026', undefined],
    ['Updated 2024', undefined],
  ];
  for (const [raw, expected] of cases) assert.equal(toIsoDate(raw, NOW), expected, raw);
});
