/**
 * Turning fetched bytes into text with the right character set.
 *
 * Order of evidence: byte-order mark → (XML) the HTTP charset, else the `<?xml encoding?>`
 * declaration → (HTML) `<meta charset>` in the first 4 KB → the HTTP charset → detection for
 * undeclared bytes that are not UTF-8 → UTF-8. A declaration that the bytes plainly contradict
 * (invalid UTF-8 labelled UTF-8, valid multi-byte UTF-8 labelled Latin-1) loses to the bytes.
 * Never throws: undecodable bytes become U+FFFD.
 */
import { isAscii } from 'node:buffer';
import type * as Chardet from 'chardet';
import type * as Iconv from 'iconv-lite';
import { lazyPackage } from '../core/lazy-package.ts';

// Loaded only for text in another charset than UTF-8, or of unknown charset.
const chardet = lazyPackage<typeof Chardet>('chardet');
const iconv = lazyPackage<typeof Iconv>('iconv-lite');

/** What the bytes are expected to hold; decides which in-document declarations are read. */
export type BodyKind = 'xml' | 'html' | 'json' | 'text';

/** Decoded text and the iconv-lite charset name that decoded it (e.g. `utf-8`, `gb18030`). */
export interface DecodedBody {
  text: string;
  charset: string;
  /** True when no usable declaration existed (or it was contradicted) and the charset was guessed. */
  guessed?: boolean;
  /** Bytes that were invalid in the chosen charset and became U+FFFD. */
  invalidBytes?: number;
  /** A declared charset label we do not know (e.g. `encoding="bogus"`), ignored. */
  unknownCharset?: string;
}

/**
 * Labels mapped to the decoder browsers actually use for them: GB2312/GBK pages are GBK in
 * practice and GB18030 is a superset; Big5 pages often use HKSCS extensions; Latin-1 and
 * ASCII labels mean windows-1252 on the web (curly quotes and € live in 0x80–0x9F).
 */
const ALIASES: Readonly<Record<string, string>> = {
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  cp936: 'gb18030',
  'gb_2312-80': 'gb18030',
  csgb2312: 'gb18030',
  'x-euc-cn': 'gb18030',
  'euc-cn': 'gb18030',
  big5: 'big5hkscs',
  'big5-hkscs': 'big5hkscs',
  'x-x-big5': 'big5hkscs',
  'cn-big5': 'big5hkscs',
  'iso-8859-1': 'windows-1252',
  iso8859_1: 'windows-1252',
  'iso_8859-1': 'windows-1252',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  cp819: 'windows-1252',
  cp1252: 'windows-1252',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  'x-sjis': 'shift_jis',
  sjis: 'shift_jis',
  ms_kanji: 'shift_jis',
  'utf-16': 'utf-16le',
  'utf-32': 'utf-32le',
  'ucs-2': 'utf-16le',
};

/** Normalises a charset label to an iconv-lite name, or undefined when unknown. */
export function normaliseCharset(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  const clean = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (clean === '') return undefined;
  const mapped = ALIASES[clean] ?? clean;
  return mapped === 'utf-8' || iconv().encodingExists(mapped) ? mapped : undefined;
}

/** The `charset` parameter of a Content-Type header. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType);
  return match?.[2];
}

/** Bytes → text, per the order of evidence in this module's header. */
export function decodeBody(body: Uint8Array, contentType: string | undefined, kind: BodyKind): DecodedBody {
  const bom = sniffBom(body);
  if (bom) return decodeWith(body.subarray(bom.length), bom.charset);

  // UTF-16/32 without a BOM still shows itself in XML: `<?` with zero bytes between.
  const wide = kind === 'xml' || kind === 'json' ? sniffWideAscii(body) : undefined;
  if (wide) return decodeWith(body, wide);

  const http = normaliseCharset(charsetFromContentType(contentType));
  // Declarations in order of authority; a later one is the fallback when the bytes refute an earlier one.
  const candidates =
    kind === 'xml'
      ? [http, normaliseCharset(xmlDeclaredEncoding(body))]
      : kind === 'html'
        ? [normaliseCharset(htmlDeclaredCharset(body)), http]
        : [http];
  // A 16/32-bit label on bytes that have no BOM and no zero bytes is a mislabel.
  const hasZero = body.subarray(0, 64).includes(0);
  const declared = candidates.filter((c): c is string => c !== undefined && (hasZero || !/^utf-(16|32)/.test(c)));

  const result = decodeDeclared(body, declared);
  const label =
    kind === 'xml'
      ? (charsetFromContentType(contentType) ?? xmlDeclaredEncoding(body))
      : kind === 'html'
        ? htmlDeclaredCharset(body)
        : undefined;
  return label !== undefined && normaliseCharset(label) === undefined ? { ...result, unknownCharset: label } : result;
}

function decodeDeclared(body: Uint8Array, declared: readonly string[]): DecodedBody {
  const utf8 = utf8Validity(body);
  const [first, ...rest] = declared;
  if (first === 'utf-8') {
    // A few bad bytes in a UTF-8 document: keep them as U+FFFD. Many: the label is wrong.
    if (utf8.errors === 0) return decodeWith(body, 'utf-8');
    if (utf8.errors <= Math.max(2, utf8.multibyte / 20)) return { ...decodeWith(body, 'utf-8'), invalidBytes: utf8.errors };
    const next = rest.find((c) => c !== 'utf-8');
    return guessed(decodeWith(body, next ?? detect(body) ?? 'windows-1252'));
  }
  if (first) {
    // Valid multi-byte UTF-8 is vanishingly rare in genuine legacy-encoded text.
    if (utf8.errors === 0 && utf8.multibyte > 0 && isSingleByte(first)) return guessed(decodeWith(body, 'utf-8'));
    return decodeWith(body, first);
  }
  if (utf8.errors === 0) return decodeWith(body, 'utf-8');
  return guessed(decodeWith(body, detect(body) ?? 'utf-8'));
}

function guessed(decoded: DecodedBody): DecodedBody {
  return { ...decoded, guessed: true };
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function decodeWith(bytes: Uint8Array, charset: string): DecodedBody {
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // UTF-8 as iconv-lite decodes it (Node's own decoder, one byte-order mark dropped), without loading iconv-lite.
    let text = charset === 'utf-8' ? withoutBom(buffer.toString('utf8')) : iconv().decode(buffer, charset);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text, charset };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8' };
  }
}

function isSingleByte(charset: string): boolean {
  return /^(windows-125\d|iso-8859-\d+|koi8-[ru]|macintosh|cp\d+)$/.test(charset);
}

function sniffBom(b: Uint8Array): { charset: string; length: number } | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return { charset: 'utf-32le', length: 4 };
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return { charset: 'utf-32be', length: 4 };
  if (b[0] === 0xff && b[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return undefined;
}

/** `<` or `{` encoded as UTF-16/32 without a BOM. */
function sniffWideAscii(b: Uint8Array): string | undefined {
  if (b.length < 4) return undefined;
  const [a, c, d, e] = [b[0], b[1], b[2], b[3]];
  if (a === 0 && c === 0 && d === 0 && e !== 0) return 'utf-32be';
  if (a !== 0 && c === 0 && d === 0 && e === 0) return 'utf-32le';
  if (a === 0 && c !== 0 && d === 0 && e !== 0) return 'utf-16be';
  if (a !== 0 && c === 0 && d !== 0 && e === 0) return 'utf-16le';
  return undefined;
}

/** ASCII view of the first bytes, enough to read declarations written in ASCII. */
function asciiHead(b: Uint8Array, max: number): string {
  return Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, max)).toString('latin1');
}

/** The encoding named in `<?xml … encoding="…"?>`, if any. */
export function xmlDeclaredEncoding(b: Uint8Array): string | undefined {
  const head = asciiHead(b, 512);
  const decl = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return decl?.[1];
}

/** The charset of `<meta charset>` or `<meta http-equiv="content-type" content=…>` in the first 4 KB. */
export function htmlDeclaredCharset(b: Uint8Array): string | undefined {
  const head = asciiHead(b, 4096).replace(/<!--[\s\S]*?-->/g, '');
  for (const meta of head.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = meta[0];
    const direct = /\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(tag);
    if (direct?.[1]) return direct[1];
  }
  // An XHTML page may carry only the XML declaration.
  return xmlDeclaredEncoding(b);
}

/** Counts UTF-8 sequence errors and valid multi-byte sequences, without decoding. */
function utf8Validity(b: Uint8Array): { errors: number; multibyte: number } {
  // Plain ASCII, most text files: Node's native check, not a loop over every byte here.
  if (isAscii(b)) return { errors: 0, multibyte: 0 };
  let errors = 0;
  let multibyte = 0;
  let i = 0;
  const n = b.length;
  while (i < n) {
    const x = b[i]!;
    if (x < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (x >= 0xc2 && x <= 0xdf) [need, min] = [1, 0x80];
    else if (x >= 0xe0 && x <= 0xef) [need, min] = [2, 0x800];
    else if (x >= 0xf0 && x <= 0xf4) [need, min] = [3, 0x10000];
    else {
      errors++;
      i++;
      continue;
    }
    let cp = x & (0x3f >> need);
    let ok = i + need < n;
    for (let k = 1; ok && k <= need; k++) {
      const y = b[i + k]!;
      if ((y & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (y & 0x3f);
    }
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      multibyte++;
      i += need + 1;
    } else {
      errors++;
      i++;
    }
  }
  return { errors, multibyte };
}

/** chardet's best guess, mapped through our aliases; undefined when it has none we can decode. */
function detect(b: Uint8Array): string | undefined {
  const sample = b.length > 65536 ? b.subarray(0, 65536) : b;
  const guess = chardet().detect(sample);
  const name = normaliseCharset(guess ?? undefined);
  // chardet reports ISO-8859-1 for most Latin text; windows-1252 is what such pages use.
  return name;
}
