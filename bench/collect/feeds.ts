/**
 * Feeds and pages of a synthetic corpus (bench/synthetic.ts) for the collect bench: RSS 2.0
 * with full text (content:encoded), or with teasers whose article page must be fetched.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SyntheticArticle } from '../synthetic.ts';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const paragraphs = (text: string): string =>
  text
    .split('\n\n')
    .map((p) => `<p>${escapeXml(p)}</p>`)
    .join('');

/** One RSS document; `link(a)` is each item's link; teasers carry 200 characters and "…". */
export function rss(title: string, articles: readonly SyntheticArticle[], link: (a: SyntheticArticle) => string, teasers: boolean): string {
  const items = articles.map((a) => {
    const body = teasers
      ? `<description>${escapeXml(`${a.text.slice(0, 200)}…`)}</description>`
      : `<description>${escapeXml(a.text.slice(0, 200))}</description><content:encoded>${escapeXml(paragraphs(a.text))}</content:encoded>`;
    return `<item><title>${escapeXml(a.title)}</title><link>${escapeXml(link(a))}</link><guid>${a.id}</guid><pubDate>${new Date(a.publishedAt).toUTCString()}</pubDate>${body}</item>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${escapeXml(title)}</title><link>https://feeds.example/</link>${items.join('')}</channel></rss>`;
}

/** An article page with furniture around the article, as a site serves it. */
export function page(a: SyntheticArticle): string {
  return `<!doctype html><html><head><title>${escapeXml(a.title)}</title><meta property="og:site_name" content="${escapeXml(a.publisher)}"></head><body><nav>Home · World · Business</nav><article><h1>${escapeXml(a.title)}</h1>${paragraphs(a.text)}</article><aside>Most read</aside><footer>Comments (0) · Subscribe to our newsletter</footer></body></html>`;
}

/** `feeds` local RSS files of `perFeed` full-text items each. */
export function writeFullTextFeeds(dir: string, articles: readonly SyntheticArticle[], feeds: number, perFeed: number): void {
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < feeds; f += 1) {
    const slice = articles.slice(f * perFeed, (f + 1) * perFeed);
    writeFileSync(
      join(dir, `feed-${String(f).padStart(2, '0')}.xml`),
      rss(`Feed ${f}`, slice, (a) => a.url, false),
    );
  }
}
