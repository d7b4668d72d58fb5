/**
 * Making untrusted article text safe to show in Discord: no Markdown that changes the
 * layout, no mention that even looks like one, no masked link that hides where it goes.
 * `allowedMentions: { parse: [] }` on every message is what stops pings; escaping here is
 * what stops text from *looking* like a ping or a link to something else.
 */

/** Zero-width space: breaks `@everyone` and `<@123>` without changing what readers see. */
const ZWSP = '\u200b';

/**
 * Escapes article text for an embed description, title or message content: every Markdown
 * construct (bold, italics, code, spoilers, headings, lists, quotes, masked links) is shown
 * literally, and mention syntax (`@everyone`, `@here`, `<@id>`, `<#id>`, `<@&id>`,
 * `</cmd:id>`, `<t:…>`) is broken with a zero-width space. Newlines become spaces, since
 * one article field is one line of a brief.
 */
export function escapeText(text: string): string {
  // Our own single pass instead of discord.js escapeMarkdown: its look-behind patterns are
  // quadratic on long text (they dominated the profile of rendering a large brief). In
  // Discord a backslash before a Markdown character shows that character literally.
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\*_~`|>#[\]]/g, '\\$&')
    .replace(/^([-+])(?=\s)/, '\\$1')
    .replace(/^(\d+)\.(?=\s)/, '$1\\.')
    .replace(/@(everyone|here)/gi, `@${ZWSP}$1`)
    .replace(/<([@#/:]|a:|t:)/g, `<${ZWSP}$1`);
}

/** Characters that would end an autolink early or be read as Markdown around it. */
const URL_UNSAFE = /[\s<>"`|\\^{}[\]()*_~]/g;

/**
 * A URL as readers should see it: the full address, never masked, only http(s) or file.
 * Anything else (javascript:, data:, a string that does not parse) is refused, so a source
 * can't smuggle a link in. Characters that could end the link early are percent-encoded.
 */
export function showUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!['http:', 'https:', 'file:'].includes(parsed.protocol)) return undefined;
  return parsed.href.replace(URL_UNSAFE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Cuts text to at most `max` characters (UTF-16 units), ending with "…" when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  // Never leave a lone escape backslash or half a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  if (/(^|[^\\])\\$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
