import ky, { type KyInstance } from 'ky';

/**
 * The HTTP client a plugin talks to its channel with: a timeout on every call,
 * no retries (the listener owns the retry policy, with backoff and the
 * channel's retry-after), and every status returned rather than thrown so the
 * plugin can read the channel's own error body. Network failures and timeouts
 * still throw; ChannelError.from maps them.
 */
export function channelHttp(options: { timeoutMs: number; userAgent: string }): KyInstance {
  return ky.create({
    timeout: options.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    headers: { 'user-agent': options.userAgent },
  });
}
