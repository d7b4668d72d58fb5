/**
 * parseFeed and looksLikeFeed on the project's own fixtures (test/fixtures/feeds/) and on
 * hostile input: every format, teasers vs full content, relative links, dates, GBK bytes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { BriefbotError } from '../src/core/errors.ts';
import { looksLikeFeed, parseFeed } from '../src/collect/feeds/index.ts';
import { toIsoDate } from '../src/text/dates.ts';

const NOW = new Date('2026-11-23T00:00:00Z');
const fixture = (name: string): Buffer => readFileSync(new URL(`fixtures/feeds/${name}`, import.meta.url));

function assertParseError(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof BriefbotError, `expected BriefbotError, got ${String(error)}`);
    assert.equal(error.code, 'PARSE');
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'message is one line');
    return true;
  });
}

describe('parseFeed: formats', () => {
  test('RSS 2.0 with teaser descriptions', () => {
    const feed = parseFeed(fixture('rss-teasers.xml'), { url: 'https://wire.example.org/rss', now: NOW });
    assert.equal(feed.format, 'rss');
    assert.equal(feed.title, 'Harbour Tech Wire & Notes');
    assert.equal(feed.link, 'https://wire.example.org/');
    assert.deepEqual(feed.problems, []);
    assert.equal(feed.items.length, 2);
    const [first, second] = feed.items;
    assert.equal(first?.title, 'Lab ships a smaller reasoning model – cheaper to run');
    assert.equal(first?.link, 'https://wire.example.org/2026/11/small-model?utm_source=rss');
    assert.equal(first?.guid, 'wire-4411');
    assert.equal(first?.publishedAt, '2026-11-21T01:30:00.000Z');
    assert.equal(first?.author, 'Lin Qiao');
    assert.deepEqual(first?.categories, ['Models', 'Pricing']);
    assert.match(first?.summary ?? '', /fraction of its predecessor/);
    assert.equal(first?.content, undefined, 'a teaser feed has no full content');
    assert.equal(second?.title, 'Chip export rules tightened again');
    assert.equal(second?.publishedAt, '2026-11-20T23:05:00.000Z', 'EST is UTC-5');
  });

  test('Atom 1.0 with content, xml:base and typed titles', () => {
    const feed = parseFeed(fixture('atom-content.xml'), { now: NOW });
    assert.equal(feed.format, 'atom');
    assert.equal(feed.title, 'The Compute Journal');
    const [first, second] = feed.items;
    assert.equal(first?.title, 'Data centre power deals: what changed in Q3');
    assert.equal(first?.link, 'https://journal.example.net/ai/posts/power-deals');
    assert.equal(first?.publishedAt, '2026-11-22T06:45:00.000Z');
    assert.equal(first?.updatedAt, '2026-11-22T08:00:00.000Z');
    assert.equal(first?.author, 'Ana Ribeiro');
    assert.deepEqual(first?.categories, ['infrastructure']);
    assert.equal(first?.summary, 'Utilities signed three long-term contracts.');
    assert.match(first?.content ?? '', /<p>Utilities signed three long-term supply contracts.*1\.2 GW/);
    assert.equal(second?.title, 'Open weights & closed data');
    assert.equal(second?.link, 'https://journal.example.net/ai/posts/open-weights');
    assert.match(second?.content ?? '', /Releasing weights/);
  });

  test('RSS 1.0 (RDF) with dc:date', () => {
    const feed = parseFeed(fixture('rdf.xml'), { now: NOW });
    assert.equal(feed.format, 'rdf');
    assert.equal(feed.title, 'Weekly Model Digest');
    assert.equal(feed.items[0]?.title, 'Week 47: benchmarks disagree');
    assert.equal(feed.items[0]?.link, 'https://digest.example.com/w47');
    assert.equal(feed.items[0]?.publishedAt, '2026-11-20T01:00:00.000Z');
    assert.equal(feed.items[0]?.author, 'Digest desk');
  });

  test('JSON Feed 1.1: relative urls, content_text, bad dates dropped', () => {
    const feed = parseFeed(fixture('jsonfeed.json'), { now: NOW });
    assert.equal(feed.format, 'json');
    assert.equal(feed.title, 'Sandbox AI Notes');
    assert.equal(feed.link, 'https://notes.example.io/');
    const [first, second] = feed.items;
    assert.equal(first?.link, 'https://notes.example.io/2026/11/tokenizer');
    assert.equal(first?.guid, 'n-102');
    assert.equal(first?.publishedAt, '2026-11-19T21:20:00.000Z');
    assert.equal(first?.author, 'R. Okafor');
    assert.deepEqual(first?.categories, ['tokenizers', 'cost']);
    assert.equal(first?.summary, 'Fewer tokens per character.');
    assert.equal(second?.guid, '103');
    assert.equal(second?.publishedAt, undefined);
    assert.equal(second?.content, 'Prices &lt; $1 per million tokens &amp; falling.');
  });

  test('GBK bytes labelled gb2312 decode to Chinese text', () => {
    const bytes = fixture('gbk.xml');
    assert.ok(looksLikeFeed(bytes));
    const feed = parseFeed(bytes, { now: NOW });
    assert.equal(feed.title, '科技快讯');
    assert.equal(feed.items[0]?.title, '国产大模型发布新版本，推理成本下降');
    assert.match(feed.items[0]?.summary ?? '', /数学与编程测试/);
    assert.deepEqual(feed.problems, []);
  });

  test('undated items are kept undated; absurd dates dropped; relative links resolved', () => {
    const feed = parseFeed(fixture('undated-relative.xml'), { url: 'https://desk.example.org/feeds/main.xml', now: NOW });
    assert.equal(feed.items.length, 3);
    assert.equal(feed.link, 'https://desk.example.org/');
    const [undated, ancient, future] = feed.items;
    assert.equal(undated?.publishedAt, undefined);
    assert.equal(undated?.link, 'https://desk.example.org/stories/no-date.html');
    assert.equal(ancient?.publishedAt, undefined, 'year 1911 is not a real publication date');
    assert.equal(ancient?.link, 'https://desk.example.org/other/story.html');
    assert.equal(future?.publishedAt, undefined, 'nine years ahead is not a real publication date');
    assert.equal(future?.link, 'https://desk.example.org/feeds/future.html');
  });

  test('escaped HTML in descriptions and content is XML-decoded exactly once', () => {
    const feed = parseFeed(
      '<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><item>' +
        '<description>&lt;p&gt;a &amp;lt; b &amp;amp; c&lt;/p&gt;</description>' +
        '<content:encoded><![CDATA[<p>x &lt; y &amp;amp; z</p>]]></content:encoded></item></channel></rss>',
    );
    assert.equal(feed.items[0]?.summary, '<p>a &lt; b &amp; c</p>');
    assert.equal(feed.items[0]?.content, '<p>x &lt; y &amp;amp; z</p>');
  });

  test('a string input parses like bytes', () => {
    const feed = parseFeed('<rss version="2.0"><channel><title>S</title><item><title>A</title></item></channel></rss>');
    assert.equal(feed.title, 'S');
    assert.equal(feed.items[0]?.title, 'A');
  });
});

describe('parseFeed: bad input', () => {
  test('not-a-feed inputs throw one-line PARSE errors', () => {
    assertParseError(() => parseFeed(new Uint8Array()), /empty document/);
    assertParseError(() => parseFeed('   \n  '), /empty document/);
    assertParseError(() => parseFeed(fixture('page.html')), /expected a feed but got an HTML page/);
    assertParseError(() => parseFeed('<html><body><p>x</p></body></html>'), /HTML page/);
    assertParseError(() => parseFeed('{"hello": "world"}'), /not a JSON Feed/);
    assertParseError(() => parseFeed('{"version": "https://jsonfeed.org/version/1.1", '), /invalid JSON/);
    assertParseError(
      () => parseFeed(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4, 5, 6, 7, 8])),
      /not a feed/,
    );
    assertParseError(() => parseFeed('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'), /root element <svg>/);
    assertParseError(() => parseFeed('just some words'), /neither XML nor JSON/);
  });

  test('ill-formed XML is salvaged and reported', () => {
    const truncated =
      '<rss version="2.0"><channel><title>Cut off</title><item><title>Whole item</title><link>https://x.example/1</link></item><item><title>Half';
    const feed = parseFeed(truncated);
    assert.equal(feed.title, 'Cut off');
    assert.equal(feed.items[0]?.title, 'Whole item');
    assert.ok(feed.problems.length > 0);

    const junk = parseFeed(
      'Warning: something in index.php on line 3\n<?xml version="1.0"?><rss><channel><title>Still here</title></channel></rss>',
    );
    assert.equal(junk.title, 'Still here');
    assert.ok(junk.problems.some((p) => /before the root/.test(p)));

    const entities = parseFeed('<rss><channel><title>Caf&eacute; &amp; bar & grill&nbsp;news</title></channel></rss>');
    assert.equal(entities.title, 'Café & bar & grill\u00a0news');
    assert.ok(entities.problems.some((p) => /undefined entity/.test(p)));
    assert.ok(entities.problems.some((p) => /unescaped "&"/.test(p)));
  });

  test('never crashes on mangled variants of a real feed', () => {
    const source = fixture('atom-content.xml').toString('utf8');
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 80; round++) {
      const at = random(source.length);
      const variants = [
        source.slice(0, at),
        source.slice(at),
        source.slice(0, at) + '<' + source.slice(at + 3),
        source.replace(/>/g, (m) => (random(20) === 0 ? '' : m)),
      ];
      for (const variant of variants) {
        try {
          const feed = parseFeed(variant);
          assert.ok(Array.isArray(feed.items));
        } catch (error) {
          assert.ok(error instanceof BriefbotError && error.code === 'PARSE', `unexpected ${String(error)}`);
        }
      }
    }
  });
});

describe('looksLikeFeed', () => {
  test('tells feeds from pages', () => {
    const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
    assert.equal(looksLikeFeed(fixture('rss-teasers.xml')), true);
    assert.equal(looksLikeFeed(fixture('atom-content.xml'), 'text/xml'), true);
    assert.equal(looksLikeFeed(fixture('rdf.xml')), true);
    assert.equal(looksLikeFeed(fixture('jsonfeed.json'), 'application/json'), true);
    assert.equal(looksLikeFeed(bytes('{}'), 'application/feed+json'), true);
    assert.equal(looksLikeFeed(fixture('page.html'), 'text/html'), false);
    assert.equal(looksLikeFeed(bytes('{"a": 1}'), 'application/json'), false);
    assert.equal(looksLikeFeed(bytes('<?xml version="1.0"?><!-- c --><rss version="2.0"></rss>'), 'text/html'), true);
    assert.equal(looksLikeFeed(bytes('plain text')), false);
  });

  test('finds a feed behind white space, a byte-order mark or a wide encoding; text is read no further than its first character', () => {
    const rss = '<rss version="2.0"><channel><title>t</title></channel></rss>';
    const utf16le = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf16le'));
    assert.equal(looksLikeFeed(new TextEncoder().encode(` \n\t\r${rss}`)), true);
    assert.equal(looksLikeFeed(Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from(rss)])), true, 'UTF-8 byte-order mark');
    assert.equal(looksLikeFeed(utf16le(rss)), true, 'UTF-16 without a byte-order mark');
    assert.equal(looksLikeFeed(Uint8Array.from([0xff, 0xfe, ...utf16le(rss)])), true, 'UTF-16 with one');
    assert.equal(looksLikeFeed(Uint8Array.from([0xc2, 0xa0, ...Buffer.from(rss)])), true, 'a no-break space first');
    for (const text of ['Harbour pilots strike', '  "Quoted" headline', '# Markdown heading', 'x<rss>']) {
      assert.equal(looksLikeFeed(new TextEncoder().encode(text)), false, text);
      assert.equal(looksLikeFeed(utf16le(text)), false, `${text} (UTF-16)`);
    }
  });
});

describe('toIsoDate', () => {
  const cases: Array<[string, string | undefined]> = [
    ['Tue, 10 Jun 2003 04:00:00 GMT', '2003-06-10T04:00:00.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 +0000', '2003-06-10T04:00:00.000Z'],
    ['10 Jun 03 04:00 PDT', '2003-06-10T11:00:00.000Z'],
    ['Tuesday, 10 June 2003 04:00:00 -0130', '2003-06-10T05:30:00.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 UT', '2003-06-10T04:00:00.000Z'],
    ['2003-06-10T04:00:00+08:00', '2003-06-09T20:00:00.000Z'],
    ['2003-06-10T04:00:00.5Z', '2003-06-10T04:00:00.500Z'],
    ['2003-06-10', '2003-06-10T00:00:00.000Z'],
    ['2003-06', '2003-06-01T00:00:00.000Z'],
    ['20030610T040000Z', '2003-06-10T04:00:00.000Z'],
    ['2003-06-10 04:00:00', '2003-06-10T04:00:00.000Z'],
    ['1985-01-01T00:00:00Z', undefined],
    ['2026-11-30T00:00:00Z', undefined],
    ['2026-11-24T12:00:00Z', '2026-11-24T12:00:00.000Z'],
    ['yesterday', undefined],
    ['2003-13-45', undefined],
    ['', undefined],
  ];
  for (const [raw, expected] of cases) {
    test(JSON.stringify(raw), () => assert.equal(toIsoDate(raw, NOW), expected));
  }
});

describe('parseFeed: hostile XML', () => {
  test('DOCTYPE entities expand once and within a budget (no billion laughs)', () => {
    const lol =
      '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
    const refs = '&b;'.repeat(20_000);
    // The parse time is measured by bench/feed.bench.ts; here, that expansion is bounded.
    const feed = parseFeed(`${lol}<rss><channel><title>T</title><item><title>${refs}</title></item></channel></rss>`);
    assert.equal(feed.title, 'T');
    assert.ok((feed.items[0]?.title?.length ?? 0) < 2_000_000);
  });

  test('declared entities are honoured', () => {
    const feed = parseFeed('<!DOCTYPE rss [<!ENTITY org "Example Lab">]><rss><channel><title>News from &org;</title></channel></rss>');
    assert.equal(feed.title, 'News from Example Lab');
  });
});
