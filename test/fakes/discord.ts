/**
 * A fake Discord on 127.0.0.1: the REST API under /api/v10 and the gateway websocket on
 * the same port. It speaks just enough of both for the real discord.js client (HELLO,
 * IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME) and records every REST call, so
 * tests assert on what Discord would have received.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** How long Discord remembers a message's nonce for enforce_nonce ("the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;

export interface RecordedCall {
  readonly method: string;
  /** Path after /api/v10, decoded (`/webhooks/app/tok/messages/@original`). */
  readonly path: string;
  readonly body: unknown;
  readonly at: number;
}

export interface FakeDiscordOptions {
  readonly token?: string;
  readonly applicationId?: string;
  readonly guildId?: string;
  /** Text channels of the guild. */
  readonly channelIds?: readonly string[];
}

interface Fail {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  /** How many more times to fail; Infinity for always. */
  times: number;
}

let nextSnowflake = 100_000_000_000_000_000n;
/** A fresh numeric-string snowflake. */
export function snowflake(): string {
  nextSnowflake += 1n;
  return nextSnowflake.toString();
}

export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelIds: readonly string[];
  readonly botUserId = snowflake();
  readonly calls: RecordedCall[] = [];
  /** Gateway connections made (IDENTIFY or RESUME count each). */
  identifies = 0;
  resumes = 0;
  /** Identified gateway sessions open now, the most ever open at once, and when each opened and closed. */
  liveSessions = 0;
  maxLiveSessions = 0;
  readonly sessionLog: { readonly event: 'open' | 'close'; readonly at: number; readonly live: number }[] = [];
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private identified = new Set<WebSocket>();
  private seq = 0;
  private sessionId = `sess-${snowflake()}`;
  private threads = new Map<string, Record<string, unknown>>();
  private messages = new Map<string, Record<string, unknown>[]>();
  private failures = new Map<string, Fail>();
  private waiters: { test: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }[] = [];
  port = 0;

  constructor(options: FakeDiscordOptions = {}) {
    this.token = options.token ?? 'fake-bot-token';
    this.applicationId = options.applicationId ?? snowflake();
    this.guildId = options.guildId ?? snowflake();
    this.channelIds = options.channelIds ?? [snowflake(), snowflake()];
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (ws) => this.connect(ws));
  }

  /** REST base to hand to discord.js (`rest.api`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Makes `METHOD path-prefix` answer with an error `times` times. */
  failOn(method: string, pathPrefix: string, fail: Omit<Fail, 'times'>, times = Infinity): void {
    this.failures.set(`${method} ${pathPrefix}`, { ...fail, times });
  }

  /** Drops every gateway connection abruptly, as a network blip would. */
  dropGateway(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  /** Resolves with the first recorded call (past or future) that passes the test. */
  waitFor(test: (c: RecordedCall) => boolean, timeoutMs = 10_000): Promise<RecordedCall> {
    const seen = this.calls.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fake discord: expected call did not come')), timeoutMs);
      this.waiters.push({ test, resolve: (c) => (clearTimeout(timer), resolve(c)) });
    });
  }

  /** Dispatches a gateway event to every connected client. */
  dispatch(t: string, d: unknown): void {
    const frame = JSON.stringify({ op: 0, t, s: ++this.seq, d });
    for (const ws of this.sockets) ws.send(frame);
  }

  user(id: string, name = `user${id.slice(-4)}`, bot = false): Record<string, unknown> {
    return { id, username: name, discriminator: '0', global_name: name, avatar: null, bot };
  }

  private member(userId: string): Record<string, unknown> {
    return {
      user: this.user(userId),
      roles: [],
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      permissions: '2251799813685247',
    };
  }

  private channel(id: string): Record<string, unknown> {
    return {
      id,
      type: 0,
      guild_id: this.guildId,
      name: `news-${id.slice(-4)}`,
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
    };
  }

  /** Sends a slash command; returns the interaction's id and token. */
  command(
    name: string,
    options: Record<string, string>,
    where: { channelId: string; userId?: string; type?: 2 | 4; focused?: string },
  ): { id: string; token: string } {
    const id = snowflake();
    const token = `itok-${id}`;
    const userId = where.userId ?? snowflake();
    const thread = this.threads.get(where.channelId);
    // The reply message of this interaction lands in the channel it came from.
    this.interactionChannels.set(token, where.channelId);
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.applicationId,
      type: where.type ?? 2,
      token,
      version: 1,
      guild_id: this.guildId,
      channel_id: where.channelId,
      channel: thread ?? this.channel(where.channelId),
      member: this.member(userId),
      app_permissions: '2251799813685247',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': this.guildId },
      context: 0,
      data: {
        id: snowflake(),
        name,
        type: 1,
        options: Object.entries(options).map(([key, value]) => ({
          name: key,
          type: 3,
          value,
          ...(where.focused === key && { focused: true }),
        })),
      },
    });
    return { id, token };
  }

  /** The messages in a channel or thread, newest first. */
  postedIn(channelId: string): Record<string, unknown>[] {
    return this.messages.get(channelId) ?? [];
  }

  /** A user writes in a channel or thread. */
  userMessage(channelId: string, content: string, userId = snowflake()): string {
    const id = snowflake();
    this.dispatch(
      'MESSAGE_CREATE',
      this.message(id, channelId, content, [], this.user(userId), { guild_id: this.guildId, member: this.member(userId) }),
    );
    return id;
  }

  private message(
    id: string,
    channelId: string,
    content: string,
    embeds: unknown[],
    author: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return {
      id,
      channel_id: channelId,
      author,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds,
      pinned: false,
      type: 0,
      flags: 0,
      ...extra,
    };
  }

  private botMessage(channelId: string, body: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const id = snowflake();
    const msg = this.message(
      id,
      channelId,
      String(body['content'] ?? ''),
      (body['embeds'] as unknown[]) ?? [],
      this.user(this.botUserId, 'briefbot', true),
      extra,
    );
    const list = this.messages.get(channelId) ?? [];
    list.unshift(msg);
    this.messages.set(channelId, list);
    return msg;
  }

  private connect(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      if (this.identified.delete(ws)) {
        this.liveSessions -= 1;
        this.sessionLog.push({ event: 'close', at: Date.now(), live: this.liveSessions });
      }
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (frame.op === 1) ws.send(JSON.stringify({ op: 11 }));
      else if (frame.op === 2) this.identify(ws, frame.d as { token: string });
      else if (frame.op === 6) this.resume(ws);
    });
  }

  private identify(ws: WebSocket, d: { token: string }): void {
    if (d.token.replace(/^Bot /, '') !== this.token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    this.identifies += 1;
    if (!this.identified.has(ws)) {
      this.identified.add(ws);
      this.liveSessions += 1;
      this.maxLiveSessions = Math.max(this.maxLiveSessions, this.liveSessions);
      this.sessionLog.push({ event: 'open', at: Date.now(), live: this.liveSessions });
    }
    this.sessionId = `sess-${snowflake()}`;
    const send = (t: string, data: unknown): void => ws.send(JSON.stringify({ op: 0, t, s: ++this.seq, d: data }));
    send('READY', {
      v: 10,
      user: { ...this.user(this.botUserId, 'briefbot', true), verified: true, flags: 0 },
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: this.sessionId,
      resume_gateway_url: `ws://127.0.0.1:${this.port}`,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 },
    });
    send('GUILD_CREATE', {
      id: this.guildId,
      name: 'Newsroom',
      icon: null,
      owner_id: snowflake(),
      roles: [
        {
          id: this.guildId,
          name: '@everyone',
          permissions: '2251799813685247',
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      features: [],
      member_count: 2,
      members: [this.member(this.botUserId)],
      channels: this.channelIds.map((id) => this.channel(id)),
      threads: [...this.threads.values()],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      unavailable: false,
      large: false,
      joined_at: new Date(0).toISOString(),
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      system_channel_flags: 0,
      premium_tier: 0,
      nsfw_level: 0,
      preferred_locale: 'en-US',
    });
  }

  private resume(ws: WebSocket): void {
    this.resumes += 1;
    ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.seq, d: {} }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ''));
    const method = req.method ?? 'GET';
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    const call: RecordedCall = { method, path, body, at: Date.now() };
    this.calls.push(call);
    for (const w of [...this.waiters]) {
      if (w.test(call)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(call);
      }
    }
    const json = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
      // A 204 has no body, and no JSON content type (discord.js would try to parse it).
      res.writeHead(status, data === undefined ? headers : { 'content-type': 'application/json', ...headers });
      res.end(data === undefined ? undefined : JSON.stringify(data));
    };
    if (req.headers.authorization !== `Bot ${this.token}` && !path.startsWith('/interactions/') && !path.startsWith('/webhooks/')) {
      json(401, { message: '401: Unauthorized', code: 0 });
      return;
    }
    for (const [key, fail] of this.failures) {
      if (`${method} ${path}`.startsWith(key) && fail.times > 0) {
        fail.times -= 1;
        json(fail.status, fail.body, fail.headers);
        return;
      }
    }
    this.route(method, path, body as Record<string, unknown> | undefined, url, json);
  }

  private route(
    method: string,
    path: string,
    body: Record<string, unknown> | undefined,
    url: URL,
    json: (status: number, data: unknown) => void,
  ): void {
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/users/@me') {
      json(200, { ...this.user(this.botUserId, 'briefbot', true), verified: true, flags: 0 });
    } else if (method === 'GET' && path === '/gateway/bot') {
      json(200, {
        url: `ws://127.0.0.1:${this.port}`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    } else if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      const list = Array.isArray(body) ? body : [];
      json(
        200,
        list.map((c: Record<string, unknown>) => ({
          ...c,
          id: snowflake(),
          application_id: this.applicationId,
          version: snowflake(),
          type: 1,
        })),
      );
    } else if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      json(204, undefined);
    } else if ((m = path.match(/^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/))) {
      if (method === 'DELETE') json(204, undefined);
      else
        json(
          200,
          this.botMessage(this.interactionChannel(m[1] ?? ''), body ?? {}, { webhook_id: this.applicationId, guild_id: this.guildId }),
        );
    } else if (method === 'POST' && (m = path.match(/^\/webhooks\/\d+\/([^/]+)$/))) {
      json(
        200,
        this.botMessage(this.interactionChannel(m[1] ?? ''), body ?? {}, { webhook_id: this.applicationId, guild_id: this.guildId }),
      );
    } else if (method === 'POST' && (m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/))) {
      const [, parent, messageId] = m as unknown as [string, string, string];
      if (this.threads.has(messageId)) {
        json(400, { message: 'A thread has already been created for this message', code: 160004 });
        return;
      }
      const thread = {
        id: messageId,
        type: 11,
        guild_id: this.guildId,
        parent_id: parent,
        name: String(body?.['name'] ?? 'thread'),
        owner_id: this.botUserId,
        message_count: 0,
        member_count: 1,
        rate_limit_per_user: 0,
        flags: 0,
        thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
      };
      this.threads.set(messageId, thread);
      json(201, thread);
      this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    } else if (method === 'POST' && (m = path.match(/^\/channels\/(\d+)\/messages$/))) {
      // As Discord: with enforce_nonce, the bot's message with the same nonce from the past few minutes comes back, and none is created.
      const nonce = body?.['enforce_nonce'] === true ? body['nonce'] : undefined;
      const earlier =
        nonce === undefined
          ? undefined
          : this.postedIn(m[1] ?? '').find(
              (msg) => msg['nonce'] === nonce && Date.now() - Date.parse(String(msg['timestamp'])) < NONCE_WINDOW_MS,
            );
      json(
        200,
        earlier ??
          this.botMessage(m[1] ?? '', body ?? {}, {
            guild_id: this.guildId,
            ...(body?.['nonce'] !== undefined && { nonce: body['nonce'] }),
          }),
      );
    } else if (method === 'GET' && (m = path.match(/^\/channels\/(\d+)\/messages$/))) {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      json(200, (this.messages.get(m[1] ?? '') ?? []).slice(0, limit));
    } else if (method === 'GET' && (m = path.match(/^\/channels\/(\d+)$/))) {
      const id = m[1] ?? '';
      const found = this.threads.get(id) ?? (this.channelIds.includes(id) ? this.channel(id) : undefined);
      if (found) json(200, found);
      else json(404, { message: 'Unknown Channel', code: 10003 });
    } else {
      json(404, { message: `fake discord: no route ${method} ${path}`, code: 0 });
    }
  }

  /** Interaction tokens → channel, learnt from the INTERACTION_CREATE we dispatched. */
  private interactionChannels = new Map<string, string>();
  private interactionChannel(token: string): string {
    return this.interactionChannels.get(token) ?? this.channelIds[0] ?? '0';
  }
}
