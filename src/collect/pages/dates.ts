/**
 * Publication dates as pages and text files write them → ISO-8601 UTC.
 * A date without a zone is read as UTC: the machine's own zone says nothing about the outlet.
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

/** Years outside this range are typos or placeholders ("0001-01-01"), not publication dates. */
const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

function iso(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): string | undefined {
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 31 April over to 1 May; such a date is not a real one.
  if (date.getUTCDate() !== d) return undefined;
  return date.toISOString();
}

/**
 * Parses a date as found in metadata or text ("2026-05-22 02:14:00", "2026-05-22T08:30:00+08:00",
 * "22 May 2026", "May 22, 2026", "2026年5月22日") into ISO UTC, or undefined when it is not a date.
 */
export function toIsoDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '' || text.length > 80) return undefined;

  // ISO-like, with or without a time, with or without a zone.
  const isoLike = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?$/i.exec(text);
  if (isoLike) {
    const [, y, mo, d, h, mi, s, zone] = isoLike;
    if (zone === undefined || /^(Z|UTC|GMT)$/i.test(zone)) {
      return iso(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
    }
    const offset = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const pad = (n: string | undefined) => (n ?? '0').padStart(2, '0');
    const parsed = new Date(`${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${offset}`);
    return Number.isNaN(parsed.getTime()) || parsed.getUTCFullYear() < MIN_YEAR ? undefined : parsed.toISOString();
  }

  const cjk = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(\d{1,2})[:：](\d{2}))?/.exec(text);
  if (cjk) return iso(Number(cjk[1]), Number(cjk[2]), Number(cjk[3]), Number(cjk[4] ?? 0), Number(cjk[5] ?? 0));

  const dayMonth = /^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?/.exec(text);
  if (dayMonth) {
    const month = MONTHS[(dayMonth[2] ?? '').slice(0, 3).toLowerCase()];
    if (month !== undefined) return iso(Number(dayMonth[3]), month, Number(dayMonth[1]), Number(dayMonth[4] ?? 0), Number(dayMonth[5] ?? 0));
  }
  const monthDay = /^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2}))?/.exec(text);
  if (monthDay) {
    const month = MONTHS[(monthDay[1] ?? '').slice(0, 3).toLowerCase()];
    if (month !== undefined) return iso(Number(monthDay[3]), month, Number(monthDay[2]), Number(monthDay[4] ?? 0), Number(monthDay[5] ?? 0));
  }

  // RFC 2822 and other forms that carry their own zone.
  if (/\d{4}/.test(text) && /(GMT|UTC|[+-]\d{4}|Z)\b/.test(text)) {
    const parsed = new Date(text);
    if (!Number.isNaN(parsed.getTime()) && parsed.getUTCFullYear() >= MIN_YEAR && parsed.getUTCFullYear() <= MAX_YEAR) {
      return parsed.toISOString();
    }
  }
  return undefined;
}
