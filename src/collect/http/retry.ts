/**
 * When to try a request again, and how long to wait first: exponential backoff with jitter,
 * overridden by the server's Retry-After when it gives one.
 */

/** Statuses worth another try: the server is busy or a gateway hiccupped, not "you asked wrong". */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  // 501 Not Implemented and 505 HTTP Version Not Supported will not change on a retry.
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * Parses a Retry-After header (delta-seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Delay before retry number `attempt` (0 for the first retry): base·2^attempt, capped, with
 * "equal jitter" (half fixed, half random) so that many clients retrying at once spread out.
 */
export function backoffDelay(attempt: number, options: { baseMs?: number; capMs?: number; random?: () => number } = {}): number {
  const base = options.baseMs ?? 500;
  const cap = options.capMs ?? 30_000;
  const exp = Math.min(cap, base * 2 ** attempt);
  const random = options.random ?? Math.random;
  return Math.round(exp / 2 + random() * (exp / 2));
}
