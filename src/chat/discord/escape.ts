/**
 * Making untrusted article text safe to show in Discord: no Markdown that changes the
 * layout, no mention that even looks like one, no masked link that hides where it goes.
 * `allowedMentions: { parse: [] }` on every message is what stops pings; escaping here is
 * what stops text from *looking* like a ping or a link to something else.
 */
import { clip } from '../../text/clip.ts';

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

/** Cuts escaped text to at most `max` characters, ending with "…" when cut, never after a lone escape backslash. */
export function clipEscaped(text: string, max: number): string {
  return clip(text, max, { unsafeEnd: /(?<!\\)\\$/ });
}
