/**
 * Look-back windows as people write them: "24h", "7d", "90m", "2w", "all", or an ISO date.
 */
import { UsageError } from './errors.ts';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^(\d{1,5})\s*([mhdw])$/i;

/** True when `text` is a window this module understands. */
export function isWindow(text: string): boolean {
  return tryParseSince(text, new Date()) !== undefined;
}

function tryParseSince(text: string, now: Date): Date | undefined {
  const trimmed = text.trim();
  if (/^all$/i.test(trimmed)) return new Date(0);
  const relative = RELATIVE.exec(trimmed);
  if (relative) {
    const amount = Number(relative[1]);
    const unit = UNIT_MS[relative[2]!.toLowerCase()]!;
    return new Date(now.getTime() - amount * unit);
  }
  // ISO dates only ("2026-05-01", "2026-05-01T08:00:00Z"): Date.parse accepts too much else.
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) {
    const date = new Date(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return undefined;
}

/** The start of the window `text` ends at `now`; throws a UsageError naming `what`. */
export function parseSince(text: string, now: Date, what = '--since'): Date {
  const since = tryParseSince(text, now);
  if (since === undefined) {
    throw new UsageError(`${what}: "${text}" is not a window; use e.g. 24h, 7d, 2w, all, or an ISO date like 2026-05-01`);
  }
  if (since.getTime() > now.getTime()) throw new UsageError(`${what}: "${text}" is in the future`);
  return since;
}
