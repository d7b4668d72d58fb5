/**
 * Feed strings as plain text: titles and names arrive as text, escaped HTML or XHTML, often
 * double-escaped; downstream wants one line of readable text.
 */
import { decodeHTML } from 'entities';

/** Tags stripped (script/style bodies dropped), HTML entities decoded, whitespace collapsed. */
export function toPlainText(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  let text = value;
  if (text.includes('<')) {
    text = text
      .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
      .replace(/<\/?[A-Za-z][^>]*>/g, (tag) => (/^<\/?(br|p|div|li|h\d)\b/i.test(tag) ? ' ' : ''));
  }
  if (text.includes('&')) text = decodeHTML(text);
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
