/**
 * Discord failures as ChatDeliveryError, so the outbox and the logs can tell "this channel
 * will never work until someone fixes permissions" from "try again later".
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { ChatDeliveryError, oneLine } from '../../core/errors.ts';

/** Discord JSON error codes that no retry will fix, with the plain words an operator needs. */
const PERMANENT: Readonly<Record<number, string>> = {
  10003: 'the channel does not exist (or the bot cannot see it)',
  10008: 'the message does not exist',
  50001: 'the bot has no access to this channel (missing View Channel / not in the server)',
  50013:
    'the bot lacks a permission in this channel (needs Send Messages, Embed Links, Create Public Threads, Send Messages in Threads, Read Message History)',
  50035: 'Discord rejected the message as invalid',
  160004: 'a thread was already created for this message',
};

/** Wraps any error thrown by discord.js while delivering to `channel` ("discord:<id>"). */
export function toDeliveryError(error: unknown, channel: string): ChatDeliveryError {
  if (error instanceof ChatDeliveryError) return error;
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    const plain = PERMANENT[code];
    const retryable = plain === undefined && (error.status >= 500 || error.status === 429);
    return new ChatDeliveryError(`discord ${channel}: ${plain ?? oneLine(error)} (HTTP ${error.status}, code ${error.code})`, {
      platform: 'discord',
      channel,
      platformCode: String(error.code),
      retryable,
      cause: error,
    });
  }
  if (error instanceof RateLimitError) {
    return new ChatDeliveryError(`discord ${channel}: rate limited on ${error.route}`, {
      platform: 'discord',
      channel,
      platformCode: '429',
      retryAfterMs: error.retryAfter,
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof HTTPError) {
    return new ChatDeliveryError(`discord ${channel}: HTTP ${error.status} from Discord`, {
      platform: 'discord',
      channel,
      platformCode: String(error.status),
      retryable: true,
      cause: error,
    });
  }
  // Network errors and timeouts (AbortError): worth another try later.
  return new ChatDeliveryError(`discord ${channel}: ${oneLine(error)}`, { platform: 'discord', channel, retryable: true, cause: error });
}
