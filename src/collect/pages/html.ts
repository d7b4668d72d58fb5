/**
 * Web pages and feed HTML → clean article text. @mozilla/readability finds the article body
 * (over linkedom's DOM); before it runs, the page's metadata is read and the furniture that
 * pages mark up as such (nav, cookie banners, newsletter boxes, comments, share bars, related
 * links, captions) is removed; after it, removeFurniture cleans what is left line by line.
 */
import type * as ReadabilityPackage from '@mozilla/readability';
import { lazyPackage } from '../../core/lazy-package.ts';
import type { ExtractedArticle } from './types.ts';
import { domToText, linkDensity, parseDocument, tooComplexForReadability, type DomDocument, type DomElement } from './dom.ts';
import { toIsoDate } from '../../text/dates.ts';
import { readPageMeta } from './meta.ts';
import { normaliseSpaces, removeFurniture } from './furniture.ts';
import { removeHiddenText } from './hidden.ts';

/** Readability, loaded the first time a page needs it (readers of plain text never do). */
const readability = lazyPackage<typeof ReadabilityPackage>('@mozilla/readability');

/** Class or id words that mark page furniture (matched as whole words of the attribute). */
const FURNITURE_CLASS =
  /(^|[\s_-])(cookie|cookies|consent|gdpr|newsletter|subscribe|subscription|signup|share|sharing|social|related|recommended|recirc|comments?|disqus|promo|advert|advertisement|ads?|sponsor|sponsored|breadcrumbs?|paywall|popup|modal|byline|author-bio|tags?|caption|credit|outbrain|taboola|more-stories|read-more|site-header|site-footer|masthead|toolbar|skip-link)([\s_-]|$)/i;

/** Roles and tags that are never the article. */
const FURNITURE_SELECTOR = [
  'nav',
  'footer',
  'aside',
  'form',
  'figcaption',
  'dialog',
  'noscript',
  'template',
  'iframe',
  '[role="navigation"]',
  '[role="banner"]',
  '[role="contentinfo"]',
  '[role="complementary"]',
  '[role="dialog"]',
  '[role="alert"]',
  '[aria-hidden="true"]',
  '[hidden]',
].join(', ');

/** Elements that hold the whole page or article: never removed by class name. */
const CONTAINERS = new Set(['HTML', 'BODY', 'MAIN', 'ARTICLE']);

/** Readability gives up below this many characters; short news items are still articles. */
const CHAR_THRESHOLD = 200;
/** A marked <article> with less prose than this goes through Readability like any page. */
const MIN_MARKED_ARTICLE_CHARS = 500;

function textLength(element: DomElement | null): number {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').length;
}

/**
 * Removes elements that are furniture by markup. An element whose class says "comments" but
 * which holds most of the page's text is kept: some sites name their wrappers carelessly.
 */
function removeMarkedFurniture(doc: DomDocument): void {
  const bodyLength = Math.max(1, textLength(doc.body));
  const byTag = doc.querySelectorAll(FURNITURE_SELECTOR);
  for (let i = 0; i < byTag.length; i++) {
    const el = byTag[i];
    if (el !== undefined && textLength(el) < 0.5 * bodyLength) el.remove();
  }
  // A site header outside the article (the article's own <header> holds its headline).
  const headers = doc.querySelectorAll('body > header, header[role="banner"]');
  for (let i = 0; i < headers.length; i++) headers[i]?.remove();

  const all = doc.querySelectorAll('[class], [id]');
  for (let i = 0; i < all.length; i++) {
    const el = all[i];
    if (el === undefined || CONTAINERS.has(el.tagName.toUpperCase())) continue;
    const marks = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (FURNITURE_CLASS.test(marks) && textLength(el) < 0.5 * bodyLength) el.remove();
  }
  // Link lists (menus, "related stories") that carry no marks at all.
  const lists = doc.querySelectorAll('ul, ol');
  for (let i = 0; i < lists.length; i++) {
    const el = lists[i];
    if (el !== undefined && textLength(el) < 1000 && linkDensity(el) > 0.7) el.remove();
  }
}

/** "Headline | Site" → "Headline"; "Headline - Site" only when the tail names the site. */
function stripSiteSuffix(title: string, publisher: string | undefined): string {
  // "标题_科技频道_晨光网": Chinese portals chain channel and site with underscores.
  const underscored = title.split('_');
  if (underscored.length > 1 && publisher !== undefined && underscored.at(-1)?.trim() === publisher.trim()) {
    return (underscored[0] ?? title).trim();
  }
  const m = /^(.{10,}?)\s+([|–—\-·»])\s+([^|–—]{1,60})$/.exec(title);
  if (!m) return title;
  const head = (m[1] ?? '').trim();
  const tail = (m[3] ?? '').trim().toLowerCase();
  const site = publisher?.trim().toLowerCase();
  const namesSite = site !== undefined && site !== '' && (tail === site || tail.includes(site) || site.includes(tail));
  return namesSite || m[2] === '|' ? head : title;
}

function cleanTitle(title: string | null | undefined): string | undefined {
  const t = normaliseSpaces(title ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return t === '' ? undefined : t;
}

interface ReadabilityResult {
  title?: string;
  text: string;
  byline?: string;
  siteName?: string;
  publishedTime?: string;
  lang?: string;
}

/** Text inside <p> elements under `root`: the measure of where a page's prose is. */
function paragraphChars(root: DomElement): number {
  let n = 0;
  const ps = root.querySelectorAll('p');
  for (let i = 0; i < ps.length; i++) n += textLength(ps[i] ?? null);
  return n;
}

/**
 * The page's one explicitly marked article, when it holds nearly all of the page's prose.
 * Such pages need no Readability scoring (which costs most of the time on long pages); the
 * furniture inside was already removed by markup and is removed again line by line.
 */
function markedArticle(doc: DomDocument): DomElement | undefined {
  const marked = doc.querySelectorAll('[itemprop="articleBody"]');
  const articles = marked.length === 1 ? marked : doc.querySelectorAll('article');
  if (articles.length !== 1 || !doc.body) return undefined;
  const article = articles[0];
  if (article === undefined) return undefined;
  const inside = paragraphChars(article);
  return inside >= MIN_MARKED_ARTICLE_CHARS && inside >= 0.8 * paragraphChars(doc.body) ? article : undefined;
}

function runReadability(doc: DomDocument): ReadabilityResult | undefined {
  try {
    // linkedom's document is DOM-compatible enough for Readability; the types come from different libs.
    const reader = new (readability().Readability)<string>(doc as never, {
      charThreshold: CHAR_THRESHOLD,
      keepClasses: false,
      serializer: (node) => domToText(node as never),
    });
    const result = reader.parse();
    if (result === null) return undefined;
    return {
      text: result.content ?? '',
      ...(result.title && { title: result.title }),
      ...(result.byline && { byline: result.byline }),
      ...(result.siteName && { siteName: result.siteName }),
      ...(result.publishedTime && { publishedTime: result.publishedTime }),
      ...(result.lang && { lang: result.lang }),
    };
  } catch {
    // Readability throws on some malformed documents; the fallback below still reads the body.
    return undefined;
  }
}

/**
 * A web page → its article: title, clean text (paragraphs separated by a blank line, no page
 * furniture) and what the page's metadata says (OpenGraph, JSON-LD, meta author,
 * article:published_time, <time datetime>, <html lang>, canonical link). A page that is not an
 * article gives short or empty text, never its navigation.
 */
/**
 * HTML read of one page, and of one feed item's content. A DOM costs far more memory than its
 * text (a 20 MB page took 675 MB and 10 s); an article page is rarely over 2 MB, and what
 * extraction keeps is capped at 200,000 characters of text anyway. Beyond these, the rest of
 * the markup is not read.
 */
export const MAX_PAGE_HTML_CHARS = 4_000_000;
export const MAX_ITEM_HTML_CHARS = 1_000_000;

export function extractFromHtml(whole: string, pageUrl: string): ExtractedArticle {
  const html = whole.length > MAX_PAGE_HTML_CHARS ? whole.slice(0, MAX_PAGE_HTML_CHARS) : whole;
  const doc = parseDocument(html);
  const meta = readPageMeta(doc, pageUrl);
  const h1s = doc.querySelectorAll('h1');
  const h1 = h1s.length === 1 ? cleanTitle(h1s[0]?.textContent) : undefined;
  const docTitle = cleanTitle(doc.querySelector('title')?.textContent);

  // Hidden text first: it is no part of the article, and a planted instruction's usual carrier.
  const instructions = removeHiddenText(doc);
  removeMarkedFurniture(doc);
  const article = markedArticle(doc);
  const simple = article === undefined && doc.body !== null && !tooComplexForReadability(doc.body);
  const read = simple ? runReadability(doc) : undefined;
  let raw = article !== undefined ? domToText(article) : (read?.text ?? '');
  if (article === undefined && read === undefined) {
    // Readability found nothing it trusts: read the cleaned body of a fresh copy instead.
    const fresh = parseDocument(html);
    removeHiddenText(fresh);
    removeMarkedFurniture(fresh);
    raw = fresh.body ? domToText(fresh.body) : '';
  }

  const publisher = meta.publisher ?? cleanTitle(read?.siteName);
  const candidate = cleanTitle(meta.title) ?? h1 ?? cleanTitle(read?.title) ?? docTitle ?? '';
  const title = stripSiteSuffix(candidate, publisher);
  const text = removeFurniture(raw, title);
  const author = meta.author ?? cleanTitle(read?.byline?.replace(/^by\s+/i, ''));
  const lang = meta.lang ?? read?.lang;
  const publishedAt = meta.publishedAt ?? toIsoDate(read?.publishedTime);
  return {
    title,
    text,
    ...(publisher !== undefined && { publisher }),
    ...(author !== undefined && author.length <= 120 && { author }),
    ...(publishedAt !== undefined && { publishedAt }),
    ...(lang !== undefined && { lang }),
    ...(meta.canonicalUrl !== undefined && { canonicalUrl: meta.canonicalUrl }),
    ...(instructions > 0 && { instructions }),
  };
}

/** A feed item's HTML content or summary → clean text (no tags, entities decoded, furniture removed). */
export function htmlToText(html: string): string {
  return htmlToArticleText(html).text;
}

/**
 * {@link htmlToText} with the count of planted instructions its hidden text carried (see
 * hidden.ts); the hidden text itself is gone from `text`.
 */
export function htmlToArticleText(whole: string): { text: string; instructions: number } {
  const html = whole.length > MAX_ITEM_HTML_CHARS ? whole.slice(0, MAX_ITEM_HTML_CHARS) : whole;
  if (html.trim() === '') return { text: '', instructions: 0 };
  if (!/[<&]/.test(html)) return { text: removeFurniture(html), instructions: 0 };
  const doc = parseDocument(html);
  const instructions = removeHiddenText(doc);
  removeMarkedFurniture(doc);
  return { text: removeFurniture(doc.body ? domToText(doc.body) : ''), instructions };
}
