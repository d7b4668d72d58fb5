/**
 * Feed dates → ISO 8601 UTC. Feeds carry RFC 822 dates with odd zones and two-digit years,
 * W3CDTF, bare ISO dates and worse; a date we cannot read, or one that cannot be true
 * (before 1990, or more than two days ahead), is dropped rather than guessed.
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

/** Offsets in minutes east of UTC for the zone names RFC 822 and real feeds use. */
const ZONES: Readonly<Record<string, number>> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, cet: 60, cest: 120, met: 60, mest: 120, eet: 120, eest: 180,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
  ist: 330, jst: 540, kst: 540, hkt: 480, sgt: 480, awst: 480, acst: 570, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
  // RFC 822 military zones (sign as written in the RFC; most senders meant it this way).
  a: -60, b: -120, c: -180, d: -240, e: -300, f: -360, g: -420, h: -480, i: -540, k: -600, l: -660, m: -720,
  n: 60, o: 120, p: 180, q: 240, r: 300, s: 360, t: 420, u: 480, v: 540, w: 600, x: 660, y: 720,
};

const EARLIEST = Date.UTC(1990, 0, 1);
const FUTURE_SLACK_MS = 2 * 24 * 3600 * 1000;

/**
 * Parses a feed date and returns it as ISO UTC, or undefined when it is unreadable or absurd.
 * @param now the reference for "in the future" (defaults to the clock)
 */
export function normaliseFeedDate(raw: string | undefined | null, now: Date = new Date()): string | undefined {
  if (!raw) return undefined;
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '') return undefined;
  const ms = parseIso(text) ?? parseRfc822(text) ?? parseFallback(text);
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  if (ms < EARLIEST || ms > now.getTime() + FUTURE_SLACK_MS) return undefined;
  return new Date(ms).toISOString();
}

function zoneOffset(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === '') return 0;
  const numeric = /^(?:(?:GMT|UTC|UT))?([+-])(\d{1,2}):?(\d{2})?$/i.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  return ZONES[zone.toLowerCase().replace(/\./g, '')];
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMin: number): number | undefined {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return undefined;
  return Date.UTC(y, mo, d, h, mi, s) - offsetMin * 60_000;
}

/** W3CDTF / ISO 8601: `2024-03-05`, `2024-03-05T10:00Z`, `2024-03-05 10:00:00.123+08:00`, `20240305T100000Z`. */
function parseIso(text: string): number | undefined {
  const m =
    /^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/i.exec(
      text,
    );
  if (!m) return undefined;
  const offset = zoneOffset(m[8]);
  if (offset === undefined) return undefined;
  const ms = utc(Number(m[1]), Number(m[2] ?? 1) - 1, Number(m[3] ?? 1), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), offset);
  const fraction = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return ms === undefined ? undefined : ms + fraction;
}

/** RFC 822/1123 and their common variants: `Tue, 5 Mar 2024 10:00:00 +0800`, `05 Mar 24 10:00 EST`. */
function parseRfc822(text: string): number | undefined {
  const m =
    /^(?:[A-Za-z]+,?\s*)?(\d{1,2})[\s-]([A-Za-z]{3})[a-z]*\.?[\s-](\d{2,4})(?:[\s,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*([A-Za-z.]+|(?:GMT|UTC|UT)?[+-]\d{1,2}:?\d{2})?$/.exec(
      text,
    );
  if (!m) return undefined;
  const month = MONTHS[m[2]!.toLowerCase()];
  if (month === undefined) return undefined;
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  const offset = zoneOffset(m[7]);
  if (offset === undefined) return undefined;
  return utc(year, month, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), offset);
}

/** Last resort for shapes the patterns miss (e.g. `Mar 5, 2024 10:00 GMT`); only with an explicit year. */
function parseFallback(text: string): number | undefined {
  if (!/\b(19|20)\d{2}\b/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
