/**
 * Connecting to a chat platform at start: a network failure is not a bad credential. A
 * refused token is the operator's to fix (exit 2, naming the variable); an unreachable
 * platform is retried with backoff and then reported as the network (exit 1), so that nobody
 * rotates a good token because of an outage, and a supervisor can restart the bot later.
 */
import { BriefbotError, oneLine } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';

/** Waits between attempts: 4 tries over about 7 s (each try has the client's own retries too). */
export const CONNECT_BACKOFF_MS: readonly number[] = [1000, 2000, 4000];

/** Error codes of a network that failed (DNS, refused, reset, timed out), at any depth of `cause`. */
const NETWORK_CODE =
  /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_\w+|ABORT_ERR|slack_webapi_request_error)$/;

/** True when `error` (or one of its causes) is a network failure rather than an answer. */
export function isNetworkError(error: unknown): boolean {
  // An answer from the platform (Slack's ok:false, an HTTP status) is never the network.
  const top = (error as { code?: unknown; status?: unknown } | null) ?? {};
  if (top.code === 'slack_webapi_platform_error' || top.code === 'TokenInvalid' || typeof top.status === 'number') return false;
  for (
    let e = error, depth = 0;
    e !== null && typeof e === 'object' && depth < 6;
    e = (e as { cause?: unknown }).cause ?? (e as { original?: unknown }).original, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODE.test(code)) return true;
    if (e instanceof Error && (/fetch failed|socket hang up|network|timed? ?out/i.test(e.message) || e.name === 'AbortError')) return true;
  }
  return false;
}

/** The innermost message of an error chain: "connect ECONNREFUSED 127.0.0.1:9" rather than "fetch failed". */
function rootCause(error: unknown): string {
  let last = oneLine(error);
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 6; depth++) {
    const next = (e as { cause?: unknown }).cause ?? (e as { original?: unknown }).original;
    if (next === undefined || next === null) break;
    last = oneLine(next);
    e = next;
  }
  return last;
}

/**
 * Runs `attempt`, retrying network failures with backoff. Anything else is thrown at once
 * (the caller turns a refused token into a ConfigError). After the last network failure,
 * throws a BriefbotError that names the platform, the address and the network — not the token.
 */
export async function connectWithRetry<T>(
  attempt: () => Promise<T>,
  context: { platform: string; address: string; variable: string; logger: Logger; backoffMs?: readonly number[] },
): Promise<T> {
  const backoff = context.backoffMs ?? CONNECT_BACKOFF_MS;
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isNetworkError(error)) throw error;
      if (i >= backoff.length) {
        throw new BriefbotError(
          'NETWORK',
          `cannot reach ${context.platform} at ${context.address} after ${i + 1} attempts (${rootCause(error)}): check the network or ${context.variable}; the token was not checked`,
          { cause: error },
        );
      }
      context.logger.warn(
        { platform: context.platform, attempt: i + 1, retryInMs: backoff[i], err: rootCause(error) },
        'cannot reach the platform; retrying',
      );
      await new Promise((resolve) => setTimeout(resolve, backoff[i]));
    }
  }
}
