/**
 * Making ill-formed feed XML parseable, and saying what was wrong. Feeds in the wild use HTML
 * entities XML does not define, bare ampersands, DOCTYPEs, junk before the root and truncated
 * endings; each repair here is recorded as a problem (feedparser's "bozo") so callers can tell
 * a salvaged feed from a clean one.
 */
import type * as Entities from 'entities';
import type * as FastXmlParser from 'fast-xml-parser';
import { lazyPackage } from '../../core/lazy-package.ts';

const entities = lazyPackage<typeof Entities>('entities');
const xmlParser = lazyPackage<typeof FastXmlParser>('fast-xml-parser');

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
/** Characters that DOCTYPE-declared entities may add to a document in total. */
const EXPANSION_BUDGET = 1_000_000;

export interface PreparedXml {
  xml: string;
  problems: string[];
}

/** Strips what the XML library cannot take and records every ill-formedness found. */
export function prepareXml(input: string): PreparedXml {
  const problems: string[] = [];
  let xml = input;

  const start = xml.search(/<[?!A-Za-z]/);
  if (start > 0) {
    if (xml.slice(0, start).trim() !== '') problems.push('content before the root element');
    xml = xml.slice(start);
  }

  // Internal DOCTYPE subsets may declare entities (`<!ENTITY x "…">`); keep their values.
  const declared = new Map<string, string>();
  xml = xml.replace(/<!DOCTYPE\b(?:[^[>]*\[[\s\S]*?\]\s*>|[^>]*>)/i, (doctype) => {
    for (const m of doctype.matchAll(/<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g)) {
      declared.set(m[1]!, m[2] ?? m[3] ?? '');
    }
    return '';
  });

  const validity = xmlParser().XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (validity !== true) {
    problems.push(`not well-formed XML: ${validity.err.msg} (line ${validity.err.line})`);
  }

  const undeclared = undeclaredPrefixes(xml);
  if (undeclared.length > 0) problems.push(`undeclared namespace prefix ${undeclared.map((p) => `"${p}:"`).join(', ')}`);

  const budget = { used: 0 };
  xml = mapOutsideCdata(xml, (text) => fixEntities(text, declared, problems, budget));
  return { xml, problems };
}

/** Element prefixes used without an `xmlns:prefix` declaration anywhere in the document. */
function undeclaredPrefixes(xml: string): string[] {
  const used = new Set<string>();
  const outside = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, '');
  for (const m of outside.matchAll(/<\/?([A-Za-z_][\w.-]*):[A-Za-z_]/g)) used.add(m[1]!);
  return [...used].filter((prefix) => prefix !== 'xml' && !new RegExp(`xmlns:${prefix.replace(/[.-]/g, '\\$&')}\\s*=`).test(xml));
}

/** Applies `fix` to the document text outside CDATA sections and comments. */
function mapOutsideCdata(xml: string, fix: (text: string) => string): string {
  const parts = xml.split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/);
  return parts.map((part, i) => (i % 2 === 1 ? part : fix(part))).join('');
}

/** Undefined entities → numeric references (HTML names) or escaped text; bare `&` → `&amp;`. */
function fixEntities(text: string, declared: ReadonlyMap<string, string>, problems: string[], budget: { used: number }): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;?)?/g, (whole, ref: string | undefined) => {
    if (ref === undefined || !ref.endsWith(';')) {
      noteOnce(problems, 'unescaped "&" in text');
      return `&amp;${ref ?? ''}`;
    }
    if (ref.startsWith('#')) return whole;
    const name = ref.slice(0, -1);
    if (XML_ENTITIES.has(name)) return whole;
    const value = declared.get(name);
    if (value !== undefined) {
      // Expanded once, never recursively, and within a budget: no "billion laughs".
      budget.used += value.length;
      if (budget.used <= EXPANSION_BUDGET) return escapeXmlText(value);
      noteOnce(problems, 'entity expansion limit reached; further references left unexpanded');
      return `&amp;${ref}`;
    }
    noteOnce(problems, `undefined entity &${name};`);
    const decoded = entities().decodeHTML(whole);
    if (decoded !== whole) return [...decoded].map((ch) => `&#${ch.codePointAt(0)};`).join('');
    return `&amp;${ref}`;
  });
}

function escapeXmlText(value: string): string {
  return value.replace(/&(?!#?\w+;)/g, '&amp;').replace(/</g, '&lt;');
}

function noteOnce(problems: string[], message: string): void {
  if (!problems.includes(message)) problems.push(message);
}

/**
 * Last-ditch repair for a document the parser rejects: drops a trailing partial tag and closes
 * elements left open, so a truncated download still yields its complete items.
 */
export function closeOpenElements(xml: string): string {
  let text = xml.replace(/<[^>]*$/, '');
  const stack: string[] = [];
  const tagPattern = /<(\/?)([A-Za-z_][\w:.-]*)[^>]*?(\/?)>|<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  for (const m of text.matchAll(tagPattern)) {
    const [, closing, name, selfClosing] = m;
    if (!name || selfClosing) continue;
    if (closing) {
      const at = stack.lastIndexOf(name);
      if (at >= 0) stack.length = at;
    } else {
      stack.push(name);
    }
  }
  text += stack
    .reverse()
    .map((name) => `</${name}>`)
    .join('');
  return text;
}
