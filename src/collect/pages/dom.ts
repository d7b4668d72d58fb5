/**
 * The little DOM this project needs (linkedom provides it; the project compiles without the
 * DOM lib), and the walk from a DOM subtree to plain paragraphs.
 */
import type * as Linkedom from 'linkedom';
import { lazyPackage } from '../../core/lazy-package.ts';

/**
 * linkedom, loaded the first time a page is parsed: it was a third of a reader thread's start-up
 * (0.1 s of 0.3 s) and some 4 MB of heap that reading plain-text files, or a command that parses
 * no HTML, never needed.
 */
const linkedom = lazyPackage<typeof Linkedom>('linkedom');

/** A DOM node as linkedom gives it; only what the extractors use. */
export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
  readonly parentNode: DomNode | null;
}

export interface DomElement extends DomNode {
  readonly tagName: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
  remove(): void;
}

export interface DomDocument {
  readonly documentElement: DomElement | null;
  readonly body: DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
}

const ELEMENT = 1;
const TEXT = 3;

/** Parses an HTML document (or fragment, wrapped in a body) with linkedom. */
export function parseDocument(html: string): DomDocument {
  const wrapped = /<(html|body|head)[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
  return linkedom().parseHTML(wrapped).document as unknown as DomDocument;
}

/** Elements whose content is never article text. */
export const NEVER_TEXT = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'CANVAS',
  'FORM',
  'BUTTON',
  'INPUT',
  'SELECT',
  'TEXTAREA',
  'LABEL',
  'NAV',
  'FOOTER',
  'ASIDE',
  'FIGCAPTION',
  'IMG',
  'PICTURE',
  'VIDEO',
  'AUDIO',
  'SOURCE',
  'MENU',
  'DIALOG',
  'HEAD',
  'TITLE',
  'META',
  'LINK',
]);

/** Elements that start a new paragraph. */
const BLOCK = new Set([
  'P',
  'DIV',
  'SECTION',
  'ARTICLE',
  'MAIN',
  'HEADER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'LI',
  'UL',
  'OL',
  'DL',
  'DT',
  'DD',
  'BLOCKQUOTE',
  'PRE',
  'TABLE',
  'TR',
  'FIGURE',
  'HR',
  'ADDRESS',
  'DETAILS',
  'SUMMARY',
  'CENTER',
  'BODY',
  'HTML',
]);

/** Blocks that hold a whole page or article: never judged by their link density. */
const CONTAINERS = new Set(['HTML', 'BODY', 'MAIN', 'ARTICLE']);

/** Deeper than this, structure is no longer followed (and the call stack stays small). */
const MAX_WALK_DEPTH = 400;

/**
 * True when a document is too deep or too large for Readability, whose scoring grows
 * quadratically with nesting: a hostile page must not stall a collect run.
 */
export function tooComplexForReadability(root: DomNode, maxDepth = 120, maxElements = 30_000): boolean {
  const stack: [DomNode, number][] = [[root, 0]];
  let elements = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop() ?? [root, 0];
    if (node.nodeType !== ELEMENT) continue;
    elements += 1;
    if (depth > maxDepth || elements > maxElements) return true;
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child !== undefined && child.nodeType === ELEMENT) stack.push([child, depth + 1]);
    }
  }
  return false;
}

function isElement(node: DomNode): node is DomElement {
  return node.nodeType === ELEMENT;
}

/** Share of an element's text that sits inside links: menus and link lists are mostly links. */
export function linkDensity(element: DomElement): number {
  const total = (element.textContent ?? '').replace(/\s+/g, '').length;
  if (total === 0) return 0;
  let linked = 0;
  const links = element.querySelectorAll('a');
  for (let i = 0; i < links.length; i++) linked += (links[i]?.textContent ?? '').replace(/\s+/g, '').length;
  return linked / total;
}

/**
 * A DOM subtree → plain text: one paragraph per block element (separated by a blank line),
 * `<br>` as a line break, inline whitespace collapsed, entities already decoded by the parser.
 * Blocks made mostly of links (menus, related-story lists) are skipped.
 */
export function domToText(root: DomNode): string {
  const paragraphs: string[] = [];
  let current = '';
  // Characters seen so far, and how many of them were inside links: a block's share of link
  // text is measured by the difference across it, in the same single walk.
  let chars = 0;
  let linkChars = 0;
  let inLink = 0;
  const flush = () => {
    const text = current
      .replace(/[ \t\f\v\u00A0]+/g, ' ')
      .replace(/ *\n */g, '\n')
      .trim();
    if (text !== '') paragraphs.push(text);
    current = '';
  };
  const walk = (node: DomNode, depth: number) => {
    if (depth > MAX_WALK_DEPTH) {
      // Pathologically deep markup: the rest of this subtree is read as plain text.
      current += ` ${(node.textContent ?? '').replace(/\s+/g, ' ')}`;
      return;
    }
    if (node.nodeType === TEXT) {
      const text = (node.textContent ?? '').replace(/\s+/g, ' ');
      current += text;
      const visible = text.replace(/\s+/g, '').length;
      chars += visible;
      if (inLink > 0) linkChars += visible;
      return;
    }
    if (!isElement(node)) return;
    const tag = node.tagName.toUpperCase();
    if (NEVER_TEXT.has(tag) || node.getAttribute('hidden') !== null || node.getAttribute('aria-hidden') === 'true') return;
    if (tag === 'BR') {
      current += '\n';
      return;
    }
    const block = BLOCK.has(tag);
    if (block) flush();
    const start = { paragraphs: paragraphs.length, chars, linkChars };
    if (tag === 'A') inLink += 1;
    if (tag === 'TD' || tag === 'TH') current += ' ';
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child !== undefined) walk(child, depth + 1);
    }
    if (tag === 'A') inLink -= 1;
    if (!block) return;
    flush();
    const total = chars - start.chars;
    if (!CONTAINERS.has(tag) && total > 0 && total < 400 && (linkChars - start.linkChars) / total > 0.6) {
      paragraphs.length = start.paragraphs; // a menu or link list: drop what it produced
    }
  };
  walk(root, 0);
  flush();
  return paragraphs.join('\n\n');
}
