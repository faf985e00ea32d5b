import { isHTTPError, isNetworkError, isTimeoutError } from 'ky';
import { retryAfterMs } from './retry-after.ts';

/**
 * What went wrong when delivering to a channel. A closed set: every plugin
 * says what happened in these words, and notify-status.ts turns each into one
 * gRPC status.
 */
export const CHANNEL_ERROR_CODES = [
  /** The channel asked to slow down (HTTP 429); retryAfterMs says for how long, when it said. */
  'rate_limited',
  /** Transient: timeout, 5xx, connection refused or reset, DNS failure. Retry. */
  'unavailable',
  /** The channel refused for a reason a retry cannot fix: channel gone, archived, bot blocked. */
  'rejected',
  /** The channel refused the credentials (401/403, revoked token or webhook). */
  'unauthorized',
  /** The notification names a target this plugin does not know. */
  'unknown_target',
  /** The payload is not this plugin's type, is malformed, or the channel refused its content. */
  'invalid_payload',
] as const;

export type ChannelErrorCode = (typeof CHANNEL_ERROR_CODES)[number];

export interface ChannelErrorOptions {
  /** The channel's own status, short: "429", "channel_not_found", "ECONNREFUSED". */
  channelStatus?: string;
  /** A short human-readable detail; never a secret. */
  detail?: string;
  /** For rate_limited: how long the channel asked to wait. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Node and Bun socket-level error codes, all transient from a plugin's point
 * of view: the channel (or the path to it) may be back on the next attempt.
 * This is the only place transport errors are classified.
 */
const TRANSIENT_SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  // Bun names its fetch failures in words.
  'ConnectionRefused',
  'ConnectionClosed',
  'ConnectionReset',
  'FailedToOpenSocket',
  'Timeout',
]);

/** One error type for everything that can go wrong between a plugin and its channel. */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  readonly code: ChannelErrorCode;
  readonly channelStatus: string;
  readonly detail: string;
  readonly retryAfterMs: number | undefined;

  constructor(code: ChannelErrorCode, options: ChannelErrorOptions = {}) {
    const detail = options.detail ?? code.replace('_', ' ');
    super(`${code}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.channelStatus = options.channelStatus ?? '';
    this.detail = detail;
    this.retryAfterMs = options.retryAfterMs;
  }

  /**
   * The ChannelError for anything thrown while delivering: a ChannelError as
   * is; ky's HTTPError by its status (see fromHttpStatus); ky's TimeoutError
   * and every socket error as unavailable; an abort (the caller went away, or
   * the plugin is shutting down) as unavailable. Anything else is a surprise
   * and counts as unavailable too, so the listener retries within its bound
   * instead of dropping a message on a plugin bug. `cause` keeps the original.
   */
  static from(error: unknown): ChannelError {
    if (error instanceof ChannelError) return error;
    if (isHTTPError(error)) {
      return ChannelError.fromHttpStatus(error.response.status, {
        retryAfterMs: retryAfterMs(error.response.headers.get('retry-after'), Date.now()),
        detail: error.response.statusText || `HTTP ${error.response.status}`,
        cause: error,
      });
    }
    if (isTimeoutError(error)) {
      return new ChannelError('unavailable', {
        channelStatus: 'timeout',
        detail: 'the channel did not answer in time',
        cause: error,
      });
    }
    const socketCode = findSocketCode(error);
    if (socketCode !== undefined) {
      return new ChannelError('unavailable', {
        channelStatus: socketCode,
        detail: `cannot reach the channel (${socketCode})`,
        cause: error,
      });
    }
    if (isNetworkError(error)) {
      return new ChannelError('unavailable', {
        channelStatus: 'network',
        detail: 'cannot reach the channel',
        cause: error,
      });
    }
    if (isAbort(error)) {
      return new ChannelError('unavailable', {
        channelStatus: 'aborted',
        detail: 'delivery aborted before the channel answered',
        cause: error,
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ChannelError('unavailable', {
      channelStatus: 'internal',
      detail: `unexpected plugin error: ${message}`,
      cause: error,
    });
  }

  /**
   * The ChannelError for an HTTP answer a channel gave without a more precise
   * error of its own: 429 rate_limited; 408, 425 and 5xx unavailable; 401 and
   * 403 unauthorized; 404 and 410 rejected (the webhook or chat is gone);
   * every other status (other 4xx, an unexpected redirect) invalid_payload
   * for 4xx and rejected otherwise.
   */
  static fromHttpStatus(
    status: number,
    options: { retryAfterMs?: number | undefined; detail?: string; cause?: unknown } = {},
  ): ChannelError {
    const base = {
      channelStatus: String(status),
      detail: options.detail ?? `HTTP ${status}`,
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    };
    if (status === 429) {
      return new ChannelError('rate_limited', {
        ...base,
        ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
      });
    }
    if (status === 408 || status === 425 || status >= 500) return new ChannelError('unavailable', base);
    if (status === 401 || status === 403) return new ChannelError('unauthorized', base);
    if (status === 404 || status === 410) return new ChannelError('rejected', base);
    if (status >= 400) return new ChannelError('invalid_payload', base);
    return new ChannelError('rejected', base);
  }
}

/** The first socket error code found along the cause chain (fetch wraps the socket error). */
function findSocketCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_SOCKET_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
