/**
 * Posting briefs to Discord over its REST API alone. Only one replica holds the gateway (every
 * gateway session receives every event), but every replica delivers scheduled briefs: this
 * path needs no gateway session, no guild cache, just the bot token.
 */
import { createHash } from 'node:crypto';
import { Routes, type REST } from 'discord.js';
import type { Logger } from '../../core/log.ts';
import type { StoredBrief } from '../../core/types.ts';
import type { ChannelRef, PostedBrief } from '../port.ts';
import { briefMessages, DISCORD_LIMITS, type DiscordMessage } from './embeds.ts';
import { toDeliveryError } from './errors.ts';
import { clipEscaped } from './escape.ts';

const CHANNEL_PREFIX = 'discord:';
/** Discord channel types that are threads (announcement, public, private). */
const THREAD_TYPES = new Set([10, 11, 12]);
/** Sent with every message: article text never pings @everyone, @here, roles or users. */
const NO_MENTIONS = { parse: [] as string[] };

export function channelRef(id: string): ChannelRef {
  return `${CHANNEL_PREFIX}${id}`;
}

export function channelId(ref: ChannelRef): string {
  return ref.startsWith(CHANNEL_PREFIX) ? ref.slice(CHANNEL_PREFIX.length) : ref;
}

/** Marker in a brief's header footer that lets a crashed delivery be found again. */
export function deliveryMarker(deliveryKey: string): string {
  return `ref ${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 12)}`;
}

/**
 * The nonce of message `index` of a delivery (Discord takes at most 25 characters). Sent with
 * `enforce_nonce`, Discord returns the message already created with it in the past few minutes
 * instead of creating another: a replica that stalled past its lease and posts after another
 * replica took the delivery over (and looked for it before either had posted) posts nothing
 * twice.
 */
export function deliveryNonce(deliveryKey: string, index: number): string {
  return createHash('sha256').update(`${deliveryKey}#${index}`).digest('hex').slice(0, 25);
}

/** Discord's error code for a second thread started from one message. */
const THREAD_ALREADY_CREATED = '160004';

export function withMarker(messages: DiscordMessage[], deliveryKey: string | undefined): DiscordMessage[] {
  if (deliveryKey === undefined) return messages;
  const [first, ...rest] = messages;
  const [header, ...embeds] = first?.embeds ?? [];
  if (!first || !header) return messages;
  const footer = clipEscaped(`${header.footer?.text ?? ''} · ${deliveryMarker(deliveryKey)}`, DISCORD_LIMITS.footer);
  return [{ ...first, embeds: [{ ...header, footer: { text: footer } }, ...embeds] }, ...rest];
}

interface RawChannel {
  id: string;
  type: number;
  parent_id?: string | null;
}

interface RawMessage {
  id: string;
  channel_id: string;
  author?: { id: string };
  embeds?: { footer?: { text?: string } }[];
}

export interface RestPoster {
  postBrief(ref: ChannelRef, brief: StoredBrief, options?: { readonly deliveryKey?: string }): Promise<PostedBrief>;
  findPostedBrief(ref: ChannelRef, deliveryKey: string): Promise<PostedBrief | undefined>;
  /** The bot's own user id (GET /users/@me, once); a refused token rejects here. */
  botUserId(): Promise<string>;
}

export function createRestPoster(options: { rest: REST; logger: Logger; topicTitle: (topicId: string) => string }): RestPoster {
  const { rest, logger: log } = options;
  const channels = new Map<string, RawChannel>();
  let me: Promise<string> | undefined;

  function botUserId(): Promise<string> {
    me ??= (rest.get(Routes.user()) as Promise<{ id: string }>).then((u) => u.id);
    me.catch(() => (me = undefined));
    return me;
  }

  async function channel(id: string): Promise<RawChannel> {
    const known = channels.get(id);
    if (known) return known;
    const fetched = (await rest.get(Routes.channel(id))) as RawChannel;
    channels.set(id, fetched);
    return fetched;
  }

  function send(id: string, message: DiscordMessage, nonce: string | undefined): Promise<RawMessage> {
    return rest.post(Routes.channelMessages(id), {
      body: {
        content: message.content,
        embeds: message.embeds,
        allowed_mentions: NO_MENTIONS,
        ...(nonce !== undefined && { nonce, enforce_nonce: true }),
      },
    }) as Promise<RawMessage>;
  }

  /** Opens the brief's thread on its first message; if that is refused, continues in the channel. */
  async function openThread(parent: string, first: RawMessage, brief: StoredBrief): Promise<string> {
    try {
      const thread = (await rest.post(Routes.threads(parent, first.id), {
        body: {
          name: clipEscaped(`${options.topicTitle(brief.topicId)} — ${brief.brief.generatedAt.slice(0, 10)}`, 100),
          auto_archive_duration: 1440,
        },
      })) as RawChannel;
      return thread.id;
    } catch (error) {
      const delivery = toDeliveryError(error, channelRef(parent));
      // The same delivery posted twice (see deliveryNonce) got one message: its thread is there, under the message's id.
      if (delivery.platformCode === THREAD_ALREADY_CREATED) return first.id;
      log.warn({ channel: delivery.channel, code: delivery.platformCode }, `could not open a thread for the brief: ${delivery.message}`);
      return parent;
    }
  }

  async function postBrief(ref: ChannelRef, brief: StoredBrief, postOptions: { readonly deliveryKey?: string } = {}): Promise<PostedBrief> {
    try {
      const target = await channel(channelId(ref));
      const [first, ...rest] = withMarker(
        briefMessages(brief.brief, { topicTitle: options.topicTitle(brief.topicId) }),
        postOptions.deliveryKey,
      );
      if (!first) throw new Error('empty brief rendering');
      const key = postOptions.deliveryKey;
      const nonce = (index: number): string | undefined => (key === undefined ? undefined : deliveryNonce(key, index));
      const message = await send(target.id, first, nonce(0));
      const inThread = THREAD_TYPES.has(target.type);
      const threadId = inThread ? target.id : await openThread(target.id, message, brief);
      const ids = [message.id];
      for (const [i, more] of rest.entries()) ids.push((await send(threadId, more, nonce(i + 1))).id);
      const parent = inThread ? (target.parent_id ?? target.id) : target.id;
      log.info({ channel: ref, brief: brief.id, messages: ids.length }, 'brief posted');
      return { thread: { channel: channelRef(parent), threadId }, messageIds: ids };
    } catch (error) {
      const delivery = toDeliveryError(error, ref);
      log.warn({ channel: ref, code: delivery.platformCode, retryable: delivery.retryable }, delivery.message);
      throw delivery;
    }
  }

  async function findPostedBrief(ref: ChannelRef, deliveryKey: string): Promise<PostedBrief | undefined> {
    const marker = deliveryMarker(deliveryKey);
    try {
      const bot = await botUserId();
      const recent = (await rest.get(Routes.channelMessages(channelId(ref)), {
        query: new URLSearchParams({ limit: '50' }),
      })) as RawMessage[];
      const mine = recent.find((m) => m.author?.id === bot && (m.embeds?.[0]?.footer?.text ?? '').includes(marker));
      // A thread started from a message has the message's id.
      return mine ? { thread: { channel: ref, threadId: mine.id }, messageIds: [mine.id] } : undefined;
    } catch (error) {
      throw toDeliveryError(error, ref);
    }
  }

  return { postBrief, findPostedBrief, botUserId };
}
