/**
 * Quotations in what a reader sees: passages of three words or more in quotation marks, which
 * must be the source's words exactly (typography folded). An ellipsis or an editor's
 * [bracket] inside a quotation splits it: each part must be the source's words.
 */
import { normalizeForMatch } from '../text/normalize.ts';

const DOUBLE = /["“„«]([^"“”„«»\n]{3,400}?)["”»]/g;
/** Curly single quotes; a straight one only where it cannot be an apostrophe. */
const SINGLE = /‘([^‘’\n]{3,400}?)’(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])'([^'\n]{3,400}?)'(?![\p{L}\p{N}])/gu;

function isQuotation(q: string): boolean {
  return q.trim().split(/\s+/).length >= 3 || /[\u3400-\u9fff]{4,}/.test(q);
}

/** Quoted passages of three words or more (or four CJK characters), as written. */
export function quotesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(DOUBLE)) if (isQuotation(m[1]!)) out.push(m[1]!.trim());
  for (const m of text.matchAll(SINGLE)) {
    const q = m[1] ?? m[2]!;
    if (isQuotation(q)) out.push(q.trim());
  }
  return out;
}

/** The parts of a quotation that must each occur verbatim, normalised for matching. */
export function quoteParts(quote: string): string[] {
  return quote
    .split(/\s*(?:\.{3}|…|\[[^\]]{0,80}\])\s*/)
    .map((part) => normalizeForMatch(part.replace(/^[\s,.;:!?—–-]+|[\s,.;:!?—–-]+$/g, '')))
    .filter((part) => part.split(' ').length >= 2 || /[\u3400-\u9fff]{2,}/.test(part));
}

/** True when every part of the quotation occurs in the normalised source text. */
export function quoteIn(quote: string, sourceNorm: string): boolean {
  return quoteParts(quote).every((part) => sourceNorm.includes(part));
}
