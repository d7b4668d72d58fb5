import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalizeUrl } from '../src/collect/canonical-url.ts';

const same: Array<[string, string]> = [
  ['https://www.example.com/news/story#comments', 'https://example.com/news/story'],
  ['https://example.com/news/story/?utm_source=rss&utm_medium=feed&utm_campaign=x', 'https://example.com/news/story'],
  ['https://example.com/a?fbclid=IwAR0&gclid=abc&mc_cid=1&mc_eid=2&ref=home', 'https://example.com/a'],
  ['https://example.com/search?q=chips&page=2', 'https://example.com/search?page=2&q=chips'],
  ['HTTPS://News.Example.COM:443/Path', 'https://news.example.com/Path'],
  ['http://example.com:80/x', 'http://example.com/x'],
  ['https://m.example.com/world/123', 'https://example.com/world/123'],
  ['https://mobile.example.com/world/123', 'https://example.com/world/123'],
  ['https://amp.example.com/world/123', 'https://example.com/world/123'],
  ['https://example.com/world/123/amp', 'https://example.com/world/123'],
  ['https://example.com/world/123/amp/', 'https://example.com/world/123'],
  ['https://example.com/world/123?amp=1', 'https://example.com/world/123'],
  ['https://example.com/world/123.amp.html', 'https://example.com/world/123.html'],
  ['https://example.com/world/index.html', 'https://example.com/world'],
  ['https://example.com/', 'https://example.com'],
  ['  https://example.com/a  ', 'https://example.com/a'],
];

test('variants of one article share one canonical URL', () => {
  for (const [variant, canonical] of same) {
    assert.equal(canonicalizeUrl(variant), canonical, variant);
    assert.equal(canonicalizeUrl(canonical), canonical, `idempotent: ${canonical}`);
  }
});

test('meaningful differences survive', () => {
  assert.notEqual(canonicalizeUrl('https://example.com/a?id=1'), canonicalizeUrl('https://example.com/a?id=2'));
  assert.notEqual(canonicalizeUrl('https://example.com/A'), canonicalizeUrl('https://example.com/a'));
  assert.notEqual(canonicalizeUrl('https://example.com/a'), canonicalizeUrl('https://other.com/a'));
  // A host that is only "m." plus a top-level domain is not a mobile prefix.
  assert.equal(canonicalizeUrl('https://m.co/x'), 'https://m.co/x');
  // A path segment that merely contains "amp" is kept.
  assert.equal(canonicalizeUrl('https://example.com/camp/ampere'), 'https://example.com/camp/ampere');
});

test('file URLs are normalised only; unparseable input comes back trimmed', () => {
  assert.equal(canonicalizeUrl('file:///tmp/articles/a%20b.txt'), 'file:///tmp/articles/a%20b.txt');
  assert.equal(canonicalizeUrl('file:///tmp/x/../y.md'), 'file:///tmp/y.md');
  assert.equal(canonicalizeUrl(' not a url '), 'not a url');
});
