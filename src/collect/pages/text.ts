/**
 * Local plain-text and Markdown article files → an article. Such files are usually pages
 * saved by a scraper: a headline (often repeated), metadata lines ("Publish Date: …",
 * "Source Domain: …", the URL), then the text with its page furniture. Metadata lines are read
 * into fields and removed; everything else goes through removeFurniture.
 */
import type { ExtractedArticle } from './types.ts';
import { toIsoDate } from '../../text/dates.ts';
import { isByline, isFurnitureLine, normaliseSpaces, removeFurniture } from './furniture.ts';

/** What the metadata lines of a file said. */
interface TextMeta {
  title?: string;
  publisher?: string;
  domain?: string;
  author?: string;
  publishedAt?: string;
  updatedAt?: string;
  lang?: string;
  url?: string;
}

/** Metadata is looked for in the file's head: until the first long paragraph, at most this many lines. */
const HEAD_LINES = 25;
const LONG_LINE = 200;

const DATE_KEY = /^(publish(?:ed)?(?:\s+date|\s+on|\s+at)?|pub(?:lication)?\s+date|date|posted(?:\s+on)?|dateline)\s*[:：]\s*(.+)$/i;
const UPDATED_KEY = /^(updated|last updated|modified)\s*[:：]\s*(.+)$/i;
const DOMAIN_KEY = /^source\s+domain\s*[:：]\s*(\S+)$/i;
const SOURCE_KEY = /^(source|publisher|outlet|publication|via)\s*[:：]\s*(.{1,100})$/i;
const AUTHOR_KEY = /^(author|authors|byline|writer|written by)\s*[:：]\s*(.{1,100})$/i;
const URL_KEY = /^(url|link|canonical|original url|source url)\s*[:：]\s*(https?:\/\/\S+)$/i;
const TITLE_KEY = /^(title|headline)\s*[:：]\s*(.{1,300})$/i;
const LANG_KEY = /^(lang|language)\s*[:：]\s*([a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)$/i;
const BARE_URL = /^<?(https?:\/\/\S+?)>?$/i;
const BARE_DATE = /^(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?|\d{4}年\d{1,2}月\d{1,2}日)$/;
const BYLINE = /^[Bb][Yy]\s+(\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3})(?:\s*[,·|—]\s*(.{1,60}))?$/u;
const OUTLET_DATE = /^([\p{Lu}\p{N}][\p{L}\p{N} .&'’-]{0,40}?)\s+(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?)$/u;
const JOB_TITLE = /\b(reporter|editor|correspondent|writer|staff|contributor|journalist|analyst|columnist|desk)\b/i;

function setOnce<K extends keyof TextMeta>(meta: TextMeta, key: K, value: TextMeta[K] | undefined): void {
  if (value !== undefined && value !== '' && meta[key] === undefined) meta[key] = value;
}

function cleanName(value: string): string {
  return value.replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * Reads one metadata segment into `meta`. Returns true when the segment was metadata.
 * `head` allows the looser forms (bylines, "Source: X", "SCMP 2026-05-22") that only the
 * top of a file is trusted with.
 */
function readSegment(segment: string, meta: TextMeta, head: boolean): boolean {
  // Every form read outside the head has a colon ("Published:", "https://…"); most lines of a
  // text have none, and cleaning each one first cost more than the rest of this check.
  if (!head && !segment.includes(':') && !segment.includes('：')) return false;
  const s = cleanName(segment);
  let m: RegExpExecArray | null;
  if ((m = DATE_KEY.exec(s))) {
    const date = toIsoDate(m[2]);
    if (date === undefined && !/^publish/i.test(s)) return false;
    setOnce(meta, 'publishedAt', date);
    return true;
  }
  if ((m = UPDATED_KEY.exec(s))) return (setOnce(meta, 'updatedAt', toIsoDate(m[2])), true);
  if ((m = DOMAIN_KEY.exec(s))) return (setOnce(meta, 'domain', m[1]?.replace(/^www\./i, '')), true);
  if ((m = URL_KEY.exec(s))) return (setOnce(meta, 'url', m[2]), true);
  if ((m = BARE_URL.exec(s))) return (setOnce(meta, 'url', m[1]), true);
  if (!head) return false;
  if ((m = SOURCE_KEY.exec(s))) {
    const value = m[2]?.trim() ?? '';
    if (BARE_URL.test(value)) setOnce(meta, 'url', BARE_URL.exec(value)?.[1]);
    else setOnce(meta, 'publisher', value);
    return true;
  }
  if ((m = AUTHOR_KEY.exec(s))) return (setOnce(meta, 'author', m[2]?.trim()), true);
  if ((m = TITLE_KEY.exec(s))) return (setOnce(meta, 'title', m[2]?.trim()), true);
  if ((m = LANG_KEY.exec(s))) return (setOnce(meta, 'lang', m[2]?.replace('_', '-')), true);
  if (isByline(s) && (m = BYLINE.exec(s))) {
    setOnce(meta, 'author', m[1]);
    const rest = m[2]?.trim();
    const date = toIsoDate(rest);
    if (date !== undefined) setOnce(meta, 'publishedAt', date);
    else if (rest !== undefined && !JOB_TITLE.test(rest) && rest.split(/\s+/).length <= 5) setOnce(meta, 'publisher', rest);
    return true;
  }
  if ((m = OUTLET_DATE.exec(s))) {
    setOnce(meta, 'publisher', m[1]?.trim());
    setOnce(meta, 'publishedAt', toIsoDate(m[2]));
    return true;
  }
  if (BARE_DATE.test(s)) return (setOnce(meta, 'publishedAt', toIsoDate(s)), true);
  return false;
}

/**
 * Reads a line as metadata. A short line may hold several segments ("Pacific AI Wire ·
 * Published: 2026-05-22"); when one is metadata, a short name beside it is the outlet.
 */
function readMetaLine(line: string, meta: TextMeta, head: boolean): boolean {
  if (readSegment(line, meta, head)) return true;
  if (!head || line.length > 160) return false;
  const segments = line.split(/\s+[·|•—]\s+/);
  if (segments.length < 2) return false;
  const probe: TextMeta = {};
  const isMeta = segments.map((seg) => readSegment(seg, probe, head));
  if (!isMeta.some(Boolean)) return false;
  const rest = segments.filter((_, i) => !isMeta[i]).map(cleanName);
  if (!rest.every((r) => r.split(/\s+/).length <= 5 && !/[.!?]$/.test(r))) return false;
  for (const seg of segments) readSegment(seg, meta, head);
  setOnce(meta, 'publisher', rest[0]);
  return true;
}

/** YAML-ish front matter ("---\ntitle: …\ndate: …\n---") at the top of a file. */
function readFrontMatter(text: string, meta: TextMeta): string {
  const m = /^---\n([\s\S]{0,4000}?)\n---[ \t]*\n/.exec(text);
  if (!m) return text;
  for (const line of (m[1] ?? '').split('\n')) {
    const kv = /^([A-Za-z_]+)\s*:\s*["']?(.*?)["']?\s*$/.exec(line);
    if (!kv) continue;
    const key = (kv[1] ?? '').toLowerCase();
    const value = kv[2] ?? '';
    if (key === 'title' || key === 'headline') setOnce(meta, 'title', value);
    else if (/^(date|published|publishedat|published_at|pubdate)$/.test(key)) setOnce(meta, 'publishedAt', toIsoDate(value));
    else if (key === 'author') setOnce(meta, 'author', value);
    else if (/^(publisher|source|outlet|site)$/.test(key)) setOnce(meta, 'publisher', value);
    else if (/^(url|link|canonical)$/.test(key) && BARE_URL.test(value)) setOnce(meta, 'url', value);
    else if (key === 'lang' || key === 'language') setOnce(meta, 'lang', value);
  }
  return text.slice(m[0].length);
}

/** A metadata field line of a clipped article's header block. */
const META_FIELD =
  /^\s*(?:source|publisher|outlet|publication|published|publish date|date|updated|author|authors|byline|url|link|canonical)\s*[:：]\s*\S/i;

/**
 * Markdown → plain lines, keeping block structure: headings keep their marks (removeFurniture
 * gives them their own paragraph), soft-wrapped lines are joined, list items stay separate.
 */
export function markdownToPlain(markdown: string): string {
  const out: string[] = [];
  // The soft-wrapped lines of the paragraph being built, joined once when it ends.
  let para: string[] = [];
  let paraIsHeading = false;
  let hardBreak = false;
  let inFence = false;
  const flush = () => {
    if (para.length > 0) out.push(para.join(' '));
    para = [];
    paraIsHeading = false;
  };
  for (const rawLine of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(rawLine)) {
      inFence = !inFence;
      flush();
      out.push('');
      continue;
    }
    if (inFence) {
      out.push(rawLine);
      continue;
    }
    if (/^\s*\[[^\]]+\]:\s*\S+/.test(rawLine)) continue; // link reference definitions
    if (/^\s*([-*_]\s*){3,}$/.test(rawLine) || /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(rawLine)) {
      flush();
      out.push('');
      continue;
    }
    let line = rawLine
      // Bounded spans: an unclosed bracket in a long line must not make these quadratic.
      .replace(/!\[[^\]\n]{0,300}\]\([^)\n]{0,500}\)/g, '')
      .replace(/!\[[^\]\n]{0,300}\]\[[^\]\n]{0,100}\]/g, '')
      .replace(/\[([^\]\n]{1,300})\]\([^)\n]{0,500}\)/g, '$1')
      .replace(/\[([^\]\n]{1,300})\]\[[^\]\n]{0,100}\]/g, '$1')
      .replace(/<(https?:\/\/[^>\s]{1,2000})>/g, '$1')
      .replace(/<\/?[A-Za-z][^>\n]{0,500}>/g, '')
      .replace(/`([^`\n]{1,500})`/g, '$1')
      .replace(/~~([^~\n]{1,500})~~/g, '$1')
      .replace(/(\*\*|__)(?=\S)([^\n]{0,500}?\S)\1/g, '$2')
      .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)([^*\n]{0,500}?\S)\*(?![\p{L}\p{N}])/gu, '$1$2')
      .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_\n]{0,500}?\S)_(?![\p{L}\p{N}])/gu, '$1$2')
      .replace(/^\s*>\s?/, '')
      .replace(/^\s*\|\s*(.*?)\s*\|\s*$/, (_m, cells: string) => cells.split(/\s*\|\s*/).join(' — '));
    // A header block ("Source: …" / "Published: …" / "Author: …" on consecutive lines) is
    // metadata, one field a line: soft-wrapping would glue the fields into one.
    const isBlockStart = /^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s)/.test(line) || /^\s*\|/.test(rawLine) || META_FIELD.test(line);
    line = line.replace(/^\s*([-*+]|\d+[.)])\s+/, '');
    if (line.trim() === '') {
      flush();
      out.push('');
    } else if (isBlockStart) {
      flush();
      out.push('');
      para = [line];
      paraIsHeading = /^\s*#{1,6}\s/.test(line);
    } else if (para.length > 0 && !paraIsHeading && !hardBreak) {
      para.push(line.trim());
    } else {
      flush();
      para = [line];
    }
    hardBreak = / {2}$/.test(rawLine);
  }
  flush();
  return out.join('\n');
}

/** Strips decoration from a headline: heading marks, emphasis, wrapping quotes, a final period, " |". */
function cleanTitle(line: string): string {
  let t = line
    .trim()
    .replace(/^#{1,6}\s+/, '')
    .replace(/\*\*|__/g, '')
    .replace(/\s*\|+\s*$/, '')
    .trim();
  const quoted = /^["“'‘](.+)["”'’]$/.exec(t);
  if (quoted?.[1] !== undefined && !/["“”]/.test(quoted[1])) t = quoted[1].trim();
  if (/[^.]\.$/.test(t)) t = t.slice(0, -1);
  return t.replace(/\s+/g, ' ').trim();
}

const NON_ASCII = /[\u0080-\uffff]/;

/** Text that is mostly Han characters is Chinese; the rest is left unknown rather than guessed. */
export function guessLang(text: string): string | undefined {
  const sample = text.slice(0, 2000);
  // Plain ASCII has no Han or kana: the common case answered without three Unicode scans.
  if (!NON_ASCII.test(sample)) return undefined;
  const han = (sample.match(/\p{Script=Han}/gu) ?? []).length;
  const kana = (sample.match(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu) ?? []).length;
  const letters = (sample.match(/\p{L}/gu) ?? []).length;
  if (letters === 0) return undefined;
  if (kana > 0.1 * letters) return 'ja';
  if (han > 0.3 * letters) return 'zh';
  return undefined;
}

function titleFromFileName(fileName: string | undefined): string {
  if (fileName === undefined) return '';
  const base = fileName.split(/[\\/]/).at(-1) ?? '';
  return base
    .replace(/\.[^.]+$/, '')
    .replace(/^\d+[_-]/, '')
    .replace(/[_-]+/g, ' ')
    .trim();
}

/**
 * A local plain-text or Markdown article file → its article. The first meaningful line is the
 * title unless metadata says otherwise; metadata lines ("Publish Date: …", "Source Domain: …",
 * "Source: …", "By …", URL lines) are read into fields and removed from the text; Markdown is
 * reduced to plain text.
 */
export function extractFromText(
  raw: string,
  options: { format: 'text' | 'markdown'; fileName?: string },
): ExtractedArticle & { url?: string } {
  const meta: TextMeta = {};
  let text = normaliseSpaces(raw.replace(/^\uFEFF/, ''));
  text = readFrontMatter(text, meta);
  if (options.format === 'markdown') text = markdownToPlain(text);

  // Metadata lines: strict forms anywhere, looser ones only in the head of the file.
  const lines = text.split('\n');
  const kept: string[] = [];
  let head = true;
  let seen = 0;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed !== '') seen += 1;
    if (head && (seen > HEAD_LINES || trimmed.length > LONG_LINE)) head = false;
    if (trimmed !== '' && trimmed.length <= 300 && readMetaLine(trimmed.replace(/^#{1,6}\s+/, ''), meta, head)) continue;
    kept.push(line);
  }

  // The title: metadata's, else the first line that is neither furniture nor a separator.
  let title = meta.title !== undefined ? cleanTitle(meta.title) : '';
  if (title === '') {
    const index = kept.findIndex((l) => l.trim() !== '' && !isFurnitureLine(l) && cleanTitle(l) !== '');
    const line = index >= 0 ? (kept[index] ?? '') : '';
    if (line.trim().length <= LONG_LINE) {
      title = cleanTitle(line);
      if (index >= 0) kept.splice(index, 1);
    } else {
      // No headline line: the first sentence stands in, and stays in the text.
      const sentence = /^.{20,150}?[.!?。](\s|$)/.exec(line.trim())?.[0] ?? line.trim().slice(0, 120);
      title = cleanTitle(sentence);
    }
  }
  if (title === '') title = titleFromFileName(options.fileName);

  const body = removeFurniture(kept.join('\n'), title);
  const publisher = meta.publisher ?? meta.domain;
  const lang = meta.lang ?? guessLang(`${title}\n${body}`);
  const publishedAt = meta.publishedAt ?? meta.updatedAt;
  return {
    title,
    text: body,
    ...(publisher !== undefined && { publisher }),
    ...(meta.author !== undefined && { author: meta.author }),
    ...(publishedAt !== undefined && { publishedAt }),
    ...(lang !== undefined && { lang }),
    ...(meta.url !== undefined && { url: meta.url, canonicalUrl: meta.url }),
  };
}
