/**
 * `briefbot serve` composed: the chat store, router, outbox and scheduler over one store and
 * brief service, the chat adapters, and an HTTP server on PORT with /healthz and /readyz
 * (plus the Slack Events endpoint in HTTP mode, so one port serves both).
 *
 * Several replicas may run over one database: each has an id (the owner of its claims and
 * leases); connections only one replica may hold (Discord's gateway) are held under a lease
 * (LeaseKeeper); outbox work is claimed per delivery. Everything else is stateless here.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BriefService } from '../core/service.ts';
import { createRouter } from '../chat/router.ts';
import type { ChatAdapter, PostedBrief } from '../chat/port.ts';
import { oneLine } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { Scheduler } from '../schedule/cron.ts';
import { LeaseKeeper } from '../schedule/lease-keeper.ts';
import { defaultReplicaId, Outbox, OUTBOX_DEFAULTS } from '../schedule/outbox.ts';
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
  /** How often due and abandoned deliveries are looked for (default a third of the lease). */
  readonly tickMs?: number;
  /** This replica's id (BRIEFBOT_REPLICA_ID); unique among live replicas (default host:pid). */
  readonly replicaId?: string;
  /** Lease length for delivery claims, scheduled runs and the Discord gateway (default 15 s). */
  readonly leaseMs?: number;
  /**
   * Deliveries this replica holds at once. Default: 16 on PostgreSQL, so the rest stay
   * claimable by other replicas; on SQLite every due delivery at once, as one process always did.
   */
  readonly deliveryConcurrency?: number;
  /** How long /readyz waits for the database before answering 503 (default 2 s). */
  readonly readyTimeoutMs?: number;
  /** Catch-up window for a scheduled run missed while down (default: SCHEDULER_DEFAULTS). */
  readonly catchUpWindowMs?: number;
  /** `/brief <topic>` reuses a stored brief younger than this (default: ROUTER_DEFAULTS). */
  readonly freshForMs?: number;
  /** Test hook: see OutboxOptions.afterPost (crash injection). */
  readonly afterPost?: (entry: OutboxEntry, posted: PostedBrief) => void | Promise<void>;
  /** Outbox backoff after a retryable failure (see OutboxOptions.backoffMs). */
  readonly backoffMs?: (attempts: number) => number;
}

/**
 * What serving does when its options say nothing (the outbox's, scheduler's and router's own
 * defaults apply beyond these). `tickMs` defaults to a third of the lease.
 */
export const SERVE_DEFAULTS = {
  now: () => new Date(),
  leaseMs: OUTBOX_DEFAULTS.leaseMs,
  readyTimeoutMs: 2_000,
} as const satisfies Required<Pick<ServeOptions, 'now' | 'leaseMs' | 'readyTimeoutMs'>>;

export interface ServeHandle {
  readonly port: number;
  readonly replicaId: string;
  readonly chat: ChatRepo;
  readonly outbox: Outbox;
  readonly scheduler: Scheduler;
  /** Graceful stop: no new work, in-flight posts finish (unfinished ones stay in the outbox). */
  stop(): Promise<void>;
}

/** SQLite's default: no limit in practice (a single process posts every due delivery at once). */
const SQLITE_DELIVERY_CONCURRENCY = 10_000;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const { service, store, adapters, logger } = options;
  const { now, leaseMs, readyTimeoutMs } = { ...SERVE_DEFAULTS, ...options };
  const chat = store.chat;
  const replicaId = options.replicaId ?? defaultReplicaId();
  const handlers = createRouter({
    service,
    chat,
    logger,
    now,
    ...(options.freshForMs !== undefined && { freshForMs: options.freshForMs }),
  });
  const outbox = new Outbox({
    chat,
    adapters,
    service,
    logger,
    now,
    owner: replicaId,
    leaseMs,
    concurrency: options.deliveryConcurrency ?? (store.kind === 'postgres' ? OUTBOX_DEFAULTS.concurrency : SQLITE_DELIVERY_CONCURRENCY),
    ...(options.afterPost && { afterPost: options.afterPost }),
    ...(options.backoffMs && { backoffMs: options.backoffMs }),
  });
  const scheduler = new Scheduler({
    service,
    chat,
    outbox,
    logger,
    now,
    leaseMs,
    ...(options.catchUpWindowMs !== undefined && { catchUpWindowMs: options.catchUpWindowMs }),
  });
  const keepers = adapters.flatMap((adapter) => {
    const exclusive = adapter.exclusive;
    if (!exclusive) return [];
    return [
      new LeaseKeeper({
        leases: store.leases,
        name: exclusive.name,
        owner: replicaId,
        leaseMs,
        logger,
        onAcquired: () => exclusive.connect(),
        onReleased: () => exclusive.disconnect(),
      }),
    ];
  });
  const routes = new Map((options.httpRoutes ?? []).map((r) => [r.path, r.listener]));
  let ready = false;
  /** Platform routes answer once their adapters are started (Bolt is initialised then). */
  let accepting = false;
  let stopping = false;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz') return json(res, 200, { ok: true });
    if (path === '/readyz') return void readiness().then((body) => json(res, body.ready ? 200 : 503, body));
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

  /** Ready: started, not stopping, and the database answers within the timeout. */
  async function readiness(): Promise<Record<string, unknown>> {
    const base = { replica: replicaId, adapters: adapters.map((a) => a.platform), database: store.kind };
    if (!ready) return { ready: false, ...base };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database did not answer in time')), readyTimeoutMs);
    });
    try {
      await Promise.race([store.ping(), timeout]);
      return { ready: true, ...base, exclusive: keepers.filter((k) => k.held).length };
    } catch (error) {
      return { ready: false, ...base, error: `database: ${oneLine(error)}` };
    } finally {
      clearTimeout(timer);
    }
  }

  const closeServer = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });

  try {
    await Promise.all(adapters.map((a) => a.start(handlers)));
    // One replica holds each exclusive connection; a single replica takes it here, at once.
    await Promise.all(keepers.map((k) => k.start()));
    accepting = true;
  } catch (error) {
    await Promise.allSettled(keepers.map((k) => k.stop()));
    await Promise.allSettled(adapters.map((a) => a.stop()));
    await closeServer();
    throw error;
  }

  // Other replicas' work made due (a run's brief attached, a claim handed back) starts here at once.
  const unwatch = await chat.watchOutbox?.(() => void outbox.kick());
  // Ready to serve commands now; catching up below can take a whole delivery.
  ready = true;
  // Deliveries a crash or an outage left behind go out before anything new.
  await outbox.kick();
  await scheduler.start();
  const timer = setInterval(() => void outbox.kick(), options.tickMs ?? Math.max(20, Math.floor(leaseMs / 3)));
  timer.unref();
  logger.info(
    {
      port,
      replica: replicaId,
      database: store.kind,
      adapters: adapters.map((a) => a.platform),
      scheduled: scheduler.scheduledTopics().map((t) => t.id),
    },
    'serve ready',
  );

  return {
    port,
    replicaId,
    chat,
    outbox,
    scheduler,
    async stop() {
      if (stopping) return;
      stopping = true;
      ready = false;
      clearInterval(timer);
      // From here no delivery starts: posts in flight finish, claims not yet started go back
      // to the queue for other replicas.
      const outboxStopped = outbox.stop();
      await unwatch?.();
      await scheduler.stop();
      await outboxStopped;
      await Promise.allSettled(keepers.map((k) => k.stop()));
      await Promise.allSettled(adapters.map((a) => a.stop()));
      await closeServer();
      logger.info('serve stopped');
    },
  };
}
