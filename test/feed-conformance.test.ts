/**
 * The feedparser conformance suite (../shared/eval/feeds/, 2,107 feeds) through parseFeed:
 * no crash on any input, feed and first-entry titles/links where the manifest states them,
 * ill-formed documents reported, none cut by the bounds put on a document (so each is parsed as
 * it came). Rates are printed and held above measured thresholds.
 * Set FEED_CONFORMANCE_VERBOSE=1 to list every miss.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

import { BriefbotError } from '../src/core/errors.ts';
import { parseFeed, type ParsedFeed } from '../src/collect/feeds/index.ts';
import { toPlainText } from '../src/collect/feeds/text.ts';

const SUITE = new URL('../../shared/eval/feeds/', import.meta.url);
const MANIFEST = new URL('manifest.jsonl', SUITE);
const VERBOSE = process.env.FEED_CONFORMANCE_VERBOSE === '1';

/** Pass-rate floors, set a little under what the parser measured when they were written. */
const THRESHOLDS = {
  noCrash: 1,
  feedTitle: 0.95,
  entryTitle: 0.95,
  entryLink: 0.85,
  illformedReported: 0.83,
  bozoAsserted: 0.9,
  wellformedClean: 0.97,
} as const;

interface Case {
  file: string;
  expect_wellformed: boolean;
  expected_feed_title: string | null;
  expected_first_entry_title: string | null;
  expected_first_entry_link: string | null;
  http_headers: Record<string, string> | null;
  /** The original python assertion. */
  expect: string;
}

class Rate {
  pass = 0;
  total = 0;
  readonly misses: string[] = [];
  record(ok: boolean, miss: string): void {
    this.total++;
    if (ok) this.pass++;
    else this.misses.push(miss);
  }
  get value(): number {
    return this.total === 0 ? 1 : this.pass / this.total;
  }
  toString(): string {
    return `${this.pass}/${this.total} (${(this.value * 100).toFixed(1)}%)`;
  }
}

/** Our titles are plain text by contract; feedparser keeps (sanitized) markup. Either matches. */
function sameText(actual: string | undefined, expected: string): boolean {
  if (actual === expected) return true;
  return (actual ?? '') === (toPlainText(expected) ?? '');
}

test('feedparser conformance suite', { skip: !existsSync(MANIFEST) && 'the suite in ../shared/eval/feeds/ is missing' }, () => {
  const cases = readFileSync(MANIFEST, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Case);
  const rates = {
    noCrash: new Rate(),
    feedTitle: new Rate(),
    entryTitle: new Rate(),
    entryLink: new Rate(),
    illformedReported: new Rate(),
    bozoAsserted: new Rate(),
    wellformedClean: new Rate(),
  };
  const now = new Date();
  const bounded: string[] = [];
  for (const c of cases) {
    const bytes = readFileSync(new URL(c.file, SUITE));
    const headers = Object.fromEntries(Object.entries(c.http_headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    // Relative links with no Content-Location resolve against the URI feedparser's suite served them from.
    const base = headers['content-location'] ?? `http://127.0.0.1:8097/tests/${c.file.replace(/^feedparser\//, '')}`;
    let feed: ParsedFeed | undefined;
    let parseError: BriefbotError | undefined;
    try {
      feed = parseFeed(bytes, {
        ...(headers['content-type'] !== undefined && { contentType: headers['content-type'] }),
        url: base,
        now,
      });
      rates.noCrash.record(true, '');
    } catch (error) {
      const isParse = error instanceof BriefbotError && error.code === 'PARSE';
      if (isParse) parseError = error;
      rates.noCrash.record(isParse, `${c.file}: ${String(error)}`);
    }
    // No real feed is near the bounds put on a document before parsing (xml-bounds.ts): each is parsed as it came.
    if (feed?.cuts !== undefined || feed?.itemCount !== undefined)
      bounded.push(`${c.file}: ${feed.cuts?.join('; ') ?? ''} ${feed.itemCount ?? ''}`);
    const why = parseError ? `PARSE ${parseError.message}` : '';
    if (c.expected_feed_title !== null) {
      rates.feedTitle.record(
        sameText(feed?.title, c.expected_feed_title),
        `${c.file}: ${JSON.stringify(feed?.title)} ≠ ${JSON.stringify(c.expected_feed_title)} ${why}`,
      );
    }
    if (c.expected_first_entry_title !== null) {
      const got = feed?.items[0]?.title;
      rates.entryTitle.record(
        sameText(got, c.expected_first_entry_title),
        `${c.file}: ${JSON.stringify(got)} ≠ ${JSON.stringify(c.expected_first_entry_title)} ${why}`,
      );
    }
    if (c.expected_first_entry_link !== null) {
      const got = feed?.items[0]?.link;
      rates.entryLink.record(
        got === c.expected_first_entry_link,
        `${c.file}: ${JSON.stringify(got)} ≠ ${c.expected_first_entry_link} ${why}`,
      );
    }
    if (!c.expect_wellformed) {
      rates.illformedReported.record(parseError !== undefined || (feed?.problems.length ?? 0) > 0, `${c.file}: not reported`);
    }
    if (c.expect_wellformed) {
      const clean = feed !== undefined && feed.problems.length === 0;
      rates.wellformedClean.record(clean, `${c.file}: ${parseError ? `PARSE ${parseError.message}` : feed?.problems.join('; ')}`);
    }
    // The subset whose python assertion itself demands `bozo` (many flagged files only test values).
    if (/(?<!not )\bbozo\b/.test(c.expect)) {
      rates.bozoAsserted.record(parseError !== undefined || (feed?.problems.length ?? 0) > 0, `${c.file}: not reported`);
    }
  }
  const lines = Object.entries(rates).map(([name, rate]) => `  ${name.padEnd(18)} ${rate.toString()}`);
  console.log(`feedparser conformance over ${cases.length} feeds:\n${lines.join('\n')}`);
  if (VERBOSE) for (const [name, rate] of Object.entries(rates)) for (const miss of rate.misses) console.log(`[${name}] ${miss}`);
  assert.deepEqual(bounded, [], 'feeds of the suite cut by the bounds on a document');
  for (const [name, rate] of Object.entries(rates)) {
    const floor = THRESHOLDS[name as keyof typeof THRESHOLDS];
    assert.ok(rate.value >= floor, `${name} pass rate ${rate.toString()} is below ${floor * 100}%: ${rate.misses.slice(0, 5).join(' | ')}`);
  }
});
