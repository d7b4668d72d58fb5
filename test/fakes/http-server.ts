/**
 * A small local HTTP server for tests: listens on 127.0.0.1 (or ::1) on an ephemeral port,
 * dispatches by path to a route table, records every request it receives, and tracks how many
 * requests were in flight at once (to observe client-side concurrency limits).
 *
 * ```ts
 * const server = await startHttpServer({
 *   '/feed.xml': (req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(xml),
 * });
 * await client.get(`${server.url}/feed.xml`);
 * assert.equal(server.requests.length, 1);
 * await server.close();
 * ```
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** What the server received, in arrival order. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path with the query string, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Milliseconds since the server started. */
  at: number;
}

/** Handles one request; may be async. Unhandled errors answer 500. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, hit: { count: number; server: FakeHttpServer }) => unknown;

export interface FakeHttpServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234` (`https://…` with `tls`). */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Most requests that were being handled at the same time (until the response finished). */
  readonly maxInFlight: number;
  /** Adds or replaces a route (exact path; `*` is the fallback). */
  route(path: string, handler: RouteHandler): void;
  /** Requests received for a path. */
  hits(path: string): number;
  close(): Promise<void>;
}

/** Starts the server. Unknown paths answer 404 unless a `*` route is given. */
export async function startHttpServer(
  routes: Record<string, RouteHandler> = {},
  options: {
    host?: '127.0.0.1' | '::1';
    /** Serve HTTPS with this key and certificate (PEM), e.g. test/fakes/tls/localhost-*.pem. */
    tls?: { key: string | Buffer; cert: string | Buffer };
  } = {},
): Promise<FakeHttpServer> {
  const table = new Map(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const counts = new Map<string, number>();
  const started = Date.now();
  let inFlight = 0;
  let maxInFlight = 0;

  const listener: RequestListener = (req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    requests.push({ method: req.method ?? 'GET', path, url, headers: req.headers, at: Date.now() - started });
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      inFlight--;
    };
    res.on('finish', finish);
    res.on('close', finish);
    const handler = table.get(path) ?? table.get('*');
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res, { count, server: fake }))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500).end('handler failed');
        else res.destroy();
      });
  };
  const server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createServer(listener);

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeHttpServer = {
    url: `${options.tls ? 'https' : 'http'}://${host === '::1' ? '[::1]' : '127.0.0.1'}:${port}`,
    port,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    route(path, handler) {
      table.set(path, handler);
    },
    hits(path) {
      return counts.get(path) ?? 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
  return fake;
}
