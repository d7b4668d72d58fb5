/**
 * A page's own statements about its article: JSON-LD (NewsArticle and friends), OpenGraph and
 * article:* meta tags, <meta name=author>, <link rel=canonical>, <time datetime>, <html lang>.
 * Read before Readability runs, because Readability rewrites the document.
 */
import type { DomDocument } from './dom.ts';
import { toIsoDate } from '../../text/dates.ts';

/** What the page's metadata says; every field optional. */
export interface PageMeta {
  title?: string;
  publisher?: string;
  author?: string;
  publishedAt?: string;
  lang?: string;
  canonicalUrl?: string;
}

const ARTICLE_TYPES =
  /^(NewsArticle|Article|ReportageNewsArticle|AnalysisNewsArticle|BlogPosting|TechArticle|OpinionNewsArticle|Report|LiveBlogPosting)$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function asObject(value: Json | undefined): Record<string, Json> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function asText(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) return asText(value[0]);
  const obj = asObject(value);
  return obj ? asText(obj['name']) : undefined;
}

/** Author(s) as a display string: "Jane Doe" or "Jane Doe, John Roe". */
function authorNames(value: Json | undefined): string | undefined {
  const list = Array.isArray(value) ? value : [value];
  const names = list.map((v) => asText(v)).filter((n): n is string => n !== undefined);
  return names.length > 0 ? [...new Set(names)].join(', ') : undefined;
}

function typesOf(node: Record<string, Json>): string[] {
  const type = node['@type'];
  return (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string');
}

/** Every object in the JSON-LD blocks, flattening arrays and @graph. */
function jsonLdNodes(doc: DomDocument): Record<string, Json>[] {
  const out: Record<string, Json>[] = [];
  const visit = (value: Json | undefined, depth: number) => {
    if (depth > 4 || value === undefined) return;
    if (Array.isArray(value)) value.forEach((v) => visit(v, depth + 1));
    const obj = asObject(value);
    if (!obj) return;
    out.push(obj);
    visit(obj['@graph'], depth + 1);
  };
  const scripts = doc.querySelectorAll('script[type="application/ld+json"]');
  for (let i = 0; i < scripts.length; i++) {
    try {
      visit(JSON.parse(scripts[i]?.textContent ?? '') as Json, 0);
    } catch {
      // A broken JSON-LD block is common and says nothing; the other metadata still counts.
    }
  }
  return out;
}

function metaContent(doc: DomDocument, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const el = doc.querySelector(`meta[property="${key}"], meta[name="${key}"], meta[itemprop="${key}"]`);
    const value = el?.getAttribute('content')?.trim();
    if (value) return value;
  }
  return undefined;
}

function absolute(href: string | undefined, base: string): string | undefined {
  if (href === undefined || href.trim() === '') return undefined;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'file:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** "zh_CN" → "zh-CN"; anything that is not a language tag → undefined. */
function langTag(value: string | undefined | null): string | undefined {
  const tag = value?.trim().replace('_', '-');
  return tag && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i.test(tag) ? tag : undefined;
}

/** Reads the page's metadata. `pageUrl` resolves relative canonical links. */
export function readPageMeta(doc: DomDocument, pageUrl: string): PageMeta {
  const ld = jsonLdNodes(doc);
  const article = ld.find((n) => typesOf(n).some((t) => ARTICLE_TYPES.test(t)));
  const time = doc.querySelector('article time[datetime], time[pubdate], time[datetime]')?.getAttribute('datetime') ?? undefined;

  const title = asText(article?.['headline']) ?? metaContent(doc, 'og:title', 'twitter:title');
  const publisher =
    asText(article?.['publisher']) ??
    metaContent(doc, 'og:site_name', 'application-name', 'publisher', 'twitter:site')?.replace(/^@/, '') ??
    asText(ld.find((n) => typesOf(n).some((t) => /^(NewsMediaOrganization|Organization|WebSite)$/.test(t)))?.['name']);
  const author =
    authorNames(article?.['author']) ??
    metaContent(doc, 'author', 'article:author', 'byl', 'parsely-author', 'dc.creator', 'DC.creator')?.replace(/^by\s+/i, '');
  const publishedAt =
    toIsoDate(asText(article?.['datePublished'])) ??
    toIsoDate(
      metaContent(
        doc,
        'article:published_time',
        'datePublished',
        'pubdate',
        'publishdate',
        'publish-date',
        'parsely-pub-date',
        'date',
        'dc.date',
        'DC.date.issued',
        'sailthru.date',
      ),
    ) ??
    toIsoDate(time) ??
    toIsoDate(asText(article?.['dateCreated']));
  const lang =
    langTag(doc.documentElement?.getAttribute('lang')) ??
    langTag(doc.querySelector('meta[http-equiv="content-language"], meta[http-equiv="Content-Language"]')?.getAttribute('content')) ??
    langTag(asText(article?.['inLanguage'])) ??
    langTag(metaContent(doc, 'og:locale'));
  const canonicalUrl =
    absolute(doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? undefined, pageUrl) ??
    absolute(metaContent(doc, 'og:url'), pageUrl) ??
    absolute(asText(article?.['url']), pageUrl);

  return {
    ...(title !== undefined && { title }),
    ...(publisher !== undefined && { publisher }),
    ...(author !== undefined && { author }),
    ...(publishedAt !== undefined && { publishedAt }),
    ...(lang !== undefined && { lang }),
    ...(canonicalUrl !== undefined && { canonicalUrl }),
  };
}
