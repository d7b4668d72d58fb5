/**
 * Feed strings as plain text: titles and names arrive as text, escaped HTML or XHTML, often
 * double-escaped; downstream wants one line of readable text.
 */
import type * as Entities from 'entities';
import { lazyPackage } from '../../core/lazy-package.ts';

const entities = lazyPackage<typeof Entities>('entities');

/**
 * CDATA unwrapped, script/style blocks and comments dropped, tags removed (block tags leave a
 * space). One pass with indexOf: an opener without its closer (hostile text is full of them)
 * ends the scan instead of being searched for again from every later position, which made
 * the regex version quadratic.
 */
function stripMarkup(text: string): string {
  return stripTags(unwrapCdata(text));
}

/** `<![CDATA[x]]>` → x; an unclosed section is left as it is. */
function unwrapCdata(text: string): string {
  if (!text.includes('<![CDATA[')) return text;
  let out = '';
  let pos = 0;
  for (let open = text.indexOf('<![CDATA[', pos); open >= 0; open = text.indexOf('<![CDATA[', pos)) {
    const close = text.indexOf(']]>', open + 9);
    if (close < 0) break;
    out += text.slice(pos, open) + text.slice(open + 9, close);
    pos = close + 3;
  }
  return out + text.slice(pos);
}

function stripTags(text: string): string {
  const lower = text.toLowerCase();
  const unclosed = new Set<string>();
  let out = '';
  let pos = 0;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) break;
    out += text.slice(pos, lt);
    pos = lt;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      // An unclosed comment hides the rest, as in a browser.
      if (close < 0) return out;
      pos = close + 3;
      continue;
    }
    const tag = /^<(\/?)([A-Za-z][A-Za-z0-9]*)/.exec(text.slice(lt, lt + 64));
    if (!tag) {
      // Not a tag ("a < b"): kept as text.
      out += '<';
      pos = lt + 1;
      continue;
    }
    const gt = text.indexOf('>', lt);
    // A tag never closed: no later one can close either; the rest stays text.
    if (gt < 0) break;
    const name = tag[2]!.toLowerCase();
    // Searched once per name: with no closer left, later openers are plain tags.
    const close = tag[1] === '' && (name === 'script' || name === 'style') && !unclosed.has(name) ? lower.indexOf(`</${name}`, gt) : -1;
    const closeEnd = close < 0 ? -1 : text.indexOf('>', close);
    if (close < 0 && (name === 'script' || name === 'style')) unclosed.add(name);
    if (closeEnd >= 0) {
      out += ' ';
      pos = closeEnd + 1;
    } else {
      if (/^(br|p|div|li|h\d)$/.test(name)) out += ' ';
      pos = gt + 1;
    }
  }
  return out + text.slice(pos);
}

/** Tags stripped (script/style bodies dropped), HTML entities decoded, whitespace collapsed. */
export function toPlainText(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  let text = value;
  if (text.includes('<')) text = stripMarkup(text);
  if (text.includes('&')) text = entities().decodeHTML(text);
  // Only ASCII whitespace collapses: a no-break space in a title is content.
  text = text.replace(/[ \t\r\n\f\v]+/g, ' ').replace(/^[ ]+|[ ]+$/g, '');
  return text === '' ? undefined : text;
}

/** Resolves a possibly relative URL against a base; keeps the input when it cannot be resolved. */
export function resolveUrl(link: string | null | undefined, base: string | undefined): string | undefined {
  if (!link) return undefined;
  const trimmed = link.trim();
  if (trimmed === '') return undefined;
  try {
    return new URL(trimmed, base).href;
  } catch {
    return trimmed;
  }
}
