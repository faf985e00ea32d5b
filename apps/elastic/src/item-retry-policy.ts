/**
 * How a document the server answered with a retryable item status (429, 503…)
 * is retried inside the same call, before the caller hears about it. Kept
 * short: the listener owns the long retry with its own backoff; this only
 * rides out a full write queue or a shard that is moving.
 */
export interface ItemRetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Each delay is spread by ± this fraction, so the items of many plugins do not come back in step. */
  jitter: number;
}

export const DEFAULT_ITEM_RETRY_POLICY: ItemRetryPolicy = {
  maxAttempts: 4,
  initialBackoffMs: 100,
  maxBackoffMs: 2_000,
  jitter: 0.2,
};

/** Delay before attempt `attempt + 1` (attempt counts from 1); `random` in [0, 1). */
export function itemRetryDelayMs(policy: ItemRetryPolicy, attempt: number, random: number): number {
  const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempt - 1));
  return Math.round(base * (1 - policy.jitter + 2 * policy.jitter * random));
}
