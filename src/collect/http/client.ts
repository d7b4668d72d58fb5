/**
 * The polite, guarded HTTP client every remote source goes through: conditional GET, a
 * timeout over the whole exchange, a cap on (decompressed) body size, manual redirects with a
 * cap and loop detection, per-host concurrency, retries with backoff honouring Retry-After,
 * and the address guard (see net-guard.ts) on the first URL and on every redirect hop.
 */
import { STATUS_CODES } from 'node:http';
import { rootCertificates } from 'node:tls';
import pLimit, { type LimitFunction } from 'p-limit';
import { Agent, type Dispatcher } from 'undici';
import { FetchError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/log.ts';
import { BodyTooLargeError, readCappedBody, UnsupportedEncodingError } from './body.ts';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry.ts';
import { maskUrl } from '../../core/redact.ts';
import { megabytes } from '../../core/units.ts';
import { assertHostAllowed, BlockedAddressError, guardedLookup, parseAllowList, type AllowList } from './net-guard.ts';

/** Sent unless the operator configures another; names the bot and where to learn about it. */
export const DEFAULT_USER_AGENT = 'Briefbot/0.1 (+https://github.com/briefbot/briefbot)';

/** Longest Retry-After we are willing to sleep; beyond it the fetch fails as 'rate-limited'. */
export const MAX_RETRY_AFTER_MS = 60_000;

export interface HttpClientOptions {
  /** Whole exchange of one hop — connect, headers and body — in milliseconds. */
  timeoutMs: number;
  /** Cap on the decompressed body, in bytes. */
  maxBytes: number;
  maxRedirects: number;
  /** Simultaneous requests to one host (name:port). */
  perHostConcurrency: number;
  /** Extra attempts after the first, on 408/429/5xx and network errors. */
  retries: number;
  userAgent?: string;
  /** Host names, IPs or CIDRs that may be reached although loopback/private ("127.0.0.1", "::1", "10.0.0.0/8", "localhost"). */
  allowHosts: readonly string[];
  logger?: Logger;
  /**
   * Extra trusted CA certificates (PEM), added to Node's bundled roots: for feeds behind a
   * private CA, and for tests against a local HTTPS server.
   */
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** Injectable for tests: how backoff waits. */
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpResponse {
  /** Final URL after redirects. */
  url: string;
  status: number;
  /** True on 304 Not Modified; `body` is then empty. */
  notModified: boolean;
  body: Buffer;
  contentType?: string;
  etag?: string;
  lastModified?: string;
}

export interface GetOptions {
  accept?: string;
  /** Validator from a previous response: sent as If-None-Match. */
  etag?: string;
  /** Validator from a previous response: sent as If-Modified-Since. */
  lastModified?: string;
  signal?: AbortSignal;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** OpenSSL/Node codes for a certificate that does not verify. */
const TLS_CERT_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID/;

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Fails a fetch: one-line message `GET <url>: <what>`, with the URL's secrets masked. */
function fail(
  url: string,
  reason: string,
  what: string,
  extra: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
): FetchError {
  const shown = maskUrl(url);
  return new FetchError(
    `GET ${shown}: ${what}`,
    { url: shown, reason, ...extra },
    reason === 'blocked-address' ? 'BLOCKED_ADDRESS' : 'FETCH',
  );
}

function findCause<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof type) return e;
  }
  return undefined;
}

function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** One attempt's failure, with whether another attempt may succeed. */
interface Attempt {
  error: FetchError;
  retryable: boolean;
}

/**
 * A guarded HTTP client. Create one per process (it keeps a connection pool) and `close()` it
 * at shutdown. `get` resolves with the final response or rejects with a {@link FetchError}
 * whose `reason` is one of: timeout, too-large, too-many-redirects, redirect-loop,
 * http-<status>, rate-limited, network, blocked-address (code BLOCKED_ADDRESS), bad-url,
 * unsupported-encoding, aborted.
 */
export class HttpClient {
  private readonly options: HttpClientOptions;
  private readonly allow: AllowList;
  private readonly agent: Agent;
  private readonly logger: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly limits = new Map<string, LimitFunction>();

  constructor(options: HttpClientOptions) {
    this.options = options;
    this.allow = parseAllowList(options.allowHosts);
    this.logger = options.logger ?? silentLogger;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.agent = new Agent({
      // The lookup performs the address check, so the socket connects to the address checked.
      connect: {
        lookup: guardedLookup(this.allow),
        timeout: options.timeoutMs,
        ...(options.ca !== undefined && { ca: [...rootCertificates, ...(Array.isArray(options.ca) ? options.ca : [options.ca])] }),
      },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connections: Math.max(1, options.perHostConcurrency),
    });
  }

  /** GETs `url`, following redirects and retrying transient failures. */
  async get(url: string, options: GetOptions = {}): Promise<HttpResponse> {
    const retries = Math.max(0, this.options.retries);
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.followRedirects(url, options);
      if (!('error' in outcome)) return outcome;
      const { error, retryable } = outcome;
      if (!retryable || attempt >= retries || options.signal?.aborted) {
        if (error.status !== 429) throw error;
        const tries = attempt + 1 === 1 ? '1 attempt' : `${attempt + 1} attempts`;
        throw fail(url, 'rate-limited', `rate limited (HTTP 429) after ${tries}`, {
          status: 429,
          ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
          cause: error,
        });
      }
      let delay = backoffDelay(attempt);
      if (error.retryAfterMs !== undefined) {
        if (error.retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw fail(
            url,
            'rate-limited',
            `server asks to retry after ${Math.round(error.retryAfterMs / 1000)} s (over the ${MAX_RETRY_AFTER_MS / 1000} s cap)`,
            {
              ...(error.status !== undefined && { status: error.status }),
              retryAfterMs: error.retryAfterMs,
              cause: error,
            },
          );
        }
        delay = Math.max(delay, error.retryAfterMs);
      }
      this.logger.warn(
        { url: maskUrl(url), status: error.status, reason: error.reason, attempt: attempt + 1, delayMs: delay },
        'fetch failed; retrying',
      );
      await this.wait(url, delay, options.signal);
    }
  }

  /** Backoff sleep that a caller's abort cuts short. */
  private async wait(url: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (!signal) {
      await this.sleep(ms);
      return;
    }
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_resolve, reject) => {
      onAbort = () => reject(fail(url, 'aborted', 'aborted by the caller'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([this.sleep(ms), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private limitFor(origin: URL): LimitFunction {
    const key = origin.host;
    let limit = this.limits.get(key);
    if (!limit) {
      limit = pLimit(Math.max(1, this.options.perHostConcurrency));
      this.limits.set(key, limit);
    }
    return limit;
  }

  private async followRedirects(startUrl: string, options: GetOptions): Promise<HttpResponse | Attempt> {
    const seen = new Set<string>();
    let current = startUrl;
    for (let hops = 0; ; hops++) {
      let target: URL;
      try {
        target = new URL(current);
      } catch {
        return { error: fail(current, 'bad-url', 'not a valid URL'), retryable: false };
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        return { error: fail(current, 'bad-url', `only http and https are fetched, not ${target.protocol}`), retryable: false };
      }
      target.hash = '';
      seen.add(target.href);
      const result = await this.limitFor(target)(() => this.hop(target, options));
      if (!('location' in result)) {
        return result;
      }
      let next: URL;
      try {
        next = new URL(result.location, target);
      } catch {
        return { error: fail(target.href, 'bad-url', `redirect to an invalid URL`), retryable: false };
      }
      next.hash = '';
      if (seen.has(next.href)) {
        return { error: fail(startUrl, 'redirect-loop', `redirect loop at ${maskUrl(next.href)}`), retryable: false };
      }
      if (hops + 1 > this.options.maxRedirects) {
        return { error: fail(startUrl, 'too-many-redirects', `more than ${this.options.maxRedirects} redirects`), retryable: false };
      }
      this.logger.debug({ from: maskUrl(target.href), to: maskUrl(next.href), status: result.status }, 'redirect');
      current = next.href;
    }
  }

  /** One request to one URL: the response, a redirect to follow, or a failure. */
  private async hop(target: URL, options: GetOptions): Promise<HttpResponse | Attempt | { location: string; status: number }> {
    const url = target.href;
    try {
      assertHostAllowed(target.hostname, this.allow);
    } catch (error) {
      if (error instanceof BlockedAddressError)
        return { error: fail(url, 'blocked-address', error.message, { cause: error }), retryable: false };
      throw error;
    }
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout.signal, options.signal]) : timeout.signal;
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent ?? DEFAULT_USER_AGENT,
      accept: options.accept ?? '*/*',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (options.etag !== undefined) headers['if-none-match'] = options.etag;
    if (options.lastModified !== undefined) headers['if-modified-since'] = options.lastModified;
    try {
      const response = await this.agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'GET',
        headers,
        signal,
      });
      const status = response.statusCode;
      const h = response.headers;
      if (REDIRECT_STATUSES.has(status) && header(h, 'location') !== undefined) {
        await response.body.dump();
        return { location: header(h, 'location')!, status };
      }
      if (status === 304) {
        await response.body.dump();
        return this.result(url, status, Buffer.alloc(0), h, true);
      }
      if (status < 200 || status > 299) {
        await response.body.dump().catch(() => undefined);
        const retryAfterMs = parseRetryAfter(header(h, 'retry-after'));
        return {
          error: fail(url, `http-${status}`, `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd(), {
            status,
            ...(retryAfterMs !== undefined && { retryAfterMs }),
          }),
          retryable: isRetryableStatus(status),
        };
      }
      const declared = Number(header(h, 'content-length'));
      const encoding = header(h, 'content-encoding');
      // A body that says it is over the cap is refused before reading a byte (a compressed one
      // too: decoding only makes it bigger).
      if (Number.isFinite(declared) && declared > this.options.maxBytes) {
        response.body.destroy();
        // No status on the error: the refusal is ours, and "HTTP 200" would read as success.
        return {
          error: fail(url, 'too-large', `larger than the ${megabytes(this.options.maxBytes)} cap (${megabytes(declared)} declared)`),
          retryable: false,
        };
      }
      const body = await readCappedBody(response.body, encoding, this.options.maxBytes);
      this.logger.debug({ url: maskUrl(url), status, bytes: body.length }, 'fetched');
      return this.result(url, status, body, h, false);
    } catch (error) {
      return this.classify(url, error, timeout.signal.aborted, options.signal?.aborted === true);
    } finally {
      clearTimeout(timer);
    }
  }

  private result(url: string, status: number, body: Buffer, h: Dispatcher.ResponseData['headers'], notModified: boolean): HttpResponse {
    const contentType = header(h, 'content-type');
    const etag = header(h, 'etag');
    const lastModified = header(h, 'last-modified');
    return {
      url,
      status,
      notModified,
      body,
      ...(contentType !== undefined && { contentType }),
      ...(etag !== undefined && { etag }),
      ...(lastModified !== undefined && { lastModified }),
    };
  }

  private classify(url: string, error: unknown, timedOut: boolean, aborted: boolean): Attempt {
    const blocked = findCause(error, BlockedAddressError);
    if (blocked) return { error: fail(url, 'blocked-address', blocked.message, { cause: error }), retryable: false };
    const tooLarge = findCause(error, BodyTooLargeError);
    if (tooLarge)
      return {
        error: fail(url, 'too-large', `larger than the ${megabytes(this.options.maxBytes)} cap`, { cause: error }),
        retryable: false,
      };
    if (findCause(error, UnsupportedEncodingError)) {
      return { error: fail(url, 'unsupported-encoding', (error as Error).message, { cause: error }), retryable: false };
    }
    if (aborted) return { error: fail(url, 'aborted', 'aborted by the caller', { cause: error }), retryable: false };
    const code = errorCode(error);
    if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      // Not retried: a server that is this slow once is likely slow again, and retries would
      // multiply the time a run waits on it.
      return { error: fail(url, 'timeout', `timed out after ${this.options.timeoutMs} ms`, { cause: error }), retryable: false };
    }
    const detail = code ?? (error instanceof Error ? error.message : String(error));
    // A name that does not resolve, or a certificate that does not verify, will not be
    // different a second later.
    const retryable = code !== 'ENOTFOUND' && !(code !== undefined && TLS_CERT_ERROR.test(code));
    return { error: fail(url, 'network', `network error (${detail})`, { cause: error }), retryable };
  }
}
