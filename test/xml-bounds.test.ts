/**
 * The bound put on a feed document before the XML parser reads it (src/collect/feeds/xml-bounds.ts),
 * on invented RSS, Atom and RDF feeds: a document within bounds passes untouched; an oversized
 * text run, CDATA section or attribute value is cut where no entity or CDATA breaks, and the
 * feed still parses; only the newest items of a long feed are parsed; ill-formed documents
 * are salvaged as they were.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { MAX_FEED_ITEMS, parseFeed } from '../src/collect/feeds/index.ts';
import { boundXml, MAX_INSTRUCTION_CHARS, MAX_ITEM_ELEMENTS, MAX_XML_TEXT_CHARS } from '../src/collect/feeds/xml-bounds.ts';
import { runCli, tempDir } from './helpers/cli.ts';

const CAP = MAX_XML_TEXT_CHARS;
const TAGS_CUT =
  'markup past 200 elements, attributes, comments and CDATA sections in one item (10,000 outside items) dropped, its text kept';
const bound = (xml: string, maxItems = MAX_FEED_ITEMS): ReturnType<typeof boundXml> => boundXml(xml, { maxItems });
const minute = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString();

function rss(items: string[], title = 'Harbour notices'): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>https://notices.example.com/</link>${items.join('')}</channel></rss>`;
}

function rssItem(
  i: number,
  description = `Bay ${i} is closed for resurfacing, the council said.`,
  date: string | null = minute(i),
): string {
  const pubDate = date === null ? '' : `<pubDate>${date}</pubDate>`;
  return `<item><title>Notice ${i}</title><link>https://notices.example.com/n/${i}</link>${pubDate}<description>${description}</description></item>`;
}

function atom(entries: string[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Ferry log</title><id>urn:ferry</id><updated>2026-01-02T00:00:00Z</updated>${entries.join('')}</feed>`;
}

function atomEntry(i: number, content = `<p>Crossing ${i} ran on time.</p>`): string {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return `<entry><title>Crossing ${i}</title><id>urn:ferry:${i}</id><link href="https://ferry.example.org/c/${i}"/><updated>${at}</updated><content type="html"><![CDATA[${content}]]></content></entry>`;
}

function rdf(items: string[]): string {
  return (
    '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
    '<channel rdf:about="https://digest.example.com/rss"><title>Digest</title><link>https://digest.example.com/</link><description>Weekly.</description></channel>' +
    `${items.join('')}</rdf:RDF>`
  );
}

function rdfItem(i: number, extra = ''): string {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString();
  return `<item rdf:about="https://digest.example.com/w${i}"><title>Week ${i}</title><link>https://digest.example.com/w${i}</link>${extra}<dc:date>${at}</dc:date></item>`;
}

/** A high surrogate not followed by a low one (a character cut in half). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('a document within bounds', () => {
  test('RSS, Atom and RDF come back as the same string, nothing cut', () => {
    for (const xml of [rss([rssItem(1), rssItem(2)]), atom([atomEntry(1), atomEntry(2)]), rdf([rdfItem(1), rdfItem(2)])]) {
      const bounded = bound(xml);
      assert.equal(bounded.xml, xml);
      assert.equal(bounded.itemCount, 2);
      assert.deepEqual(bounded.cuts, []);
    }
  });

  test('a text run of exactly the cap, and an item of exactly the element cap, are not cut', () => {
    const categories = Array.from({ length: MAX_ITEM_ELEMENTS - 4 }, (_, i) => `<category>c${i}</category>`).join('');
    const xml = rss([
      rssItem(1, 'w'.repeat(CAP)),
      `<item><title>Full</title><link>https://n.example.com/f</link><pubDate>${minute(2)}</pubDate>${categories}<description>d</description></item>`,
    ]);
    const bounded = bound(xml);
    assert.equal(bounded.xml, xml);
    assert.equal(parseFeed(xml).cuts, undefined);
  });

  test('ill-formed documents pass untouched, so they are salvaged as before', () => {
    const documents = [
      // truncated mid-item
      rss([rssItem(1), rssItem(2)]).slice(0, -60),
      // items never closed
      '<rss version="2.0"><channel><title>Open</title><item><title>A</title><link>https://o.example.com/a</link><item><title>B</title><link>https://o.example.com/b</link></channel></rss>',
      // stray end tags, a bare "<" and "&", junk before the root
      'PHP Warning: x\n<rss><channel><title>Stray</title></b><item><title>1 < 2 & 3</title></i><link>https://s.example.com/1</link></item></channel></rss>',
      // an unclosed CDATA section and comment
      atom([atomEntry(1), '<entry><title>Cut</title><content><![CDATA[<p>never closed']),
      rdf([rdfItem(1), '<!-- a comment never closed <item>']),
    ];
    for (const xml of documents) {
      const bounded = bound(xml);
      assert.equal(bounded.xml, xml, xml.slice(0, 60));
      assert.deepEqual(bounded.cuts, []);
    }
    const salvaged = parseFeed(documents[0]!);
    assert.deepEqual(
      salvaged.items.map((i) => i.title),
      ['Notice 1', 'Notice 2'],
    );
    assert.ok(salvaged.problems.length > 0, 'the truncation is still reported');
  });
});

describe('an oversized text run, CDATA section or attribute value', () => {
  test('RSS: a text run is cut at the cap, never inside an entity reference, and the items parse', () => {
    // The cap falls inside "&amp;": the cut moves back before it.
    const text = `${'x'.repeat(CAP - 2)}&amp;${'y'.repeat(2 * CAP)}`;
    const xml = rss([rssItem(1, text), rssItem(2)]);
    const bounded = bound(xml);
    assert.ok(bounded.xml.includes(`<description>${'x'.repeat(CAP - 2)}</description>`), 'cut before the "&"');
    assert.equal(bounded.xml.length, xml.length - (text.length - (CAP - 2)));
    assert.deepEqual(bounded.cuts, ['text over 1,000,000 characters in one element cut']);

    const feed = parseFeed(xml, { now: new Date('2026-02-01T00:00:00Z') });
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ['Notice 1', 'Notice 2'],
    );
    assert.equal(feed.items[0]!.summary?.length, CAP - 2);
    assert.equal(feed.items[1]!.summary, 'Bay 2 is closed for resurfacing, the council said.');
    assert.deepEqual(feed.cuts, bounded.cuts);
    assert.deepEqual(feed.problems, [], 'the cut document is still well-formed');
  });

  test('RSS: escaped markup (the hostile "&lt;script &lt;![CDATA[" item) is cut on an entity boundary', () => {
    const unit = '&lt;script &lt;![CDATA[ ';
    // Four characters ahead make the cap fall just after the second "&" of a unit.
    const xml = rss([rssItem(1, `lead${unit.repeat(Math.ceil((3 * CAP) / unit.length))}`)]);
    const bounded = bound(xml);
    const description = /<description>([^<]*)<\/description>/.exec(bounded.xml)?.[1] ?? '';
    assert.equal(description.length, CAP - 1);
    assert.ok(description.endsWith('&lt;script '), 'ends before the entity the cap fell in');
    const feed = parseFeed(xml);
    assert.equal(feed.items.length, 1);
    assert.deepEqual(feed.problems, []);
  });

  test('Atom: CDATA content is cut inside the section, which is closed again; the next entry is whole', () => {
    const huge = `<p>${'z'.repeat(2 * CAP)}</p>`;
    const xml = atom([atomEntry(1, huge), atomEntry(2)]);
    const bounded = bound(xml);
    assert.ok(bounded.xml.includes(`<![CDATA[${huge.slice(0, CAP)}]]></content></entry>`));
    assert.deepEqual(bounded.cuts, ['text over 1,000,000 characters in one element cut']);
    const feed = parseFeed(xml);
    assert.equal(feed.format, 'atom');
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ['Crossing 1', 'Crossing 2'],
    );
    assert.equal(feed.items[1]!.content, '<p>Crossing 2 ran on time.</p>');
    assert.deepEqual(feed.problems, []);
  });

  test('text and CDATA of one run share the cap; a CDATA section past it is dropped whole', () => {
    const xml = rss([rssItem(1, `${'t'.repeat(CAP)}<![CDATA[more]]> tail`), rssItem(2)]);
    const bounded = bound(xml);
    assert.ok(bounded.xml.includes(`<description>${'t'.repeat(CAP)}</description>`));
    assert.equal(parseFeed(xml).items.length, 2);
  });

  test('a character outside the BMP is never cut in half', () => {
    const xml = atom([atomEntry(1, `a${'😀'.repeat(CAP)}`)]);
    const bounded = bound(xml);
    assert.doesNotMatch(bounded.xml, LONE_SURROGATE);
    assert.equal(parseFeed(xml).items.length, 1);
  });

  test('RDF: an attribute value is cut at the cap (not inside an entity) and the items parse', () => {
    const url = `https://digest.example.com/s?q=${'q'.repeat(CAP - 34)}&amp;${'r'.repeat(CAP)}`;
    const xml = rdf([rdfItem(1, `<dc:subject rdf:resource="${url}"/>`), rdfItem(2)]);
    const bounded = bound(xml);
    const value = /rdf:resource="([^"]*)"/.exec(bounded.xml)?.[1] ?? '';
    assert.ok(value.length <= CAP && value.length >= CAP - 5, `${value.length}`);
    assert.ok(!value.includes('&'), 'cut before the "&amp;" the cap falls in');
    assert.deepEqual(bounded.cuts, ['attribute value over 1,000,000 characters cut']);
    const feed = parseFeed(xml);
    assert.equal(feed.format, 'rdf');
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ['Week 1', 'Week 2'],
    );
    assert.deepEqual(feed.problems, []);
  });

  test('an item of too many elements keeps the first ones and the text of the rest; the next item is whole', () => {
    const categories = Array.from({ length: 3 * MAX_ITEM_ELEMENTS }, (_, i) => `<category>c${i}</category>`).join('');
    const xml = rss([
      `<item><title>Crowded</title><link>https://n.example.com/c</link><pubDate>${minute(1)}</pubDate>${categories}</item>`,
      rssItem(2),
    ]);
    const bounded = bound(xml);
    assert.deepEqual(bounded.cuts, [TAGS_CUT]);
    assert.ok(bounded.xml.includes(` c${3 * MAX_ITEM_ELEMENTS - 1} `), 'the text of a dropped element is kept');
    const feed = parseFeed(xml);
    assert.equal(feed.items[0]!.categories?.length, MAX_ITEM_ELEMENTS - 3, 'title, link and pubDate count too');
    assert.equal(feed.items[1]!.title, 'Notice 2');
    assert.deepEqual(feed.problems, []);
  });

  test('attributes count with elements: a tag of too many is dropped, an item keeps its element and loses them', () => {
    const many = ' a="1"'.repeat(3 * MAX_ITEM_ELEMENTS);
    const bare = ' b'.repeat(3 * MAX_ITEM_ELEMENTS);
    const crowded = `<item${many}><title>Crowded tag</title><link>https://n.example.com/t</link><pubDate>${minute(1)}</pubDate><category${bare}>kept words</category></item>`;
    const xml = rss([crowded, rssItem(2)]);
    const bounded = bound(xml);
    assert.ok(bounded.xml.includes('<item><title>Crowded tag</title>'), 'the item start tag without its attributes');
    assert.ok(bounded.xml.includes('</pubDate> kept words </item>'), 'the crowded tag dropped, its text kept');
    assert.deepEqual(bounded.cuts, [TAGS_CUT]);
    const feed = parseFeed(xml);
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ['Crowded tag', 'Notice 2'],
    );
    assert.deepEqual(feed.problems, []);
  });

  test('processing instructions: a long one is dropped, and many small ones count against the item', () => {
    const long = `<?note ${'w '.repeat(MAX_INSTRUCTION_CHARS)}?>`;
    const small = '<?n a b?>'.repeat(MAX_ITEM_ELEMENTS);
    const xml = rss([
      rssItem(1, `Before${long}after`),
      `<item><title>Busy</title><link>https://n.example.com/p</link>${small}<pubDate>${minute(2)}</pubDate></item>`,
    ]);
    const bounded = bound(xml);
    assert.ok(bounded.xml.includes('<description>Before after</description>'));
    assert.deepEqual(bounded.cuts, ['processing instructions over 1,000 characters dropped', TAGS_CUT]);
    const feed = parseFeed(xml);
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ['Notice 1', 'Busy'],
    );
    assert.equal(feed.items[0]!.summary, 'Before after');
  });
});

describe('comments and CDATA sections past the budget', () => {
  test('comments are dropped, CDATA sections become escaped text: the item reads the same', () => {
    const sections = '<!-- c -->'.repeat(300) + '<![CDATA[<b>x</b> & ]]>'.repeat(300);
    const xml = rss([rssItem(1, sections), rssItem(2)]);
    const bounded = bound(xml);
    assert.deepEqual(bounded.cuts, [TAGS_CUT]);
    assert.ok(bounded.xml.includes('&lt;b&gt;x&lt;/b&gt; &amp; </description>'));
    assert.equal((bounded.xml.match(/<!--/g) ?? []).length, MAX_ITEM_ELEMENTS - 4, 'title, link, pubDate and description count too');
    const feed = parseFeed(xml);
    assert.equal(feed.items[0]!.summary, '<b>x</b> & '.repeat(300).trim());
    assert.equal(feed.items[1]!.title, 'Notice 2');
    assert.deepEqual(feed.problems, []);
  });
});

describe('a long feed: only the newest items are parsed', () => {
  test('60,000 RSS items in no date order: the newest 500 are parsed, in feed order; itemCount says 60,000', () => {
    const n = 60_000;
    // Dates are a permutation of 0..n-1 minutes (7,919 is prime to 60,000): the newest are spread through the feed.
    const order = (i: number): number => (i * 7_919) % n;
    const xml = rss(Array.from({ length: n }, (_, i) => rssItem(i, `Bay ${i}.`, minute(order(i)))));
    const bounded = bound(xml);
    assert.equal(bounded.itemCount, n);
    assert.ok(bounded.xml.length < xml.length / 50, 'the parser never sees the other items');

    const feed = parseFeed(xml, { now: new Date('2027-01-01T00:00:00Z') });
    assert.equal(feed.itemCount, n);
    assert.equal(feed.items.length, MAX_FEED_ITEMS);
    const expected = Array.from({ length: n }, (_, i) => i).filter((i) => order(i) >= n - MAX_FEED_ITEMS);
    assert.deepEqual(
      feed.items.map((item) => item.title),
      expected.map((i) => `Notice ${i}`),
    );
    assert.equal(feed.title, 'Harbour notices', 'what is outside the items is kept');
    assert.deepEqual(feed.problems, []);
    assert.equal(feed.cuts, undefined);
  });

  test('Atom entries dated by <updated> only, RDF items by dc:date, undated items last in feed order', () => {
    const entries = Array.from({ length: 10 }, (_, i) => atomEntry(9 - i));
    const atomFeed = parseFeed(atom(entries), { maxItems: 3 });
    assert.equal(atomFeed.itemCount, 10);
    assert.deepEqual(
      atomFeed.items.map((i) => i.title),
      ['Crossing 9', 'Crossing 8', 'Crossing 7'],
    );

    const rdfFeed = parseFeed(rdf([rdfItem(5), rdfItem(1), rdfItem(7), rdfItem(3)]), { maxItems: 2 });
    assert.equal(rdfFeed.itemCount, 4);
    assert.deepEqual(
      rdfFeed.items.map((i) => i.title),
      ['Week 5', 'Week 7'],
    );

    const undated = parseFeed(rss([rssItem(1, 'a', null), rssItem(2), rssItem(3, 'c', null), rssItem(4, 'd', null)]), { maxItems: 2 });
    assert.deepEqual(
      undated.items.map((i) => i.title),
      ['Notice 1', 'Notice 2'],
      'the dated one, then the first undated',
    );
  });

  test('a dc:date item in an RSS 2.0 feed counts, and a date inside a nested element does not', () => {
    const nested = `<item><title>Nested</title><link>https://n.example.com/x</link><source><pubDate>${minute(999)}</pubDate></source></item>`;
    const dc = `<item><title>DC</title><link>https://n.example.com/dc</link><dc:date>2026-01-01T00:05:00Z</dc:date></item>`;
    const feed = parseFeed(
      rss([nested, rssItem(1), dc]).replace('<rss version="2.0">', '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'),
      { maxItems: 2 },
    );
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ['Notice 1', 'DC'],
    );
  });

  test('a truncated long feed is salvaged: the newest items parsed, the truncation reported', () => {
    const xml = rss(Array.from({ length: 600 }, (_, i) => rssItem(i))).replace('</channel></rss>', '<item><title>Half');
    const feed = parseFeed(xml);
    assert.equal(feed.itemCount, 601);
    assert.equal(feed.items.length, MAX_FEED_ITEMS);
    assert.equal(feed.items[0]!.title, 'Notice 100');
    assert.equal(feed.items.at(-1)!.title, 'Notice 599');
    assert.ok(feed.problems.length > 0);
  });

  test('a JSON Feed is cut to its newest items too', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({
      id: `n${i}`,
      url: `https://j.example.com/${i}`,
      title: `Item ${i}`,
      content_text: 'Words.',
      date_published: new Date(Date.UTC(2026, 0, 1 + ((i * 5) % 12))).toISOString(),
    }));
    const feed = parseFeed(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items }), { maxItems: 3 });
    assert.equal(feed.itemCount, 12);
    // Days 1 + (i*5 mod 12): the newest three are i = 7 (day 12), 2 (day 11) and 9 (day 10), kept in feed order.
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ['Item 2', 'Item 7', 'Item 9'],
    );
  });
});

describe('collect says what of a feed it did not read', () => {
  test('one warning line for the items left unread, one for the cuts; the items read are stored', async () => {
    const items = Array.from({ length: 700 }, (_, i) => rssItem(i, i === 650 ? `Bay ${i} ${'long '.repeat(CAP / 2)}` : undefined));
    const dir = tempDir('briefbot-bounds-');
    writeFileSync(join(dir, 'notices.xml'), rss(items));
    // --offline: the items are teasers whose pages must not be fetched here.
    const collect = await runCli(['collect', 'notices', '--source', dir, '--offline'], {
      cwd: dir,
      env: { BRIEFBOT_DB: join(dir, 'b.db') },
    });
    assert.equal(collect.code, 0, collect.stderr);
    assert.match(collect.stdout, /feed has 700 items; read the newest 500 \(at most 500 items per feed per collect\)/);
    assert.match(collect.stdout, /feed too large to read whole: text over 1,000,000 characters in one element cut/);
    assert.match(collect.stdout, /500 new articles/);
  });
});
