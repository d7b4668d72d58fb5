/**
 * Dates as feeds, pages and text files write them → ISO-8601 UTC, and the one rule for which
 * publication dates are believable. Every reader of a date (feed items, page metadata, text
 * file headers, JSON article files, ingest) goes through here.
 *
 * Read: W3CDTF / ISO 8601 (`2024-03-05`, `2024-3-5 10:00`, `2024-03-05T10:00:00.5+08:00`,
 * `20240305T100000Z`, `2024-03`), RFC 822/1123 and their variants (`Tue, 5 Mar 2024 10:00:00
 * +0800`, `05 Mar 24 10:00 EST`), dates as people write them (`22nd May 2026`, `May 22, 2026 at
 * 10:00`, `2026年5月22日`), and as a last resort any form JavaScript reads that carries a year
 * and a zone. A date without a zone is UTC: the machine's own zone says nothing about the outlet.
 */
import type { IsoTime } from '../core/types.ts';

/** Nothing Briefbot reads was published before this; earlier dates are placeholders or typos. */
export const EARLIEST_PUBLICATION_MS = Date.UTC(1990, 0, 1);
/** Clock skew tolerated on a published date before it is treated as wrong. */
export const FUTURE_SKEW_MS = 36 * 3_600_000;

/**
 * The one plausibility rule: a publication date is believed when it is not before 1990 and
 * not more than 36 hours ahead of `now`.
 */
export function isPlausiblePublication(ms: number, now: Date): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_PUBLICATION_MS && ms <= now.getTime() + FUTURE_SKEW_MS;
}

/**
 * A date as written → ISO UTC, or undefined when it is unreadable or not plausible
 * (see isPlausiblePublication).
 * @param now the reference for "in the future" (defaults to the clock)
 */
export function toIsoDate(raw: string | undefined | null, now: Date = new Date()): IsoTime | undefined {
  if (raw === undefined || raw === null) return undefined;
  const ms = parseDate(raw);
  return ms !== undefined && isPlausiblePublication(ms, now) ? new Date(ms).toISOString() : undefined;
}

/** An ISO time already produced by a reader, checked again against `now` (ingest's clock). */
export function plausibleIsoTime(iso: string | undefined, now: Date): IsoTime | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return isPlausiblePublication(ms, now) ? new Date(ms).toISOString() : undefined;
}

/** Epoch milliseconds of a written date, or undefined when it is not one. No plausibility check. */
export function parseDate(raw: string): number | undefined {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '' || text.length > 80) return undefined;
  for (const read of READERS) {
    const ms = read(text);
    if (ms !== undefined) return ms;
  }
  return undefined;
}

// A table: one line per group reads better than one line per entry.
// prettier-ignore
const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/** Offsets in minutes east of UTC for the zone names RFC 822 and real feeds use, grouped by region. */
// prettier-ignore
const ZONES: Readonly<Record<string, number>> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, cet: 60, cest: 120, met: 60, mest: 120, eet: 120, eest: 180,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
  ist: 330, jst: 540, kst: 540, hkt: 480, sgt: 480, awst: 480, acst: 570, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

/** RFC 822 military zones (sign as written in the RFC; most senders meant it this way). Only read in RFC 822 dates. */
const MILITARY_ZONES: Readonly<Record<string, number>> = {
  a: -60,
  b: -120,
  c: -180,
  d: -240,
  e: -300,
  f: -360,
  g: -420,
  h: -480,
  i: -540,
  k: -600,
  l: -660,
  m: -720,
  n: 60,
  o: 120,
  p: 180,
  q: 240,
  r: 300,
  s: 360,
  t: 420,
  u: 480,
  v: 540,
  w: 600,
  x: 660,
  y: 720,
};

function monthOf(name: string | undefined): number | undefined {
  return MONTHS[(name ?? '').slice(0, 3).toLowerCase()];
}

/** Minutes east of UTC; 0 for no zone; undefined for a zone we do not know. */
function zoneOffset(zone: string | undefined, military = false): number | undefined {
  if (zone === undefined || zone === '') return 0;
  const numeric = /^(?:(?:GMT|UTC|UT))?([+-])(\d{1,2}):?(\d{2})?$/i.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  const name = zone.toLowerCase().replace(/\./g, '');
  return ZONES[name] ?? (military ? MILITARY_ZONES[name] : undefined);
}

/** Epoch ms of a calendar date and time at `offsetMin` east of UTC; undefined for a date that does not exist (31 April). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0, offsetMin = 0): number | undefined {
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > 31 || mi > 59 || s > 60) return undefined;
  if (h > 24 || (h === 24 && (mi > 0 || s > 0))) return undefined;
  // Date.UTC rolls 31 April over to 1 May; such a date is not a real one.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
}

const fractionMs = (digits: string | undefined): number => (digits ? Math.round(Number(`0.${digits}`) * 1000) : 0);

const ISO_ZONE = '(Z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?)';
/** `2024-03-05`, `2024-3-5 10:00`, `2024/03/05`, `2024-03-05T10:00:00.123+08:00`, `2024-03` (a year alone is no date). */
const ISO_EXTENDED = new RegExp(
  `^(\\d{4})[-/](\\d{1,2})(?:[-/](\\d{1,2})(?:[T ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?\\s*${ISO_ZONE}?)?)?$`,
  'i',
);
/** `20240305`, `20240305T1000Z`, `2024-03-05T100000Z` and other mixes of the basic format. */
const ISO_BASIC = new RegExp(
  `^(\\d{4})-?(\\d{2})-?(\\d{2})(?:[T ](\\d{2}):?(\\d{2})(?::?(\\d{2})(?:[.,](\\d+))?)?\\s*${ISO_ZONE}?)?$`,
  'i',
);

function readIso(text: string): number | undefined {
  const m = ISO_EXTENDED.exec(text) ?? ISO_BASIC.exec(text);
  if (!m) return undefined;
  const offset = zoneOffset(m[8]);
  if (offset === undefined) return undefined;
  const n = (i: number, fallback: number): number => (m[i] === undefined ? fallback : Number(m[i]));
  return utc(n(1, 0), n(2, 1), n(3, 1), n(4, 0), n(5, 0), n(6, 0), fractionMs(m[7]), offset);
}

/**
 * RFC 822/1123 and their common variants: `Tue, 5 Mar 2024 10:00:00 +0800`, `05 Mar 24 10:00 EST`,
 * `Tuesday, 10 June 2003 04:00:00 -0130`. A comma between year and time makes it a written date.
 */
const RFC_822 =
  /^(?:[A-Za-z]+,?\s*)?(\d{1,2})[\s-]([A-Za-z]{3})[a-z]*\.?[\s-](\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*([A-Za-z.]+|(?:GMT|UTC|UT)?[+-]\d{1,2}:?\d{2})?$/;

function readRfc822(text: string): number | undefined {
  const m = RFC_822.exec(text);
  if (!m) return undefined;
  const month = monthOf(m[2]);
  if (month === undefined) return undefined;
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  const offset = zoneOffset(m[7], true);
  if (offset === undefined) return undefined;
  return utc(year, month, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), 0, offset);
}

const CJK = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(\d{1,2})[:：](\d{2}))?/;
/** A zone after a written clock time: "CST", "+01:00", "GMT+8". */
const WRITTEN_ZONE = String.raw`(?:\s*((?:GMT|UTC|UT)?[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{2,5})\b)?`;
/** "22nd May 2026", "Fri, 22 May 2026, 10:00", "24 November 2026, 12:10 CST" — anything may follow (a dateline, "| Opinion"). */
const DAY_MONTH = new RegExp(
  String.raw`^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2})${WRITTEN_ZONE})?`,
);
/** "May 22, 2026", "Friday, May 22nd, 2026 at 10:00 EST". */
const MONTH_DAY = new RegExp(
  String.raw`^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})${WRITTEN_ZONE})?`,
);

/**
 * Dates as people write them, at the start of a text. A zone after the time ("24 November
 * 2026, 12:10 CST") is read; a word there that names no zone ("am", "at") leaves the time as UTC.
 */
function readWritten(text: string): number | undefined {
  const cjk = CJK.exec(text);
  if (cjk) return utc(Number(cjk[1]), Number(cjk[2]), Number(cjk[3]), Number(cjk[4] ?? 0), Number(cjk[5] ?? 0));
  const dm = DAY_MONTH.exec(text);
  const dmMonth = monthOf(dm?.[2]);
  if (dm && dmMonth !== undefined)
    return utc(Number(dm[3]), dmMonth, Number(dm[1]), Number(dm[4] ?? 0), Number(dm[5] ?? 0), 0, 0, zoneOffset(dm[6]) ?? 0);
  const md = MONTH_DAY.exec(text);
  const mdMonth = monthOf(md?.[1]);
  if (md && mdMonth !== undefined)
    return utc(Number(md[3]), mdMonth, Number(md[2]), Number(md[4] ?? 0), Number(md[5] ?? 0), 0, 0, zoneOffset(md[6]) ?? 0);
  return undefined;
}

/** Last resort for shapes the patterns miss, only with an explicit year and zone (so never the machine's zone). */
function readAnyWithZone(text: string): number | undefined {
  if (!/\b(19|20)\d{2}\b/.test(text) || !/(GMT|UTC|[+-]\d{4}|Z)\b/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

const READERS: ReadonlyArray<(text: string) => number | undefined> = [readIso, readRfc822, readWritten, readAnyWithZone];
