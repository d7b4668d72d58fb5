/**
 * Builds the Discord adapter from the parsed environment (DISCORD_* variables), for the
 * composition root (`briefbot serve`). Returns undefined when DISCORD_TOKEN is not set.
 */
import type { EnvSettings } from '../config/load.ts';
import { ConfigError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Topic } from '../core/types.ts';
import { createDiscordAdapter, type DiscordAdapterOptions } from '../chat/discord/adapter.ts';

const SNOWFLAKE = /^\d{15,22}$/;

/** The Discord adapter the environment asks for, or undefined; ConfigError names a bad variable. */
export function discordFromEnv(
  env: EnvSettings,
  logger: Logger,
  topics: () => readonly Topic[],
): ReturnType<typeof createDiscordAdapter> | undefined {
  const { token, applicationId, guildId, apiUrl, messageContent } = env.discord;
  if (token === undefined) {
    if (applicationId !== undefined || guildId !== undefined) {
      throw new ConfigError('serve: DISCORD_APPLICATION_ID/DISCORD_GUILD_ID are set but DISCORD_TOKEN is not', 'DISCORD_TOKEN');
    }
    return undefined;
  }
  // A token is three dot-separated base64url parts; anything else can't log in.
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token.replace(/^Bot\s+/i, ''))) {
    throw new ConfigError('serve: DISCORD_TOKEN does not look like a bot token (Developer Portal → Bot → Reset Token)', 'DISCORD_TOKEN');
  }
  if (applicationId !== undefined && !SNOWFLAKE.test(applicationId)) {
    throw new ConfigError(`serve: DISCORD_APPLICATION_ID "${applicationId}" is not a Discord id (digits only)`, 'DISCORD_APPLICATION_ID');
  }
  if (guildId !== undefined && !SNOWFLAKE.test(guildId)) {
    throw new ConfigError(`serve: DISCORD_GUILD_ID "${guildId}" is not a Discord id (digits only)`, 'DISCORD_GUILD_ID');
  }
  const options: DiscordAdapterOptions = {
    token: token.replace(/^Bot\s+/i, ''),
    logger,
    topics,
    ...(applicationId !== undefined && { applicationId }),
    ...(guildId !== undefined && { guildId }),
    ...(apiUrl !== undefined && { apiUrl }),
    ...(messageContent !== undefined && { messageContent }),
  };
  return createDiscordAdapter(options);
}
