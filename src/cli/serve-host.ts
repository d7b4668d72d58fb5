/**
 * `briefbot serve` composed: the chat store, router, outbox and scheduler over one store and
 * brief service, the chat adapters, and an HTTP server on PORT with /healthz and /readyz
 * (plus the Slack Events endpoint in HTTP mode, so one port serves both).
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BriefService } from '../core/service.ts';
import { createRouter } from '../chat/router.ts';
import type { ChatAdapter, PostedBrief } from '../chat/port.ts';
import { oneLine } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { Scheduler } from '../schedule/cron.ts';
import { Outbox } from '../schedule/outbox.ts';
import type { ChatRepo, OutboxEntry } from '../store/chat-port.ts';
import type { Store } from '../store/port.ts';

export interface HttpRoute {
  /** Exact path, e.g. "/slack/events". */
  readonly path: string;
  readonly listener: RequestListener;
}

export interface ServeOptions {
  readonly service: BriefService;
  readonly store: Store;
  readonly adapters: readonly ChatAdapter[];
  readonly logger: Logger;
  /** HTTP port for health (and Slack HTTP mode); 0 picks a free one. */
  readonly port: number;
  /** Interface to listen on (default all). */
  readonly host?: string;
  readonly now?: () => Date;
  /** Extra endpoints on the same server (Slack's Events API in HTTP mode). */
  readonly httpRoutes?: readonly HttpRoute[];
  /** How often pending deliveries are retried (default 30 s). */
  readonly tickMs?: number;
  /** Catch-up window for a scheduled run missed while down (default 6 h). */
  readonly catchUpWindowMs?: number;
  /** `/brief <topic>` reuses a stored brief younger than this (default 30 min). */
  readonly freshForMs?: number;
  /** Test hook: see OutboxOptions.afterPost (crash injection). */
  readonly afterPost?: (entry: OutboxEntry, posted: PostedBrief) => void | Promise<void>;
  /** Outbox backoff after a retryable failure (see OutboxOptions.backoffMs). */
  readonly backoffMs?: (attempts: number) => number;
}

export interface ServeHandle {
  readonly port: number;
  readonly chat: ChatRepo;
  readonly outbox: Outbox;
  readonly scheduler: Scheduler;
  /** Graceful stop: no new work, in-flight posts finish (unfinished ones stay in the outbox). */
  stop(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const { service, store, adapters, logger } = options;
  const now = options.now ?? (() => new Date());
  const chat = store.chat;
  const handlers = createRouter({ service, chat, logger, now, ...(options.freshForMs !== undefined && { freshForMs: options.freshForMs }) });
  const outbox = new Outbox({
    chat, adapters, service, logger, now,
    ...(options.afterPost && { afterPost: options.afterPost }),
    ...(options.backoffMs && { backoffMs: options.backoffMs }),
  });
  const scheduler = new Scheduler({
    service, chat, outbox, logger, now,
    ...(options.catchUpWindowMs !== undefined && { catchUpWindowMs: options.catchUpWindowMs }),
  });
  const routes = new Map((options.httpRoutes ?? []).map((r) => [r.path, r.listener]));
  let ready = false;
  /** Platform routes answer once their adapters are started (Bolt is initialised then). */
  let accepting = false;
  let stopping = false;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz') return json(res, 200, { ok: true });
    if (path === '/readyz') return json(res, ready ? 200 : 503, { ready, adapters: adapters.map((a) => a.platform) });
    const route = routes.get(path);
    if (route && accepting && !stopping) return void route(req, res);
    if (route) return json(res, 503, { error: stopping ? 'shutting down' : 'starting' });
    return json(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const closeServer = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });

  try {
    await Promise.all(adapters.map((a) => a.start(handlers)));
    accepting = true;
  } catch (error) {
    await Promise.allSettled(adapters.map((a) => a.stop()));
    await closeServer();
    throw error;
  }

  // Deliveries a crash or an outage left behind go out before anything new.
  const tick = async (): Promise<void> => {
    try {
      await outbox.flush();
    } catch (error) {
      logger.error({ err: oneLine(error) }, 'outbox tick failed');
    }
  };
  await tick();
  await scheduler.start();
  const timer = setInterval(() => void tick(), options.tickMs ?? 30_000);
  timer.unref();
  ready = true;
  logger.info({ port, adapters: adapters.map((a) => a.platform), scheduled: scheduler.scheduledTopics().map((t) => t.id) }, 'serve ready');

  return {
    port,
    chat,
    outbox,
    scheduler,
    async stop() {
      if (stopping) return;
      stopping = true;
      ready = false;
      clearInterval(timer);
      await scheduler.stop();
      await outbox.stop();
      await Promise.allSettled(adapters.map((a) => a.stop()));
      await closeServer();
      logger.info('serve stopped');
    },
  };
}
