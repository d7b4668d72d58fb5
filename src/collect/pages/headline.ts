/**
 * The article's headline where pages repeat it in the text: alone, as a close variant, or glued
 * to the first sentence. Used by removeFurniture (furniture.ts).
 */

/** Lowercased words, for comparing headlines. */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKC')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Whether a paragraph has the same words as the title (`titleKey`: the title's words joined by spaces). */
function sameText(paragraph: string, titleKey: string): boolean {
  // A paragraph many times the title's length is not the title with some punctuation: skip
  // lowercasing and normalising every long paragraph of a long article.
  if (titleKey === '' || paragraph.length > 4 * titleKey.length + 100) return false;
  const first = firstAsciiWordChar(paragraph);
  if (first !== undefined && first !== titleKey[0]) return false;
  return words(paragraph).join(' ') === titleKey;
}

/**
 * The first character of `text`'s first word, lowercased, when plain ASCII settles it (as words()
 * would read it); undefined when a non-ASCII character comes first or right after it (a letter,
 * or a combining mark that normalising would join to it). Most paragraphs are ruled out as the
 * headline by this alone, without lowercasing and normalising all of them.
 */
function firstAsciiWordChar(text: string): string | undefined {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return undefined;
    const isDigit = code >= 0x30 && code <= 0x39;
    const lower = code | 0x20;
    if (!isDigit && !(lower >= 0x61 && lower <= 0x7a)) continue;
    if (i + 1 < text.length && text.charCodeAt(i + 1) >= 0x80) return undefined;
    return String.fromCharCode(isDigit ? code : lower);
  }
  return undefined;
}

/** A headline variant: a short line made mostly of the title's words ("China AI Leaders See…"). */
function isHeadlineVariant(paragraph: string, title: string): boolean {
  // Headlines do not end with a full stop; a lede that repeats the headline's words does.
  if (paragraph.length > 200 || /[.!?。]$/.test(paragraph.trim())) return false;
  const p = words(paragraph);
  const t = new Set(words(title));
  if (p.length < 4 || t.size < 4) return false;
  const shared = p.filter((w) => t.has(w)).length;
  return shared / p.length >= 0.75;
}

/** The paragraphs without the headline `title` (trimmed) repeated among the first of them. */
export function withoutHeadline(paragraphs: readonly string[], t: string): string[] {
  const titleKey = words(t).join(' ');
  const titleLetters = compact(t);
  return paragraphs
    .map((p, i) => {
      if (sameText(p, titleKey) || (i < 3 && isHeadlineVariant(p, t))) return '';
      // The headline glued to the first sentence ("…bets on videoKuaishou released…"): keep the sentence.
      const rest = i < 3 ? afterPrefix(p, titleLetters) : undefined;
      if (rest !== undefined) return rest;
      return p;
    })
    .filter((p) => p !== '');
}

/** Letters and digits only, lowercased: how a headline is compared when glued to prose. */
function compact(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]/gu) ?? []
  ).join('');
}

/**
 * When a paragraph starts with the headline (`want`: the headline's {@link compact} form) and
 * goes on, returns what follows it; else undefined. Compares letters and digits only, so quotes, emphasis and a missing space at the
 * seam do not matter.
 */
function afterPrefix(paragraph: string, want: string): string | undefined {
  if (want.length < 15) return undefined;
  let matched = 0;
  for (let i = 0; i < paragraph.length; i++) {
    const ch = paragraph[i] ?? '';
    const code = ch.charCodeAt(0);
    // ASCII letters and digits directly; anything else through the full comparison.
    const folded = code < 0x80 ? (/[A-Za-z0-9]/.test(ch) ? ch.toLowerCase() : '') : /[\p{L}\p{N}]/u.test(ch) ? compact(ch) : '';
    if (folded === '') continue;
    if (folded !== want[matched]) return undefined;
    matched += 1;
    if (matched === want.length) {
      const rest = paragraph
        .slice(i + 1)
        .replace(/^[\s"”’'*:.,|–—-]+/u, '')
        .trim();
      return rest.length >= 20 ? rest : undefined;
    }
  }
  return undefined;
}
