import { status } from '@grpc/grpc-js';

/**
 * When and how often a failed delivery is tried again. Data, not a loop: the
 * delivery path asks nextDelay() after every failed attempt, so the timing is
 * tested exactly with an injected clock and randomness.
 */
export interface RetryPolicy {
  /** Wait before the first retry. */
  readonly initialBackoffMs: number;
  /** Each further wait is the previous one times this. */
  readonly multiplier: number;
  /** No single backoff wait is longer than this. */
  readonly maxBackoffMs: number;
  /** Fraction (0–1) of a backoff wait that is randomised: the wait is spread over ±jitter of itself. */
  readonly jitter: number;
  /** Total time from the first attempt after which a delivery gives up and becomes a dead letter. */
  readonly maxElapsedMs: number;
  /** A channel's retry_after is honoured up to this long; longer hints are cut to it. */
  readonly maxRetryAfterMs: number;
  /** gRPC status codes retried with backoff; all others are permanent (see classify()). */
  readonly retryableCodes: readonly status[];
}

// A plugin's rolling restart (new pod scheduled, image started, health check
// passing, Traefik noticing) takes tens of seconds; a first retry after half a
// second catches a dropped connection or a single restarted instance at once.
export const INITIAL_BACKOFF_MS = 500;
// Doubling reaches the cap in six steps (0.5, 1, 2, 4, 8, 16, 30 s), so a
// rollout of tens of seconds costs a handful of attempts, not hundreds.
export const BACKOFF_MULTIPLIER = 2;
// Half a minute between attempts at most: long enough not to hammer a plugin
// that is down, short enough that a delivery goes out soon after it is back.
export const MAX_BACKOFF_MS = 30_000;
// ±20 % spreads the retries of many deliveries that failed together (a router
// restart fails everything at once) so they do not return as one burst.
export const BACKOFF_JITTER = 0.2;
// Five minutes covers a plugin rollout, a router restart and a short network
// outage several times over; past that a human must look, and the dead letter
// (logged, counted, listed) tells them what to replay. Minutes, not hours:
// meanwhile this object's later deliveries wait behind it to keep their order.
export const MAX_ELAPSED_MS = 5 * 60_000;
// Slack allows about one message per second per webhook and Telegram about one
// per second per chat; their Retry-After answers are seconds, rarely above a
// minute. A longer hint is cut to a minute (a new 429 brings a fresh hint).
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Transient codes. UNAVAILABLE: plugin or router down, connection refused or
 * reset, no healthy instance (Traefik 502/503). DEADLINE_EXCEEDED: the channel
 * was slow; the delivery_id makes the repeat harmless. RESOURCE_EXHAUSTED: the
 * channel rate-limited (retry_after honoured). ABORTED: a concurrency conflict
 * on the plugin's side. UNIMPLEMENTED: Traefik answers HTTP 404 while no route
 * exists for the type (its plugin is being deployed), which gRPC reads as
 * UNIMPLEMENTED. CANCELLED: the listener never cancels a call it still wants,
 * so a CANCELLED it sees came from the other side (a plugin shutting down
 * mid-call). UNKNOWN: Traefik answers a call whose plugin died under it with
 * a bare HTTP 500, which gRPC reads as UNKNOWN (seen in the kill test of
 * test/delivery.itest.ts); it is also what an exception the plugin kit did
 * not map looks like. At least once favours another try, and the bounded
 * budget turns a real bug into a dead letter within minutes.
 */
export const RETRYABLE_CODES: readonly status[] = [
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.ABORTED,
  status.UNIMPLEMENTED,
  status.CANCELLED,
  status.UNKNOWN,
];

export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  initialBackoffMs: INITIAL_BACKOFF_MS,
  multiplier: BACKOFF_MULTIPLIER,
  maxBackoffMs: MAX_BACKOFF_MS,
  jitter: BACKOFF_JITTER,
  maxElapsedMs: MAX_ELAPSED_MS,
  maxRetryAfterMs: MAX_RETRY_AFTER_MS,
  retryableCodes: Object.freeze([...RETRYABLE_CODES]),
});

/** Errors naming the option for every bad value; empty when the policy is usable. */
export function validateRetryPolicy(policy: RetryPolicy): string[] {
  const errors: string[] = [];
  const nonNegative = (name: keyof RetryPolicy, value: number) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      errors.push(`${name} must be a finite number ≥ 0; got ${String(value)}`);
  };
  nonNegative('initialBackoffMs', policy.initialBackoffMs);
  nonNegative('maxBackoffMs', policy.maxBackoffMs);
  nonNegative('maxElapsedMs', policy.maxElapsedMs);
  nonNegative('maxRetryAfterMs', policy.maxRetryAfterMs);
  if (typeof policy.multiplier !== 'number' || !Number.isFinite(policy.multiplier) || policy.multiplier < 1)
    errors.push(`multiplier must be a finite number ≥ 1; got ${String(policy.multiplier)}`);
  if (typeof policy.jitter !== 'number' || !(policy.jitter >= 0 && policy.jitter <= 1))
    errors.push(`jitter must be a number from 0 to 1; got ${String(policy.jitter)}`);
  if (
    Number.isFinite(policy.initialBackoffMs) &&
    Number.isFinite(policy.maxBackoffMs) &&
    policy.maxBackoffMs < policy.initialBackoffMs
  )
    errors.push(
      `maxBackoffMs (${policy.maxBackoffMs}) must be ≥ initialBackoffMs (${policy.initialBackoffMs})`,
    );
  if (!Array.isArray(policy.retryableCodes)) {
    errors.push('retryableCodes must be a list of gRPC status codes');
  } else {
    for (const code of policy.retryableCodes) {
      if (!Number.isInteger(code) || code < 1 || code > 16)
        errors.push(`retryableCodes: ${String(code)} is not a gRPC status code other than OK (1–16)`);
    }
  }
  return errors;
}

/**
 * How long to wait before the next attempt, or 'give-up'.
 *
 * `attempt` is the number of the attempt that just failed (1 for the first),
 * `elapsedMs` the time since the first attempt began, `retryAfterMs` the
 * channel's hint, `random` a number in [0, 1).
 *
 * Backoff: initialBackoffMs × multiplier^(attempt−1), capped at maxBackoffMs,
 * spread by ±jitter and capped again. With a retry_after the wait is that hint
 * (cut to maxRetryAfterMs) spread upwards only by jitter: never earlier than
 * the channel asked, and not every waiting delivery on the same second.
 * Gives up when the wait would end past maxElapsedMs.
 */
export function nextDelay(
  policy: RetryPolicy,
  attempt: number,
  elapsedMs: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number | 'give-up' {
  let delay: number;
  if (retryAfterMs !== undefined && retryAfterMs > 0) {
    const hint = Math.min(retryAfterMs, policy.maxRetryAfterMs);
    delay = hint * (1 + policy.jitter * random());
  } else {
    const exponent = Math.max(0, attempt - 1);
    const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** exponent);
    delay = Math.min(policy.maxBackoffMs, base * (1 + policy.jitter * (2 * random() - 1)));
  }
  delay = Math.round(delay);
  return elapsedMs + delay > policy.maxElapsedMs ? 'give-up' : delay;
}
