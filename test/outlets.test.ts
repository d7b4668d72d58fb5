/**
 * Outlet attribution: every article is credited to the outlet that wrote it, from the best
 * evidence the feed item and its page carry — RSS `<source>`, Atom `<source><title>`, JSON
 * Feed `_source`-style extensions and site authors, the page's JSON-LD publisher and
 * og:site_name, an aggregator's " - Outlet" title suffix — and the feed's title only when
 * nothing better exists. Invented outlets and articles throughout.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { creditItems, fallbackOutlet } from '../src/collect/feeds/outlet.ts';
import { parseFeed } from '../src/collect/feeds/index.ts';
import { extractFromText } from '../src/collect/pages/index.ts';
import { toIsoDate } from '../src/text/dates.ts';
import type { Brief } from '../src/core/types.ts';
import { startHttpServer, type FakeHttpServer } from './fakes/http-server.ts';
import { runCli, tempDir } from './helpers/cli.ts';

test('RSS <source> names the outlet, not the aggregator channel', () => {
  const feed = parseFeed(`<?xml version="1.0"?><rss version="2.0"><channel><title>Gathernews</title>
<item><title>Ferry line adds winter sailings</title><link>https://a.example/1</link><source url="https://tidewater.example/">Tidewater Times</source></item>
</channel></rss>`);
  assert.equal(feed.items[0]!.source, 'Tidewater Times');
  assert.deepEqual(creditItems(feed), [{ outlet: 'Tidewater Times', title: 'Ferry line adds winter sailings' }]);
});

test('Atom <source><title> names the outlet; the entry keeps its own title', () => {
  const feed = parseFeed(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Planet</title>
<entry><title>Crane operators vote on new rota</title><link rel="alternate" href="https://b.example/2"/><id>x</id>
<source><id>tag:quaynews</id><title>Quay News Weekly</title></source></entry></feed>`);
  assert.equal(feed.items[0]!.title, 'Crane operators vote on new rota');
  assert.equal(feed.items[0]!.source, 'Quay News Weekly');
});

test('JSON Feed: a _source-style extension or an author that is a site names the outlet; a byline does not', () => {
  const feed = parseFeed(
    JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Lab Watch',
      items: [
        {
          id: '1',
          url: 'https://c.example/1',
          title: 'Assay maker raises $30 million',
          authors: [{ name: 'Ines Baro' }],
          _origin: { title: 'Biotech Ledger', html_url: 'https://ledger.example/' },
        },
        { id: '2', url: 'https://c.example/2', title: 'Assay maker hires finance chief', _source: { name: 'Genome Street' } },
        {
          id: '3',
          url: 'https://c.example/3',
          title: 'Assay maker opens plant',
          authors: [{ name: 'Pipette Post', url: 'https://pipette.example/' }],
        },
        {
          id: '4',
          url: 'https://c.example/4',
          title: 'Assay maker lists shares',
          authors: [{ name: 'Olu Grant', url: 'https://pipette.example/staff/olu-grant' }],
        },
      ],
    }),
  );
  assert.deepEqual(
    feed.items.map((i) => [i.source, i.author]),
    [
      ['Biotech Ledger', 'Ines Baro'],
      ['Genome Street', undefined],
      ['Pipette Post', 'Pipette Post'],
      [undefined, 'Olu Grant'],
    ],
  );
});

test('" - Outlet" title suffixes of an aggregator are credited and stripped; a lone dash in one title is not', () => {
  const aggregator = parseFeed(`<?xml version="1.0"?><rss version="2.0"><channel><title>Search: ferries</title>
<item><title>Ferry fares to rise 8% in spring - Island Courier</title><link>https://d.example/1</link></item>
<item><title>Ferry crews back new rota after vote - The Mainland Post</title><link>https://e.example/2</link></item>
<item><title>Why the ferry subsidy matters</title><link>https://f.example/3</link></item>
</channel></rss>`);
  const credits = creditItems(aggregator);
  assert.deepEqual(credits[0], { outlet: 'Island Courier', title: 'Ferry fares to rise 8% in spring' });
  assert.deepEqual(credits[1], { outlet: 'The Mainland Post', title: 'Ferry crews back new rota after vote' });
  assert.equal(credits[2]!.outlet, undefined);
  // An aggregator's item with no evidence is credited to its link's host, not to the aggregator.
  assert.equal(fallbackOutlet(aggregator, credits, 'https://www.f.example/3'), 'f.example');

  const own = parseFeed(`<?xml version="1.0"?><rss version="2.0"><channel><title>Island Courier</title>
<item><title>Harbour dredging to start - finally</title><link>https://d.example/9</link></item>
<item><title>Council backs new pier</title><link>https://d.example/10</link></item>
<item><title>Lifeboat crew honoured</title><link>https://d.example/11</link></item>
</channel></rss>`);
  const ownCredits = creditItems(own);
  assert.equal(ownCredits[0]!.title, 'Harbour dredging to start - finally');
  assert.equal(fallbackOutlet(own, ownCredits, 'https://d.example/9'), 'Island Courier');
});

test('a clipped Markdown article: header block fields each read, the caption under the photo dropped', () => {
  const md = `# Night buses return to the east side
Source: Eastbank Gazette
Published: 12 March 2026, 18:45 CST
Author: Pia Lund

The transit agency will restore four night bus routes from April, it said on Thursday.

![](bus.jpg)
*A night bus waits at the depot on Rowe Street. Photo: Eastbank Gazette/Pia Lund*

Riders had asked for the routes since they were cut in 2024.
`;
  const a = extractFromText(md, { format: 'markdown' });
  assert.equal(a.publisher, 'Eastbank Gazette');
  assert.equal(a.author, 'Pia Lund');
  assert.equal(a.publishedAt, '2026-03-13T00:45:00.000Z');
  assert.doesNotMatch(a.text, /depot on Rowe Street|Photo:/);
  assert.match(a.text, /restore four night bus routes/);
  assert.equal(toIsoDate('4 May 2026, 09:00 CEST'), '2026-05-04T07:00:00.000Z');
});

let server: FakeHttpServer;
const teaser = (n: number) => `A one-line teaser about the ferry strike, number ${n}.`;
const page = (head: string, body: string) =>
  `<!doctype html><html lang="en"><head>${head}</head><body><nav><a href="/">Home</a></nav><article><h1>Ferry strike</h1>${body}</article></body></html>`;
const PROSE: Record<string, string> = {
  herald: `<p>Ferry crews on the northern routes walked out on Monday morning, halting sailings to the three outer islands, the union said.</p>
<p>The crews' union said the strike would last 48 hours unless the operator withdrew its plan to cut overnight staffing, which it said put passengers at risk.</p>
<p>The operator said contingency sailings would carry medical supplies and that talks could resume as soon as Wednesday.</p>`,
  echo: `<p>No boats left the harbour on Monday as island ferry staff began a two-day stoppage over night-shift cuts.</p>
<p>Shopkeepers on the largest island said deliveries of fresh food would run out by Tuesday evening if the dispute dragged on.</p>
<p>A spokeswoman for the operator called the action disproportionate and said an independent review of staffing had been offered.</p>`,
  radio: `<p>Listeners on the outer islands told Harbour Lights Radio they had been stranded on the mainland after Monday's walkout by ferry workers.</p>
<p>One nurse said she had slept in her car at the terminal after the last sailing was cancelled without warning.</p>
<p>The regional council urged both sides to accept mediation and said it would charter a small boat for emergencies.</p>`,
};

before(async () => {
  server = await startHttpServer({
    '/feed.xml': (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Gathernews</title><link>https://gathernews.example/</link>
<item><title>Ferry crews strike</title><link>${server.url}/a/1?utm_source=gathernews</link><description>${teaser(1)}</description><source url="https://sound.example/">Sound Herald</source></item>
<item><title>Ferry strike halts island sailings</title><link>${server.url}/a/2</link><description>${teaser(2)}</description></item>
<item><title>Islands cut off as ferry crews walk out</title><link>${server.url}/a/3</link><description>${teaser(3)}</description></item>
</channel></rss>`),
    '/a/1': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(page('<meta property="og:site_name" content="Not The Herald">', PROSE['herald']!)),
    '/a/2': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          page(
            `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry strike","publisher":{"@type":"Organization","name":"Outer Isles Echo"}}</script><meta property="og:site_name" content="Echo Online">`,
            PROSE['echo']!,
          ),
        ),
    '/a/3': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(page('<meta property="og:site_name" content="Harbour Lights Radio">', PROSE['radio']!)),
  });
});
after(async () => {
  await server.close();
});

test('an aggregator feed of teasers: each article credited to its outlet in the brief, never to the channel', async () => {
  const cwd = tempDir();
  const out = await runCli(['brief', 'ferries', '--source', `${server.url}/feed.xml`, '--format', 'json'], {
    cwd,
    env: { BRIEFBOT_DB: join(cwd, 'b.db'), BRIEFBOT_ALLOW_HOSTS: '127.0.0.1' },
  });
  assert.equal(out.code, 0, out.stderr);
  const brief = JSON.parse(out.stdout) as Brief;
  const byPath = new Map(brief.articles.map((a) => [new URL(a.url).pathname, a.publisher]));
  // The item's own <source> beats the page; JSON-LD publisher beats og:site_name; og:site_name alone counts.
  assert.deepEqual(Object.fromEntries(byPath), { '/a/1': 'Sound Herald', '/a/2': 'Outer Isles Echo', '/a/3': 'Harbour Lights Radio' });
});
