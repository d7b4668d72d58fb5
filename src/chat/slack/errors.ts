/**
 * Slack Web API failures as ChatDeliveryError, so the core decides on retrying from the
 * error's fields (retryable, retryAfterMs) without knowing Slack's error shapes.
 */
import { ChatDeliveryError, oneLine } from '../../core/errors.ts';

/** Platform error codes worth trying again later; everything else is about the channel or the app. */
const RETRYABLE_CODES = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

interface WebApiErrorShape {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
}

export function toDeliveryError(error: unknown, channel: string): ChatDeliveryError {
  if (error instanceof ChatDeliveryError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as WebApiErrorShape;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error': {
      const retryAfterMs = Math.max(0, (e.retryAfter ?? 1) * 1000);
      return new ChatDeliveryError(`slack: rate limited in ${channel}; retry after ${retryAfterMs} ms`, {
        platform: 'slack',
        channel,
        platformCode: 'ratelimited',
        retryAfterMs,
        retryable: true,
        cause: error,
      });
    }
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      return new ChatDeliveryError(`slack: ${code} in ${channel}`, {
        platform: 'slack',
        channel,
        platformCode: code,
        retryable: RETRYABLE_CODES.has(code),
        cause: error,
      });
    }
    case 'slack_webapi_http_error':
      return new ChatDeliveryError(`slack: HTTP ${e.statusCode ?? '?'} posting to ${channel}`, {
        platform: 'slack',
        channel,
        platformCode: `http_${e.statusCode ?? 'error'}`,
        retryable: (e.statusCode ?? 500) >= 500,
        cause: error,
      });
    default:
      return new ChatDeliveryError(`slack: cannot reach the Web API for ${channel}: ${oneLine(error)}`, {
        platform: 'slack',
        channel,
        platformCode: e.code ?? 'request_error',
        retryable: true,
        cause: error,
      });
  }
}
