/**
 * The automatic rate limit a double can apply per target (one Slack webhook,
 * one Telegram chat, one Teams workflow). The real services publish a rate and
 * say short bursts above it are tolerated, which is what a token bucket models.
 */
export interface AutoRateLimit {
  /** Tokens added back per second; the sustained rate a target may be sent to. */
  readonly ratePerSecond: number;
  /** How many requests may arrive back to back before the rate applies. */
  readonly burst: number;
}

export type TakeResult =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterMs: number };

/** Per-key token buckets; `now` is passed in so tests control time exactly. */
export class TokenBuckets {
  readonly limit: AutoRateLimit;
  readonly #buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(limit: AutoRateLimit) {
    this.limit = limit;
  }

  /** Spends one token of `key` at `nowMs`, or says how long until one is available. */
  take(key: string, nowMs: number): TakeResult {
    const { ratePerSecond, burst } = this.limit;
    const bucket = this.#buckets.get(key) ?? { tokens: burst, updatedMs: nowMs };
    // A clock that goes backwards (a test resetting its fake clock) must not mint tokens.
    const elapsedMs = Math.max(0, nowMs - bucket.updatedMs);
    bucket.tokens = Math.min(burst, bucket.tokens + (elapsedMs * ratePerSecond) / 1000);
    bucket.updatedMs = nowMs;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: ((1 - bucket.tokens) * 1000) / ratePerSecond };
  }
}

/** Retry-After is whole seconds; never advertise 0 for a request that was refused. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
