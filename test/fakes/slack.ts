/**
 * A fake Slack Web API on 127.0.0.1: records every call, keeps posted messages per channel
 * (with metadata, for conversations.history), receives response_url posts, and can answer
 * 429s or platform errors on demand. Plus helpers to send Slack-signed requests to Bolt.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly authorization: string | undefined;
  readonly at: number;
}

export interface FakeMessage {
  readonly ts: string;
  readonly channel: string;
  readonly text: string;
  readonly blocks: unknown[];
  readonly thread_ts?: string;
  readonly metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export type FakeFailure = { kind: 'ratelimited'; retryAfterSeconds: number } | { kind: 'error'; error: string };

const JSON_FIELDS = new Set(['blocks', 'metadata', 'attachments']);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class FakeSlack {
  readonly calls: FakeCall[] = [];
  readonly messages: FakeMessage[] = [];
  /** Bodies POSTed to response_url, in order. */
  readonly responses: Record<string, unknown>[] = [];
  /** Failures to answer for the next calls of a method (consumed in order). */
  readonly failures = new Map<string, FakeFailure[]>();
  /** Channel id → platform error every postMessage to it gets. */
  readonly channelErrors = new Map<string, string>();
  /** Delay before answering postMessage (ms). */
  postDelayMs = 0;
  /** While set (holdPosts), postMessage calls wait for releasePosts(). */
  private postGate: { promise: Promise<void>; open: () => void } | undefined;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  /** Socket Mode connections (the client opened them after apps.connections.open). */
  readonly sockets: WebSocket[] = [];
  /** Acks the client sent for envelopes, by envelope id. */
  readonly socketAcks = new Map<string, unknown>();
  private envelopeSeq = 0;
  private seq = 0;
  port = 0;

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id = 'cmd'): string {
    return `http://127.0.0.1:${this.port}/respond/${id}`;
  }

  /** Listens on `port` (0: any free one). */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(body));
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    });
    // Socket Mode: the websocket Bolt connects to after apps.connections.open.
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      this.wss!.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.push(ws);
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
          if (msg.envelope_id !== undefined) this.socketAcks.set(msg.envelope_id, msg.payload ?? null);
        });
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A0001' } }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Sends a Socket Mode envelope to every connected client; returns its envelope id. */
  sendEnvelope(type: 'slash_commands' | 'events_api', payload: unknown): string {
    this.envelopeSeq += 1;
    const id = `env-${this.envelopeSeq}`;
    for (const ws of this.sockets)
      ws.send(JSON.stringify({ envelope_id: id, type, accepts_response_payload: type === 'slash_commands', payload }));
    return id;
  }

  /**
   * Stops reading from the Socket Mode connections, as a network that dropped them would: a
   * close frame the client sends then gets no answer.
   */
  freezeSockets(): void {
    for (const ws of this.sockets) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  /** Cuts the Socket Mode connections without a close handshake (a reset connection). */
  dropSockets(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  async close(): Promise<void> {
    if (!this.server) return;
    for (const ws of this.sockets) ws.terminate();
    this.wss?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Makes chat.postMessage calls wait (unanswered) until releasePosts(). */
  holdPosts(): void {
    let open: () => void = () => undefined;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.postGate = { promise, open };
  }

  releasePosts(): void {
    this.postGate?.open();
    this.postGate = undefined;
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  messagesIn(channel: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  failNext(method: string, ...failures: FakeFailure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/respond/')) {
      this.responses.push(JSON.parse(raw) as Record<string, unknown>);
      return { status: 200, body: { ok: true } };
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args: Record<string, unknown> = {};
    if ((req.headers['content-type'] ?? '').includes('application/json')) Object.assign(args, JSON.parse(raw || '{}'));
    else {
      for (const [k, v] of new URLSearchParams(raw)) args[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v;
    }
    this.calls.push({ method, args, authorization: req.headers.authorization, at: Date.now() });
    const failure = this.failures.get(method)?.shift();
    if (failure?.kind === 'ratelimited') {
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(failure.retryAfterSeconds) } };
    }
    if (failure?.kind === 'error') return { status: 200, body: { ok: false, error: failure.error } };
    switch (method) {
      case 'apps.connections.open':
        return { status: 200, body: { ok: true, url: `ws://127.0.0.1:${this.port}/link/` } };
      case 'auth.test':
        return {
          status: 200,
          body: { ok: true, url: 'https://fake.slack/', team: 'Fake', team_id: 'T0001', user: 'briefbot', user_id: 'UBOT', bot_id: 'BBOT' },
        };
      case 'chat.postMessage': {
        const channel = String(args['channel']);
        const error = this.channelErrors.get(channel);
        if (error) return { status: 200, body: { ok: false, error } };
        if (this.postGate) await this.postGate.promise;
        if (this.postDelayMs > 0) await new Promise((r) => setTimeout(r, this.postDelayMs));
        this.seq += 1;
        const ts = `${1_800_000_000 + this.seq}.000100`;
        const message: FakeMessage = {
          ts,
          channel,
          text: String(args['text'] ?? ''),
          blocks: (args['blocks'] as unknown[] | undefined) ?? [],
          ...(args['thread_ts'] !== undefined && { thread_ts: String(args['thread_ts']) }),
          ...(args['metadata'] !== undefined && { metadata: args['metadata'] as FakeMessage['metadata'] & object }),
        };
        this.messages.push(message);
        return { status: 200, body: { ok: true, channel, ts, message } };
      }
      case 'conversations.history': {
        const channel = String(args['channel']);
        const withMeta = String(args['include_all_metadata']) === 'true';
        const top = this.messagesIn(channel)
          .filter((m) => m.thread_ts === undefined)
          .reverse()
          .map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(withMeta && m.metadata && { metadata: m.metadata }) }));
        return { status: 200, body: { ok: true, messages: top, has_more: false } };
      }
      default:
        return { status: 200, body: { ok: true } };
    }
  }
}

/** Slack's request signature: v0=HMAC-SHA256(secret, "v0:{ts}:{body}"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs a signed request to Bolt's endpoint, as Slack would. */
export async function sendSigned(
  url: string,
  secret: string,
  body: string,
  options: { contentType?: string; timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(secret, timestamp, body),
      ...options.headers,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

/** Form body of a `/brief` slash command. */
export function slashCommandBody(fields: { text: string; channel?: string; user?: string; responseUrl: string }): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0001',
    team_domain: 'fake',
    channel_id: fields.channel ?? 'C0001',
    channel_name: 'news',
    user_id: fields.user ?? 'U0001',
    user_name: 'reader',
    command: '/brief',
    text: fields.text,
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: '1.2.3',
  }).toString();
}

/** JSON body of an Events API callback for a message in a thread. */
export function threadMessageEvent(fields: {
  channel: string;
  threadTs: string;
  ts: string;
  text: string;
  user?: string;
  eventId: string;
  type?: 'message' | 'app_mention';
}): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: 'T0001',
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: fields.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0001', user_id: 'UBOT', is_bot: true }],
    event: {
      type: fields.type ?? 'message',
      channel: fields.channel,
      channel_type: 'channel',
      user: fields.user ?? 'U0002',
      text: fields.text,
      ts: fields.ts,
      thread_ts: fields.threadTs,
      event_ts: fields.ts,
    },
  });
}

/** Waits until `check` holds (polling), or fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
