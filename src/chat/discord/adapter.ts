/**
 * Briefbot on Discord (discord.js v14): the ChatAdapter the serving core drives. Slash
 * commands are registered over REST at start; every command is deferred at once (Discord's
 * 3-second limit) and then answered by editing the reply. Each posted brief opens a thread,
 * and questions asked there (by message, or by `/brief-ask`) go to the core for a cited
 * answer. No message this adapter sends can ping anyone: `allowedMentions: { parse: [] }`.
 *
 * `start()` only checks the token over REST: scheduled briefs are posted over REST (see
 * rest-post.ts) by any replica. The gateway session — commands, thread messages — is the
 * adapter's `exclusive` connection: the serving core connects it on the one replica holding
 * its lease, since every session would receive (and answer) every event.
 */
import {
  Client,
  REST,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  ThreadAutoArchiveDuration,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type MessageCreateOptions,
  type SendableChannels,
} from 'discord.js';
import type { Answer } from '../../core/service.ts';
import { ConfigError, oneLine } from '../../core/errors.ts';
import { connectWithRetry } from '../connect.ts';
import type { Logger } from '../../core/log.ts';
import type { Topic } from '../../core/types.ts';
import type { StoredBrief } from '../../core/types.ts';
import type { ChannelRef, ChatAdapter, ChatHandlers, CommandReply, ExclusiveConnection, PostedBrief, ThreadRef } from '../port.ts';
import { COMMAND, COMMAND_DEFINITIONS, commandArgs } from './commands.ts';
import { answerMessage, briefMessages, DISCORD_LIMITS, type DiscordMessage } from './embeds.ts';
import { toDeliveryError } from './errors.ts';
import { clipEscaped, escapeText } from './escape.ts';
import { channelRef, createRestPoster } from './rest-post.ts';

/** Sent with every message: article text never pings @everyone, @here, roles or users. */
export const NO_MENTIONS = { parse: [] as [] } as const;

/** The Discord REST base when DISCORD_API_URL is not set. */
export const DEFAULT_DISCORD_API = 'https://discord.com/api';

export interface DiscordAdapterOptions {
  /** Bot token (DISCORD_TOKEN). Never logged. */
  readonly token: string;
  /** DISCORD_APPLICATION_ID; read from READY when absent. */
  readonly applicationId?: string;
  /** DISCORD_GUILD_ID: register commands in this server only (instant), else globally. */
  readonly guildId?: string;
  /** DISCORD_API_URL: REST base such as `http://127.0.0.1:8080/api` (proxies, tests). */
  readonly apiUrl?: string;
  readonly logger: Logger;
  /** Topics for autocomplete and thread names. */
  readonly topics: () => readonly Topic[];
  /**
   * Ask for the privileged MessageContent intent (it must be enabled in the Developer
   * Portal, or Discord closes the gateway). Without it, thread replies that @mention the
   * bot and `/brief-ask` still work.
   */
  readonly messageContent?: boolean;
  /** Waits between attempts to reach Discord at start (default chat/connect.ts CONNECT_BACKOFF_MS). */
  readonly connectBackoffMs?: readonly number[];
  /** REST timeout per request (ms) and retries on 5xx/network errors; discord.js defaults otherwise. */
  readonly rest?: { readonly timeout?: number; readonly retries?: number };
}

/** Handlers plus the optional hook the serving core offers for command-posted briefs. */
type Handlers = ChatHandlers & {
  onBriefPosted?(brief: StoredBrief, posted: PostedBrief): Promise<void>;
};

function isTokenError(error: unknown): boolean {
  const e = error as { code?: unknown; status?: unknown } | null;
  return e?.code === 'TokenInvalid' || e?.status === 401 || e?.code === 4004;
}

/**
 * Creates the Discord adapter. Nothing connects until `start()`; an invalid token makes
 * `start()` throw a ConfigError naming DISCORD_TOKEN (exit 2).
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): ChatAdapter & {
  postBrief(channel: ChannelRef, brief: StoredBrief, postOptions?: { readonly deliveryKey?: string }): Promise<PostedBrief>;
  findPostedBrief(channel: ChannelRef, deliveryKey: string): Promise<PostedBrief | undefined>;
  readonly exclusive: ExclusiveConnection;
} {
  const log = options.logger.child({ platform: 'discord' });
  const api = (options.apiUrl ?? DEFAULT_DISCORD_API).replace(/\/+$/, '');
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
  if (options.messageContent === true) intents.push(GatewayIntentBits.MessageContent);
  let client: Client | undefined;
  let handlers: Handlers | undefined;
  const restOptions = {
    api,
    version: '10',
    ...(options.rest?.timeout !== undefined && { timeout: options.rest.timeout }),
    ...(options.rest?.retries !== undefined && { retries: options.rest.retries }),
  };
  const rest = new REST(restOptions).setToken(options.token);
  rest.on('rateLimited', (info) =>
    log.info({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'discord rate limit: waiting'),
  );
  const poster = createRestPoster({ rest, logger: log, topicTitle: (id) => topicTitle(id) });

  function live(): Client {
    if (!client) throw new Error('discord adapter is not started');
    return client;
  }

  function topicTitle(topicId: string): string {
    return options.topics().find((t) => t.id === topicId)?.title ?? topicId;
  }

  function payload(message: DiscordMessage): MessageCreateOptions {
    return { content: message.content, embeds: [...message.embeds], allowedMentions: NO_MENTIONS };
  }

  /** Opens the brief's thread on its first message; if that is refused, continues in the channel. */
  async function openThread(first: Message, brief: StoredBrief): Promise<SendableChannels> {
    if (first.channel.isThread()) return first.channel;
    try {
      return await first.startThread({
        name: clipEscaped(`${topicTitle(brief.topicId)} — ${brief.brief.generatedAt.slice(0, 10)}`, 100),
        autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      });
    } catch (error) {
      const delivery = toDeliveryError(error, channelRef(first.channelId));
      log.warn({ channel: delivery.channel, code: delivery.platformCode }, `could not open a thread for the brief: ${delivery.message}`);
      return first.channel as SendableChannels;
    }
  }

  /** Posts continuation messages in the thread; returns every message id. */
  async function continueIn(thread: SendableChannels, rest: readonly DiscordMessage[]): Promise<string[]> {
    const ids: string[] = [];
    for (const message of rest) ids.push((await thread.send(payload(message))).id);
    return ids;
  }

  function postedFrom(first: Message, thread: SendableChannels, more: readonly string[]): PostedBrief {
    const parent = first.channel.isThread() ? (first.channel.parentId ?? first.channelId) : first.channelId;
    return { thread: { channel: channelRef(parent), threadId: thread.id }, messageIds: [first.id, ...more] };
  }

  async function replyInThread(thread: ThreadRef, answer: Answer): Promise<void> {
    try {
      const message = answerMessage(answer);
      await rest.post(Routes.channelMessages(thread.threadId), {
        body: { content: message.content, embeds: message.embeds, allowed_mentions: NO_MENTIONS },
      });
    } catch (error) {
      const delivery = toDeliveryError(error, thread.channel);
      log.warn({ channel: thread.channel, thread: thread.threadId, code: delivery.platformCode }, delivery.message);
      throw delivery;
    }
  }

  async function autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const typed = interaction.options.getFocused().toLowerCase();
    const choices = options
      .topics()
      .filter((t) => !t.adHoc && (t.id.toLowerCase().includes(typed) || t.title.toLowerCase().includes(typed)))
      .slice(0, 25)
      .map((t) => ({ name: clipEscaped(`${t.id} — ${t.title}`, 100), value: t.id }));
    await interaction.respond(choices);
  }

  async function answerCommand(interaction: ChatInputCommandInteraction, reply: CommandReply): Promise<void> {
    if (reply.kind === 'text') {
      const content = clipEscaped(reply.text, DISCORD_LIMITS.content);
      if (reply.ephemeral) {
        // The deferral was public; replace it with a message only the user sees.
        await interaction.deleteReply();
        await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      } else {
        await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
      }
      return;
    }
    const [first, ...rest] = briefMessages(reply.brief.brief, { topicTitle: topicTitle(reply.brief.topicId) });
    if (!first) return;
    const message = await interaction.editReply({ content: first.content, embeds: [...first.embeds], allowedMentions: NO_MENTIONS });
    const thread = await openThread(message, reply.brief);
    const posted = postedFrom(message, thread, await continueIn(thread, rest));
    await handlers?.onBriefPosted?.(reply.brief, posted);
  }

  async function ask(interaction: ChatInputCommandInteraction): Promise<void> {
    await interaction.deferReply();
    const question = interaction.options.getString('question', true);
    const channel = interaction.channel;
    if (!channel?.isThread()) {
      await interaction.editReply({ content: "Ask with /brief-ask inside a brief's thread.", allowedMentions: NO_MENTIONS });
      return;
    }
    const answer = await handlers?.onThreadMessage({
      thread: { channel: channelRef(channel.parentId ?? channel.id), threadId: channel.id },
      userId: interaction.user.id,
      text: question,
      eventId: `interaction:${interaction.id}`,
    });
    if (!answer) {
      await interaction.editReply({
        content: 'This thread does not belong to a brief I posted, so I have no sources to answer from.',
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    const rendered = answerMessage(answer);
    await interaction.editReply({
      content: clipEscaped(`**Q:** ${escapeText(question)}`, DISCORD_LIMITS.content),
      embeds: [...rendered.embeds],
      allowedMentions: NO_MENTIONS,
    });
  }

  async function command(interaction: ChatInputCommandInteraction): Promise<void> {
    if (interaction.commandName === COMMAND.ask) return ask(interaction);
    const args = commandArgs(interaction.commandName, (key) => interaction.options.getString(key));
    if (!args || !handlers) return;
    // Acknowledge first: building a brief can take longer than Discord's 3 seconds.
    await interaction.deferReply();
    const reply = await handlers.onCommand({ channel: channelRef(interaction.channelId), userId: interaction.user.id, args });
    await answerCommand(interaction, reply);
  }

  async function onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) await autocomplete(interaction);
      else if (interaction.isChatInputCommand()) await command(interaction);
    } catch (error) {
      log.error({ err: oneLine(error), interaction: interaction.id, channel: interaction.channelId }, 'discord interaction failed');
      if (interaction.isChatInputCommand() && interaction.deferred) {
        await interaction
          .editReply({ content: `Sorry, that failed: ${clipEscaped(escapeText(oneLine(error)), 300)}`, allowedMentions: NO_MENTIONS })
          .catch(() => undefined);
      }
    }
  }

  async function onMessage(message: Message): Promise<void> {
    if (message.author.bot || message.system || !message.channel.isThread() || !handlers) return;
    const botId = live().user?.id;
    const text = message.content.replace(botId ? new RegExp(`<@!?${botId}>`, 'g') : /$^/, '').trim();
    // Without the MessageContent intent, content is empty unless the bot was mentioned.
    if (text === '') return;
    const thread: ThreadRef = { channel: channelRef(message.channel.parentId ?? message.channelId), threadId: message.channelId };
    try {
      const answer = await handlers.onThreadMessage({ thread, userId: message.author.id, text, eventId: message.id });
      if (answer) await replyInThread(thread, answer);
    } catch (error) {
      log.error({ err: oneLine(error), channel: thread.channel, thread: thread.threadId }, 'discord follow-up failed');
    }
  }

  async function registerCommands(c: Client<true>): Promise<void> {
    const appId = options.applicationId ?? c.application.id;
    const route = options.guildId ? Routes.applicationGuildCommands(appId, options.guildId) : Routes.applicationCommands(appId);
    await c.rest.put(route, { body: COMMAND_DEFINITIONS });
    log.info(
      { scope: options.guildId ? `guild ${options.guildId}` : 'global', commands: COMMAND_DEFINITIONS.length },
      'discord commands registered',
    );
  }

  /** Checks the token over REST (no gateway): a refused token is a ConfigError naming DISCORD_TOKEN. */
  async function start(h: ChatHandlers): Promise<void> {
    handlers = h;
    try {
      // A network failure is retried and then reported as the network, never as the token.
      await connectWithRetry(() => poster.botUserId(), {
        platform: 'Discord',
        address: api,
        variable: 'DISCORD_API_URL',
        logger: log,
        ...(options.connectBackoffMs !== undefined && { backoffMs: options.connectBackoffMs }),
      });
    } catch (error) {
      if (isTokenError(error)) throw new ConfigError('DISCORD_TOKEN was refused by Discord (invalid token)', 'DISCORD_TOKEN');
      throw error;
    }
  }

  /** Opens the gateway session (only on the replica holding the gateway lease). */
  async function connect(): Promise<void> {
    if (client) return;
    const c = new Client({ intents, allowedMentions: NO_MENTIONS, rest: restOptions });
    client = c;
    c.on(Events.InteractionCreate, (i) => void onInteraction(i));
    c.on(Events.MessageCreate, (m) => void onMessage(m));
    c.on(Events.ShardDisconnect, (event, shard) => log.warn({ shard, code: event.code }, 'discord gateway disconnected'));
    c.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'discord gateway reconnecting'));
    c.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'discord gateway resumed'));
    c.on(Events.Error, (error) => log.error({ err: oneLine(error) }, 'discord client error'));
    const ready = new Promise<Client<true>>((resolve) => c.once(Events.ClientReady, resolve));
    try {
      // A failed login leaves the client reusable: login again after a network failure.
      await connectWithRetry(() => c.login(options.token), {
        platform: 'Discord',
        address: api,
        variable: 'DISCORD_API_URL',
        logger: log,
        ...(options.connectBackoffMs !== undefined && { backoffMs: options.connectBackoffMs }),
      });
    } catch (error) {
      await c.destroy().catch(() => undefined);
      client = undefined;
      if (isTokenError(error)) throw new ConfigError('DISCORD_TOKEN was refused by Discord (invalid token)', 'DISCORD_TOKEN');
      throw error;
    }
    const readyClient = await ready;
    await registerCommands(readyClient);
    log.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size }, 'discord gateway connected');
  }

  async function disconnect(): Promise<void> {
    const c = client;
    client = undefined;
    await c?.destroy();
    if (c) log.info('discord gateway closed');
  }

  async function stop(): Promise<void> {
    await disconnect();
    handlers = undefined;
  }

  const exclusive: ExclusiveConnection = { name: 'discord-gateway', connect, disconnect };

  return {
    platform: 'discord',
    start,
    stop,
    postBrief: poster.postBrief,
    findPostedBrief: poster.findPostedBrief,
    replyInThread,
    exclusive,
  };
}
