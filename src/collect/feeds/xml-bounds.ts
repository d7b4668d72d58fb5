/**
 * The XML parser is given a bounded document. fast-xml-parser (under @rowanmanning/feed-parser)
 * materialises the whole document before anything downstream caps it, and costs far more than
 * the text: it grows a text node one character at a time (a 20 MB text run peaked at 0.8–1 GB,
 * escaped markup in it at 1 GB) and hundreds of bytes per element (2.5 million small elements
 * in one item took minutes). One linear pass over the text, before any other, keeps:
 *  - of each text run (text and CDATA between two tags) and each attribute value, the first
 *    1,000,000 characters: what extraction reads of one item's HTML anyway;
 *  - of the elements, attributes, comments and CDATA sections inside one item the first 200,
 *    and of those outside items the first 10,000 (a real item has tens, a real channel a few
 *    hundred; 500 items of 1,000 would cost the parser some 350 MB); beyond, a tag is replaced
 *    by a space and its text kept (an item's own start tag loses its attributes instead), a
 *    comment is dropped and a CDATA section's text goes in escaped. A processing instruction
 *    counts as an element with attributes (the parser reads its words as such), and one over
 *    1,000 characters is dropped (a real one is a stylesheet link);
 *  - the newest `maxItems` items (RSS/RDF `item`, Atom `entry`), dated by the child elements
 *    the item parser reads (newest.ts), so that a 60,000-item feed is never parsed whole.
 * A document within every bound is returned as it came (the same string). A cut keeps the
 * document as well-formed as it was: never inside an entity reference, a CDATA section closed.
 */
import type * as Entities from 'entities';
import { lazyPackage } from '../../core/lazy-package.ts';

import { toIsoDate } from '../../text/dates.ts';
import { MAX_ITEM_HTML_CHARS } from '../pages/html.ts';
import { newestPositions } from './newest.ts';
import { attributeCount, declarationEnd, endOf, escapeText, longValues, safeCut, tagEnd } from './xml-scan.ts';

const entities = lazyPackage<typeof Entities>('entities');

/** Characters kept of one text run or attribute value. */
export const MAX_XML_TEXT_CHARS = MAX_ITEM_HTML_CHARS;
/** Elements, attributes, comments and CDATA sections kept inside one item, and outside all items. */
export const MAX_ITEM_ELEMENTS = 200;
export const MAX_OTHER_ELEMENTS = 10_000;
/** Characters of a processing instruction kept (longer ones are dropped whole). */
export const MAX_INSTRUCTION_CHARS = 1_000;
/** How far down the open elements an end tag looks for its start tag (ill-formed documents). */
const END_TAG_REACH = 64;
/** The item's dates, in the order the item parser reads them (xml.ts toItem). */
const PUBLISHED = ['pubdate', 'published', 'issued', 'date', 'created'];
const UPDATED = ['updated', 'modified'];
const DATE_NAMES = new Set([...PUBLISHED, ...UPDATED]);
/** What each kind of cut is called in a collect's warnings. */
const TEXT_CUT = `text over ${MAX_XML_TEXT_CHARS.toLocaleString('en-US')} characters in one element cut`;
const ATTRIBUTE_CUT = `attribute value over ${MAX_XML_TEXT_CHARS.toLocaleString('en-US')} characters cut`;
const ELEMENTS_CUT = `markup past ${MAX_ITEM_ELEMENTS.toLocaleString('en-US')} elements, attributes, comments and CDATA sections in one item (${MAX_OTHER_ELEMENTS.toLocaleString('en-US')} outside items) dropped, its text kept`;
const INSTRUCTION_CUT = `processing instructions over ${MAX_INSTRUCTION_CHARS.toLocaleString('en-US')} characters dropped`;

export interface BoundedXml {
  /** The document as the parser may take it: `text` itself when nothing was cut. */
  xml: string;
  /** Items (item/entry elements) in the document, read or not. */
  itemCount: number;
  /** One line per kind of cut made (text, attributes, tags, instructions); empty when none. */
  cuts: string[];
}

interface ItemState {
  readonly ordinal: number;
  readonly name: string;
  /** Index of the item in the stack of open elements. */
  readonly depth: number;
  /** Elements, attributes, comments and CDATA sections met in the item so far (dropped ones too). */
  elements: number;
  /** Raw text of the first child element of each date name. */
  readonly dates: Map<string, string>;
  /** The date element being read: its name, stack index and where its text starts. */
  reading?: { name: string; depth: number; from: number } | undefined;
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][^\s/>]*/y;

/** Bounds `text` (a decoded feed document) for the parser; see the module comment. */
export function boundXml(text: string, options: { maxItems: number; now?: Date }): BoundedXml {
  const scan = new Scan(text);
  scan.run();
  const items = scan.items;
  const cuts = [...scan.cuts];
  if (cuts.length === 0 && items.length <= options.maxItems) return { xml: text, itemCount: items.length, cuts };
  const keep = new Set(
    newestPositions(
      items.map((item) => itemDate(item, options.now)),
      options.maxItems,
    ),
  );
  const xml = scan.out.text((owner) => owner < 0 || keep.has(owner));
  return { xml, itemCount: items.length, cuts };
}

/** The date an item will be given (published, else updated), for choosing the newest. */
function itemDate(item: ItemState, now: Date | undefined): string | undefined {
  const first = (names: readonly string[]): string | undefined =>
    names.map((name) => plainDate(item.dates.get(name))).find((raw) => raw !== undefined && raw !== '');
  return toIsoDate(first(PUBLISHED), now) ?? toIsoDate(first(UPDATED), now);
}

function plainDate(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.length > 500) return undefined;
  return entities()
    .decodeXML(raw.replace(/<!\[CDATA\[|\]\]>|<[^>]*>/g, ''))
    .trim();
}

/**
 * The output in pieces, each tagged with the ordinal of the item it belongs to (-1: none).
 * Small pieces are joined as they come: a document of millions of dropped tags must not
 * become millions of strings.
 */
class Output {
  private readonly pieces: string[] = [];
  private readonly owners: number[] = [];
  private tail: string[] = [];
  private tailOwner = -1;

  push(text: string, owner: number): void {
    if (owner !== this.tailOwner || this.tail.length >= 1024) this.flush();
    this.tailOwner = owner;
    this.tail.push(text);
  }

  /** The pieces of the owners kept, in order. */
  text(keep: (owner: number) => boolean): string {
    this.flush();
    return this.pieces.filter((_, i) => keep(this.owners[i]!)).join('');
  }

  private flush(): void {
    if (this.tail.length === 0) return;
    this.pieces.push(this.tail.length === 1 ? this.tail[0]! : this.tail.join(''));
    this.owners.push(this.tailOwner);
    this.tail = [];
  }
}

class Scan {
  readonly out = new Output();
  readonly items: ItemState[] = [];
  readonly cuts = new Set<string>();
  private copyFrom = 0;
  private readonly open: string[] = [];
  private item: ItemState | undefined;
  private otherElements = 0;
  /** Text characters since the last tag kept; past the cap the rest of the run is dropped. */
  private runLength = 0;

  constructor(private readonly xml: string) {}

  run(): void {
    const xml = this.xml;
    let pos = 0;
    while (pos < xml.length) {
      const lt = xml.indexOf('<', pos);
      const textEnd = lt < 0 ? xml.length : lt;
      if (textEnd > pos) this.text(pos, textEnd);
      if (lt < 0) break;
      pos = this.markup(lt);
    }
    this.emitUpTo(xml.length);
  }

  private markup(lt: number): number {
    const xml = this.xml;
    if (xml.startsWith('<!--', lt)) return this.comment(lt);
    if (xml.startsWith('<![CDATA[', lt)) return this.cdata(lt);
    if (xml.startsWith('<?', lt)) return this.instruction(lt);
    if (xml.startsWith('<!', lt)) return declarationEnd(xml, lt);
    const closing = xml.charCodeAt(lt + 1) === 0x2f;
    NAME.lastIndex = lt + (closing ? 2 : 1);
    const name = NAME.exec(xml)?.[0];
    if (name === undefined) {
      // "a < b": text.
      this.text(lt, lt + 1);
      return lt + 1;
    }
    return closing ? this.endTag(lt, name) : this.startTag(lt, name);
  }

  private text(from: number, to: number): void {
    const room = MAX_XML_TEXT_CHARS - this.runLength;
    if (to - from <= room) {
      this.runLength += to - from;
      return;
    }
    this.replace(safeCut(this.xml, from, from + Math.max(0, room)), to, '');
    this.runLength = MAX_XML_TEXT_CHARS;
    this.cuts.add(TEXT_CUT);
  }

  private comment(lt: number): number {
    const end = endOf(this.xml, '-->', lt + 4);
    // A comment is nothing to a feed, but each is work for the parser: past the budget it goes.
    if (this.overBudget(1)) {
      this.replace(lt, end, '');
      this.cuts.add(ELEMENTS_CUT);
    }
    return end;
  }

  private cdata(lt: number): number {
    const close = this.xml.indexOf(']]>', lt + 9);
    const contentEnd = close < 0 ? this.xml.length : close;
    const end = close < 0 ? this.xml.length : close + 3;
    // Each section is a node of the parser's: past the budget, its text goes in escaped instead.
    if (this.overBudget(1)) return this.cdataAsText(lt, contentEnd, end);
    const room = MAX_XML_TEXT_CHARS - this.runLength;
    if (contentEnd - (lt + 9) <= room) {
      this.runLength += contentEnd - (lt + 9);
      return end;
    }
    if (room <= 0) this.replace(lt, end, '');
    else this.replace(safeCut(this.xml, lt + 9, lt + 9 + room, false), end, ']]>');
    this.runLength = MAX_XML_TEXT_CHARS;
    this.cuts.add(TEXT_CUT);
    return end;
  }

  private cdataAsText(lt: number, contentEnd: number, end: number): number {
    const from = lt + 9;
    const room = MAX_XML_TEXT_CHARS - this.runLength;
    const rawEnd = contentEnd - from <= room ? contentEnd : safeCut(this.xml, from, from + room, false);
    let text = escapeText(this.xml.slice(from, rawEnd));
    if (text.length > room) text = text.slice(0, safeCut(text, 0, room));
    if (rawEnd < contentEnd || text.length < rawEnd - from) this.cuts.add(TEXT_CUT);
    this.replace(lt, end, text);
    this.runLength += text.length;
    this.cuts.add(ELEMENTS_CUT);
    return end;
  }

  private instruction(lt: number): number {
    const end = endOf(this.xml, '?>', lt + 2);
    if (end - lt > MAX_INSTRUCTION_CHARS) {
      this.dropTag(lt, end, INSTRUCTION_CUT);
      return end;
    }
    if (this.overBudget(1 + attributeCount(this.xml, lt + 2, end))) this.dropTag(lt, end);
    return end;
  }

  /** Counts `cost` elements and attributes against the item's (or the outside's) budget: true once it is spent. */
  private overBudget(cost: number): boolean {
    if (this.item) return (this.item.elements += cost) > MAX_ITEM_ELEMENTS;
    return (this.otherElements += cost) > MAX_OTHER_ELEMENTS;
  }

  private startTag(lt: number, name: string): number {
    const end = tagEnd(this.xml, lt + 1 + name.length);
    const selfClosing = this.xml.charCodeAt(end - 2) === 0x2f;
    const local = name.slice(name.lastIndexOf(':') + 1).toLowerCase();
    // Items never nest: one left open ends where the next begins.
    if (this.item !== undefined && name === this.item.name) {
      this.open.length = this.item.depth;
      this.endItem(lt);
    }
    if (this.item === undefined && (local === 'item' || local === 'entry')) {
      this.emitUpTo(lt);
      this.item = { ordinal: this.items.length, name, depth: this.open.length, elements: 0, dates: new Map() };
      this.items.push(this.item);
      if (attributeCount(this.xml, lt + 1 + name.length, end) > MAX_ITEM_ELEMENTS) {
        // Items are what the parse is for: keep the element, not its attributes.
        this.replace(lt, end, selfClosing ? `<${name}/>` : `<${name}>`);
        this.runLength = 0;
        this.cuts.add(ELEMENTS_CUT);
      } else {
        this.keepTag(lt, end);
      }
      if (selfClosing) this.endItem(end);
      else this.open.push(name);
      return end;
    }
    const item = this.item;
    if (this.overBudget(1 + attributeCount(this.xml, lt + 1 + name.length, end))) {
      this.dropTag(lt, end);
      return end;
    }
    this.keepTag(lt, end);
    if (item && !item.reading && this.open.length === item.depth + 1 && DATE_NAMES.has(local) && !item.dates.has(local)) {
      if (selfClosing) item.dates.set(local, '');
      else item.reading = { name: local, depth: this.open.length, from: end };
    }
    if (!selfClosing) this.open.push(name);
    return end;
  }

  private endTag(lt: number, name: string): number {
    const gt = this.xml.indexOf('>', lt);
    const end = gt < 0 ? this.xml.length : gt + 1;
    const item = this.item;
    const at = item && name === item.name ? item.depth : this.openIndex(name, item ? item.depth + 1 : 0);
    if (at < 0) {
      // No such element open: an ill-formed document's stray end tag stays, unless its start
      // tag may have been one of those dropped.
      const dropping = item ? item.elements > MAX_ITEM_ELEMENTS : this.otherElements > MAX_OTHER_ELEMENTS;
      if (dropping) this.dropTag(lt, end);
      else this.runLength = 0;
      return end;
    }
    this.runLength = 0;
    if (item?.reading && at <= item.reading.depth) {
      item.dates.set(item.reading.name, this.xml.slice(item.reading.from, Math.max(item.reading.from, lt)));
      item.reading = undefined;
    }
    this.open.length = at;
    if (item && at === item.depth) this.endItem(end);
    return end;
  }

  private openIndex(name: string, floor: number): number {
    for (let i = this.open.length - 1, seen = 0; i >= floor && seen < END_TAG_REACH; i--, seen++) {
      if (this.open[i] === name) return i;
    }
    return -1;
  }

  private keepTag(lt: number, end: number): void {
    this.runLength = 0;
    // Quoted values longer than the cap exist only when the tag is.
    if (end - lt <= MAX_XML_TEXT_CHARS) return;
    for (const [from, to] of longValues(this.xml, lt, end, MAX_XML_TEXT_CHARS)) {
      this.replace(safeCut(this.xml, from, from + MAX_XML_TEXT_CHARS), to, '');
      this.cuts.add(ATTRIBUTE_CUT);
    }
  }

  private dropTag(lt: number, end: number, cut = ELEMENTS_CUT): void {
    // A space, so that the words either side stay apart; it is text of the run.
    if (this.runLength < MAX_XML_TEXT_CHARS) {
      this.replace(lt, end, ' ');
      this.runLength += 1;
    } else {
      this.replace(lt, end, '');
    }
    this.cuts.add(cut);
  }

  private endItem(end: number): void {
    this.emitUpTo(end);
    this.item = undefined;
    this.runLength = 0;
  }

  private emitUpTo(end: number): void {
    if (end <= this.copyFrom) return;
    this.out.push(this.xml.slice(this.copyFrom, end), this.item?.ordinal ?? -1);
    this.copyFrom = end;
  }

  private replace(from: number, to: number, text: string): void {
    this.emitUpTo(from);
    if (text !== '') this.out.push(text, this.item?.ordinal ?? -1);
    this.copyFrom = Math.max(this.copyFrom, to);
  }
}
