/**
 * Escaping for Slack mrkdwn. Article titles and text are untrusted: without escaping, a
 * title like "<!channel> read this" pings everyone and "<https://evil|bank.com>" disguises a
 * link. Slack's rule is that only &, < and > need escaping; with them escaped no mention,
 * channel ping or link can appear in text we did not write ourselves.
 */
import { packLines } from '../pack.ts';

/** Zero-width space. */
const ZWSP = '\u200b';

/**
 * Escapes &, < and > so the text renders literally, and keeps *bold*, _italic_, ~strike~,
 * `code` and ``` fences from forming: mrkdwn has no escape character, but a marker only
 * counts next to a word on one side and a space or the line's edge on the other, and a
 * zero-width space on both sides of it is neither (whichever way a client classifies it).
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[*_~`]/g, (marker) => `${ZWSP}${marker}${ZWSP}`);
}

/**
 * The URL as it may stand inside `<url|label>`: http(s) only, with the characters that would
 * end or split the link token percent-encoded. Undefined for anything else (javascript:,
 * file: …), which is then shown as plain text.
 */
export function linkTarget(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return parsed.href.replace(/[<>|\s]/g, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
}

/** `<url|label>` with the label escaped (the `|` too, which would otherwise end the label early in some clients). */
export function mrkdwnLink(url: string, label: string): string {
  const target = linkTarget(url);
  const safeLabel = escapeMrkdwn(label).replace(/\|/g, '¦');
  return target === undefined ? safeLabel : `<${target}|${safeLabel}>`;
}

/**
 * Splits text into pieces of at most `max` characters, at line ends where possible, so long
 * content continues in a further block instead of being cut.
 */
export function splitText(text: string, max: number): string[] {
  return packLines(text.split('\n'), max, (line) => breakLine(line, max));
}

/** A line longer than `max` as pieces: cut at a space where one is near, never inside an escaped entity. */
function breakLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    const amp = rest.lastIndexOf('&', cut);
    if (amp > cut - 6 && amp > 0 && !rest.slice(amp, cut).includes(';')) cut = amp;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  pieces.push(rest);
  return pieces;
}
