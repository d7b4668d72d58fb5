/**
 * The Slack adapter on @slack/bolt: Socket Mode when an app token is given, otherwise the
 * Events API over HTTP with request signing. It acknowledges `/brief` at once (Slack allows
 * 3 s), then asks the core for the reply and posts it; answers follow-ups in a brief's
 * thread; renders briefs as Block Kit. All Web API calls honour SLACK_API_URL.
 */
import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, type RespondFn } from '@slack/bolt';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Answer } from '../../core/service.ts';
import { BriefbotError, ConfigError, oneLine } from '../../core/errors.ts';
import { connectWithRetry } from '../connect.ts';
import type { Logger } from '../../core/log.ts';
import type { StoredBrief } from '../../core/types.ts';
import type { ChannelRef, ChatAdapter, ChatHandlers, PostBriefOptions, PostedBrief, ThreadRef } from '../port.ts';
import { answerMessage, briefMessages, SLACK_LIMITS, splitMessage, type BlockLimits, type SlackMessage } from './blocks.ts';
import { toDeliveryError } from './errors.ts';
import { boltLogger } from './logger.ts';
import { guardSlackRequests } from './request-guard.ts';

/** Message metadata event type carrying the outbox key of a scheduled brief. */
export const BRIEF_METADATA_TYPE = 'briefbot_brief';

export interface SlackAdapterOptions {
  readonly botToken: string;
  /** HTTP mode: verifies every request's signature. */
  readonly signingSecret?: string;
  /** Socket Mode (preferred when given): no public URL needed. */
  readonly appToken?: string;
  /** Web API base URL, e.g. "http://127.0.0.1:4000/api/" (a trailing slash is added). */
  readonly apiUrl?: string;
  readonly logger: Logger;
  /** Path of the Events API and slash command endpoint in HTTP mode (default /slack/events). */
  readonly endpoint?: string;
  /** Web API retry policy (tests pass `{ retries: 0 }`); 429s are never retried here but by the outbox. */
  readonly retries?: number;
  readonly limits?: BlockLimits;
  /** Recent channel messages `findPostedBrief` looks through (default 200). */
  readonly historyLimit?: number;
  /** Waits between attempts to reach Slack at start (default chat/connect.ts CONNECT_BACKOFF_MS). */
  readonly connectBackoffMs?: readonly number[];
  /**
   * Commands worked on at once after their ack (default 4); the rest wait their turn. Builds
   * run in worker threads and one per topic and window at a time, so a command waiting for a
   * big build must not hold up the replies to commands in other channels.
   */
  readonly commandConcurrency?: number;
}

/** What the Slack adapter does when its options say nothing. */
export const SLACK_ADAPTER_DEFAULTS = {
  endpoint: '/slack/events',
  retries: 3,
  limits: SLACK_LIMITS,
  historyLimit: 200,
  commandConcurrency: 4,
} as const satisfies Required<Pick<SlackAdapterOptions, 'endpoint' | 'retries' | 'limits' | 'historyLimit' | 'commandConcurrency'>>;

const PREFIX = 'slack:';

function channelId(channel: ChannelRef): string {
  return channel.startsWith(PREFIX) ? channel.slice(PREFIX.length) : channel;
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export class SlackAdapter implements ChatAdapter {
  readonly platform = 'slack' as const;
  readonly mode: 'http' | 'socket';
  /** HTTP mode: the listener serving `endpoint`, mounted on serve's HTTP server. */
  readonly requestListener: RequestListener | undefined;
  readonly endpoint: string;
  private readonly app: App;
  private readonly logger: Logger;
  private readonly limits: BlockLimits;
  private handlers: ChatHandlers | undefined;
  private botUserId: string | undefined;
  /**
   * Work after an ack (build, post) runs a few at a time, so a burst of commands does not
   * flood the event loop and delay the acks of the commands still arriving.
   */
  private readonly commandLimit: LimitFunction;
  /** Socket Mode: the receiver's socket client, ended for good by stop(). */
  private socketClient: SocketModeReceiver['client'] | undefined;

  private readonly options: SlackAdapterOptions & Required<Pick<SlackAdapterOptions, 'retries' | 'historyLimit'>>;

  constructor(adapterOptions: SlackAdapterOptions) {
    const options = { ...SLACK_ADAPTER_DEFAULTS, ...adapterOptions };
    this.options = options;
    this.logger = options.logger.child({ platform: 'slack' });
    this.limits = options.limits;
    this.commandLimit = pLimit(options.commandConcurrency);
    this.endpoint = options.endpoint;
    const logger = boltLogger(options.logger) as never;
    const apiUrl = options.apiUrl === undefined ? undefined : options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
    // deferInitialization: Bolt verifies the token in its constructor otherwise; start() does it instead.
    const clientOptions = {
      ...(apiUrl !== undefined && { slackApiUrl: apiUrl }),
      // 429s surface as errors so the outbox's per-channel queue honours Retry-After.
      rejectRateLimitedCalls: true,
      retryConfig: { retries: options.retries, factor: 2, minTimeout: 500, maxTimeout: 5000 },
    };
    if (options.appToken !== undefined) {
      this.mode = 'socket';
      this.requestListener = undefined;
      // installerOptions.clientOptions is how Bolt hands a base URL to the socket client's
      // apps.connections.open call (no OAuth installer is created without a client id).
      const receiver: SocketModeReceiver = new SocketModeReceiver({
        appToken: options.appToken,
        logger,
        ...(apiUrl !== undefined && { installerOptions: { clientOptions: { slackApiUrl: apiUrl } } }),
      });
      this.app = new App({ token: options.botToken, receiver, logger, clientOptions, deferInitialization: true });
      this.socketClient = receiver.client;
    } else if (options.signingSecret !== undefined) {
      this.mode = 'http';
      const receiver = new HTTPReceiver({ signingSecret: options.signingSecret, endpoints: this.endpoint, logger });
      this.app = new App({ token: options.botToken, receiver, logger, clientOptions, deferInitialization: true });
      // Bolt exits the process on some signed bodies (`null`, `payload=null`): guard it.
      this.requestListener = guardSlackRequests(receiver.requestListener);
    } else {
      throw new ConfigError(
        'slack: set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) with SLACK_BOT_TOKEN',
        'SLACK_SIGNING_SECRET',
      );
    }
    this.app.error(async (error) => {
      this.logger.error({ err: oneLine(error) }, 'slack handler failed');
    });
    this.register();
  }

  private register(): void {
    this.app.command(/^\/brief/, async ({ command, ack, respond }) => {
      // Ack first, always: Slack shows an error if no response comes within 3 seconds.
      await ack();
      const handlers = this.handlers;
      if (!handlers) return;
      const channel = `${PREFIX}${command.channel_id}`;
      const args = command.text.trim().split(/\s+/).filter(Boolean);
      await this.commandLimit(() => this.runCommand(handlers, channel, command.user_id, args, respond));
    });

    this.app.event('message', async ({ event }) => {
      const message = event as {
        subtype?: string;
        bot_id?: string;
        user?: string;
        text?: string;
        ts: string;
        thread_ts?: string;
        channel: string;
      };
      if (message.subtype !== undefined || message.bot_id !== undefined || message.user === undefined) return;
      if (message.thread_ts === undefined || message.thread_ts === message.ts) return;
      // An @mention in a thread arrives as both `message` and `app_mention`: leave it to the latter.
      if (this.botUserId !== undefined && message.text?.includes(`<@${this.botUserId}>`)) return;
      await this.followUp(message.channel, message.thread_ts, message.ts, message.user, message.text ?? '');
    });

    this.app.event('app_mention', async ({ event }) => {
      if (event.thread_ts === undefined || event.user === undefined) return;
      await this.followUp(event.channel, event.thread_ts, event.ts, event.user, event.text);
    });
  }

  /** After the ack: asks the core for the reply and posts it (a brief to the channel, text via response_url). */
  private async runCommand(handlers: ChatHandlers, channel: ChannelRef, userId: string, args: string[], respond: RespondFn): Promise<void> {
    try {
      const reply = await handlers.onCommand({ channel, userId, args });
      if (reply.kind === 'text') {
        await respond({ response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', text: reply.text });
        return;
      }
      try {
        const posted = await this.postBrief(channel, reply.brief);
        await handlers.onBriefPosted?.(reply.brief, posted);
      } catch (error) {
        this.logger.error({ channel, err: oneLine(error) }, 'posting a commanded brief failed');
        const code = (error as { platformCode?: string }).platformCode;
        const hint =
          code === 'not_in_channel' || code === 'channel_not_found'
            ? ' Invite the bot to this channel (/invite @Briefbot) and try again.'
            : '';
        await respond({ response_type: 'ephemeral', text: `Could not post the brief here (${code ?? 'error'}).${hint}` });
      }
    } catch (error) {
      this.logger.error({ channel, err: oneLine(error) }, 'slash command failed');
      await respond({
        response_type: 'ephemeral',
        text: 'Something went wrong building that reply; the operator can see it in the logs.',
      }).catch(() => undefined);
    }
  }

  private async followUp(channelIdValue: string, threadTs: string, ts: string, userId: string, text: string): Promise<void> {
    const handlers = this.handlers;
    if (!handlers) return;
    const thread: ThreadRef = { channel: `${PREFIX}${channelIdValue}`, threadId: threadTs };
    // Keyed on the message, not the event: a retried delivery and the message/app_mention pair
    // of one message are the same question.
    const answer = await handlers.onThreadMessage({ thread, userId, text, eventId: `slack:${channelIdValue}:${ts}` });
    if (answer) await this.replyInThread(thread, answer);
  }

  async start(handlers: ChatHandlers): Promise<void> {
    this.handlers = handlers;
    let auth;
    try {
      auth = await connectWithRetry(() => this.app.client.auth.test(), {
        platform: 'Slack',
        address: this.options.apiUrl ?? 'https://slack.com/api/',
        variable: 'SLACK_API_URL',
        logger: this.logger,
        ...(this.options.connectBackoffMs !== undefined && { backoffMs: this.options.connectBackoffMs }),
      });
    } catch (error) {
      if (error instanceof BriefbotError) throw error;
      const code = (error as { data?: { error?: string } }).data?.error;
      throw new ConfigError(`SLACK_BOT_TOKEN: Slack refused the token (${code ?? oneLine(error)})`, 'SLACK_BOT_TOKEN');
    }
    this.botUserId = auth.user_id;
    // Deferred so that constructing the adapter makes no network call (Bolt would verify the token at once).
    await this.app.init();
    if (this.mode === 'socket') await this.app.start();
    this.logger.info({ mode: this.mode, botUserId: this.botUserId, team: auth.team }, 'slack connected');
  }

  /** Stops taking events; commands already acknowledged get up to `graceMs` to post their reply. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.mode === 'socket') await this.stopSocket();
    const deadline = Date.now() + graceMs;
    while (this.commandLimit.activeCount + this.commandLimit.pendingCount > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.handlers = undefined;
  }

  /**
   * Closes the Socket Mode link. Bolt's stop sends a close frame, and the socket client would
   * then wait up to 30 s for Slack's answer with a timer that keeps the process alive; if the
   * link errors meanwhile, its error path starts a second such timer and loses the first.
   * So once the close frame is out (the socket is closing), it is ended at once: a second
   * disconnect of a closing socket cleans it up (timers cleared, socket destroyed), and the
   * client is already shutting down, so it does not reconnect.
   */
  private async stopSocket(): Promise<void> {
    const stopped = this.app.stop().catch(() => undefined);
    this.socketClient?.websocket?.disconnect();
    await stopped;
  }

  private async post(channel: ChannelRef, message: SlackMessage, extra: Record<string, unknown>): Promise<string> {
    try {
      const result = await this.app.client.chat.postMessage({
        channel: channelId(channel),
        text: message.text,
        blocks: message.blocks as never,
        unfurl_links: false,
        unfurl_media: false,
        ...extra,
      });
      return result.ts ?? '';
    } catch (error) {
      throw toDeliveryError(error, channel);
    }
  }

  async postBrief(channel: ChannelRef, brief: StoredBrief, options: PostBriefOptions = {}): Promise<PostedBrief> {
    const queue = briefMessages(brief.brief, { limits: this.limits });
    if (queue.length === 0) throw toDeliveryError(new Error('empty brief rendering'), channel);
    const metadata =
      options.deliveryKey !== undefined
        ? { metadata: { event_type: BRIEF_METADATA_TYPE, event_payload: { delivery_key: options.deliveryKey, brief_id: brief.id } } }
        : {};
    let ts: string | undefined;
    const ids: string[] = [];
    for (let message = queue.shift(); message; message = queue.shift()) {
      try {
        const id = await this.post(channel, message, ts === undefined ? metadata : { thread_ts: ts });
        ts ??= id;
        ids.push(id);
      } catch (error) {
        // Too long for Slack after all: send the same blocks as smaller messages, in order.
        const smaller = (error as { platformCode?: string }).platformCode === 'msg_too_long' ? splitMessage(message) : undefined;
        if (smaller) {
          this.logger.warn({ channel, blocks: message.blocks.length }, 'slack said msg_too_long; splitting the message');
          queue.unshift(...smaller);
          continue;
        }
        if (ts === undefined) throw error;
        // The brief is already in the channel: report the gap instead of posting it again.
        this.logger.error({ channel, err: oneLine(error), posted: ids.length, left: queue.length + 1 }, 'brief continuation failed');
        break;
      }
    }
    if (ts === undefined) throw toDeliveryError(new Error('nothing was posted'), channel);
    return { thread: { channel, threadId: ts }, messageIds: ids };
  }

  async replyInThread(thread: ThreadRef, answer: Answer): Promise<void> {
    await this.post(thread.channel, answerMessage(answer, this.limits), { thread_ts: thread.threadId });
  }

  async findPostedBrief(channel: ChannelRef, deliveryKey: string): Promise<PostedBrief | undefined> {
    let result;
    try {
      result = await this.app.client.conversations.history({
        channel: channelId(channel),
        limit: this.options.historyLimit,
        include_all_metadata: true,
      });
    } catch (error) {
      throw toDeliveryError(error, channel);
    }
    const found = ((result.messages ?? []) as HistoryMessage[]).find(
      (m) => m.metadata?.event_type === BRIEF_METADATA_TYPE && m.metadata.event_payload?.['delivery_key'] === deliveryKey,
    );
    if (found?.ts === undefined) return undefined;
    return { thread: { channel, threadId: found.ts }, messageIds: [found.ts] };
  }
}
