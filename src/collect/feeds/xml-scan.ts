/**
 * The lexical steps of the bound scan (xml-bounds.ts): where a comment, declaration or tag ends,
 * which attribute values are long, how many attributes a tag has, where text may be cut. Each is
 * one forward pass over the part of the document it is given.
 */

/** Index just past `close` searched from `from`; the end of the document when it never comes. */
export function endOf(xml: string, close: string, from: number): number {
  const at = xml.indexOf(close, from);
  return at < 0 ? xml.length : at + close.length;
}

/** `<!DOCTYPE …>`, with an internal subset in brackets that may hold `>`. */
export function declarationEnd(xml: string, lt: number): number {
  const gt = xml.indexOf('>', lt);
  const bracket = xml.indexOf('[', lt);
  if (gt < 0) return xml.length;
  if (bracket < 0 || bracket > gt) return gt + 1;
  return endOf(xml, '>', endOf(xml, ']', bracket));
}

/**
 * The end of a start tag (just past its `>`), skipping quoted attribute values, which may hold
 * `>`. One forward pass.
 */
export function tagEnd(xml: string, from: number): number {
  for (let i = from; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (c === 0x3e) return i + 1;
    if (c === 0x22 || c === 0x27) {
      const close = xml.indexOf(c === 0x22 ? '"' : "'", i + 1);
      if (close < 0) break;
      i = close;
    }
  }
  return xml.length;
}

/**
 * Attributes in the markup [from, end): names outside quoted values, each starting after a space
 * or a closing quote (the parser takes a bare word for an attribute too). One forward pass.
 */
export function attributeCount(xml: string, from: number, end: number): number {
  let count = 0;
  let after = true;
  for (let i = from; i < end; i++) {
    const c = xml.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      const close = xml.indexOf(c === 0x22 ? '"' : "'", i + 1);
      if (close < 0 || close >= end) break;
      i = close;
      after = true;
    } else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      after = true;
    } else {
      if (after && isNameStart(c)) count++;
      after = false;
    }
  }
  return count;
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0xc0;
}

/** The quoted attribute values of the tag [lt, end) longer than `max`, as [start, end) of their text. */
export function longValues(xml: string, lt: number, end: number, max: number): [number, number][] {
  const found: [number, number][] = [];
  for (let i = lt; i < end; i++) {
    const c = xml.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      const close = xml.indexOf(c === 0x22 ? '"' : "'", i + 1);
      if (close < 0 || close >= end) break;
      if (close - (i + 1) > max) found.push([i + 1, close]);
      i = close;
    }
  }
  return found;
}

/**
 * Where to cut text at `at` (≥ `from`) without splitting an entity reference (`&amp;`) or a
 * surrogate pair: a little earlier when `at` falls inside one.
 */
export function safeCut(xml: string, from: number, at: number, entities = true): number {
  let cut = at;
  if (entities) {
    const tail = xml.slice(Math.max(from, cut - 40), cut);
    const amp = tail.lastIndexOf('&');
    if (amp >= 0 && !tail.includes(';', amp)) cut -= tail.length - amp;
  }
  const code = xml.charCodeAt(cut - 1);
  if (cut > from && code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return cut;
}

/** Text as XML character data: what a CDATA section holds, said without one. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}
