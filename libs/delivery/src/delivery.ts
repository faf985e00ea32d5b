import { status } from '@grpc/grpc-js';
import type { Logger } from '@k8slistener/log';
import {
  durationMs,
  type Notification,
  type NotifyResponse__Output,
  type RuleRef,
  toTimestamp,
} from '@k8slistener/proto';
import pRetry, { AbortError } from 'p-retry';
import type { Registry } from 'prom-client';
import { classify, type Verdict } from './classify.ts';
import { deliveryMetrics } from './delivery-metrics.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { defaultRetryPolicy, nextDelay, type RetryPolicy, validateRetryPolicy } from './retry-policy.ts';
import { type NotifyTransport, routerTransport } from './router-transport.ts';

// A thousand rendered messages per type is a few MB at most and absorbs a
// burst (a rollout of a large Deployment) while a plugin restarts; beyond it
// the listener slows its intake instead of growing.
export const DEFAULT_QUEUE_CAPACITY_PER_TYPE = 1000;
// Calls in flight per type, each for a different object (same-object ones
// wait their turn). Chat channels allow about one message per second per
// webhook or chat, so more parallelism only buys 429s; 8 keeps several
// targets busy and lets Elasticsearch's plugin absorb a burst.
export const DEFAULT_CONCURRENCY_PER_TYPE = 8;
// A plugin answers only once its channel has (Slack, Telegram and Teams
// answer within seconds; the plugins' own HTTP timeouts are 10 s), so 15 s
// leaves room for the plugin to report the channel's answer itself rather
// than the listener guessing from a deadline.
export const DEFAULT_CALL_DEADLINE_MS = 15_000;
// Dead letters kept for the status endpoint; older ones remain in the logs
// (each was logged at error level with everything needed to replay it).
export const DEAD_LETTER_CAPACITY = 1000;

/** One rendered match for one destination. */
export interface DeliveryItem {
  /** Carries delivery_id, event, rule, target and exactly one message. */
  notification: Notification;
  /** The x-message-type: slack, telegram, teams, elastic, … */
  type: string;
  /** Deliveries with the same key go out one after another, in enqueue order. */
  orderingKey: string;
}

export type DeliveryOutcome = 'delivered' | 'duplicate' | 'dead-letter';

export interface SettledResult {
  deliveryId: string;
  eventId: string;
  type: string;
  outcome: DeliveryOutcome;
  attempts: number;
}

/** Everything needed to replay a delivery that was given up. */
export interface DeadLetter {
  deliveryId: string;
  eventId: string;
  type: string;
  orderingKey: string;
  notification: Notification;
  /** Last gRPC status code and its name. */
  code: number;
  codeName: string;
  reason: string;
  /** The plugin's last answer, when it gave one. */
  response?: NotifyResponse__Output;
  attempts: number;
  /** ISO-8601 times of the first and the last attempt. */
  firstAttemptAt: string;
  lastAttemptAt: string;
}

export interface DeliveryStats {
  /** Per message type: accepted and unsettled, waiting, in a call or backoff, enqueue calls blocked. */
  types: Record<string, { size: number; queued: number; running: number; blocked: number }>;
  delivered: number;
  duplicate: number;
  deadLettered: number;
  retries: number;
}

export interface DeliveryOptions {
  /** host:port of the router's h2c gRPC entrypoint. */
  routerAddress: string;
  policy?: RetryPolicy;
  log: Logger;
  /** The listener's metrics registry. */
  registry: Registry;
  queueCapacityPerType?: number;
  concurrencyPerType?: number;
  callDeadlineMs?: number;
  deadLetterCapacity?: number;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** Waits ms; rejects with the signal's reason when it aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A number in [0, 1). */
  random?: () => number;
  /** Called once per delivery when it is delivered, a duplicate, or a dead letter. */
  onSettled?: (result: SettledResult) => void;
  /** Replaces the gRPC client to routerAddress (tests). */
  transport?: NotifyTransport;
}

export interface Delivery {
  /** Resolves once the item is queued; waits while its type's queue is full. Rejects after drain/close. */
  enqueue(item: DeliveryItem): Promise<void>;
  /**
   * Stops intake and waits up to timeoutMs for every accepted delivery to
   * settle; true when all did. Those still unsettled at the timeout are
   * abandoned unsettled (the checkpoint still counts them as pending, so a
   * restarted listener sends them).
   */
  drain(timeoutMs: number): Promise<boolean>;
  /** The most recent dead letters, oldest first. */
  deadLetters(): DeadLetter[];
  stats(): DeliveryStats;
  /** Stops at once (unsettled deliveries are abandoned) and closes the client. */
  close(): void;
}

interface Entry {
  item: DeliveryItem;
  enqueuedAt: number;
}

/** Thrown inside the retry loop to carry the verdict and the wait to p-retry's hook. */
class AttemptFailure extends Error {
  readonly verdict: Verdict;
  readonly delayMs: number;
  constructor(verdict: Verdict, delayMs: number) {
    super(verdict.reason);
    this.name = 'AttemptFailure';
    this.verdict = verdict;
    this.delayMs = delayMs;
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function ruleName(rule: RuleRef | null | undefined): string {
  if (!rule) return '';
  const where = rule.namespace ? `${rule.namespace}/` : '';
  return `${rule.kind ?? ''}:${where}${rule.name ?? ''}#${rule.destinationIndex ?? 0}`;
}

function codeName(code: number): string {
  return status[code] ?? String(code);
}

/**
 * At-least-once delivery of rendered matches through the router: a bounded
 * queue per message type, per-object order, retries by the policy, dead
 * letters, one log line per attempt, metrics on the given registry.
 */
export function createDelivery(options: DeliveryOptions): Delivery {
  const policy = options.policy ?? defaultRetryPolicy;
  const errors = validateRetryPolicy(policy);
  const capacity = options.queueCapacityPerType ?? DEFAULT_QUEUE_CAPACITY_PER_TYPE;
  const concurrency = options.concurrencyPerType ?? DEFAULT_CONCURRENCY_PER_TYPE;
  const callDeadlineMs = options.callDeadlineMs ?? DEFAULT_CALL_DEADLINE_MS;
  const deadLetterCapacity = options.deadLetterCapacity ?? DEAD_LETTER_CAPACITY;
  if (!(Number.isInteger(capacity) && capacity >= 1))
    errors.push(`queueCapacityPerType must be an integer ≥ 1; got ${capacity}`);
  if (!(Number.isInteger(concurrency) && concurrency >= 1))
    errors.push(`concurrencyPerType must be an integer ≥ 1; got ${concurrency}`);
  if (!(Number.isFinite(callDeadlineMs) && callDeadlineMs > 0))
    errors.push(`callDeadlineMs must be a number > 0; got ${callDeadlineMs}`);
  if (!(Number.isInteger(deadLetterCapacity) && deadLetterCapacity >= 0))
    errors.push(`deadLetterCapacity must be an integer ≥ 0; got ${deadLetterCapacity}`);
  if (errors.length > 0) throw new RangeError(`invalid delivery options: ${errors.join('; ')}`);

  const log = options.log;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const transport = options.transport ?? routerTransport(options.routerAddress);
  const metrics = deliveryMetrics(options.registry);
  const lanes = new Map<string, KeyedQueue<Entry>>();
  const dead: DeadLetter[] = [];
  const abort = new AbortController();
  const counts = { delivered: 0, duplicate: 0, deadLettered: 0, retries: 0 };
  let intakeOpen = true;
  let closed = false;

  const lane = (type: string): KeyedQueue<Entry> => {
    let queue = lanes.get(type);
    if (!queue) {
      queue = new KeyedQueue<Entry>({
        capacity,
        concurrency,
        run: (entry) => deliver(entry),
        onError: (error, entry) =>
          log.error('delivery failed unexpectedly; it stays pending', {
            deliveryId: entry.item.notification.deliveryId,
            type,
            error: error instanceof Error ? error.message : String(error),
          }),
      });
      lanes.set(type, queue);
      if (!intakeOpen) queue.closeIntake();
    }
    return queue;
  };

  const settle = (entry: Entry, outcome: DeliveryOutcome, attempts: number) => {
    const { item } = entry;
    counts[outcome === 'dead-letter' ? 'deadLettered' : outcome]++;
    metrics.deliveries.inc({ message_type: item.type, outcome: outcome.replace('-', '_') });
    metrics.latency.observe(
      { message_type: item.type, outcome: outcome.replace('-', '_') },
      (clock() - entry.enqueuedAt) / 1000,
    );
    options.onSettled?.({
      deliveryId: item.notification.deliveryId ?? '',
      eventId: item.notification.event?.id ?? '',
      type: item.type,
      outcome,
      attempts,
    });
  };

  async function deliver(entry: Entry): Promise<void> {
    const { item } = entry;
    const { notification, type } = item;
    const signal = abort.signal;
    const firstAttemptAt = clock();
    const createdAt = notification.createdAt ?? toTimestamp(new Date(firstAttemptAt));
    const base = {
      deliveryId: notification.deliveryId ?? '',
      rule: ruleName(notification.rule),
      type,
      target: notification.target ?? '',
    };
    let attempts = 0;
    try {
      const response = await pRetry(
        async (attempt) => {
          attempts = attempt;
          const started = clock();
          try {
            const answer = await transport.notify(
              type,
              { ...notification, attempt, createdAt },
              callDeadlineMs,
              signal,
            );
            const latencyMs = clock() - started;
            metrics.callLatency.observe({ message_type: type, code: 'OK' }, latencyMs / 1000);
            log.info('delivery attempt', {
              ...base,
              attempt,
              code: 'OK',
              outcome: answer.outcome,
              channelStatus: answer.channelStatus,
              detail: answer.detail,
              latencyMs,
            });
            return answer;
          } catch (error) {
            if (signal.aborted) throw new AbortError('delivery stopped');
            const latencyMs = clock() - started;
            const verdict = classify(error, policy);
            metrics.callLatency.observe(
              { message_type: type, code: codeName(verdict.code) },
              latencyMs / 1000,
            );
            const delay =
              verdict.kind === 'retry'
                ? nextDelay(policy, attempt, clock() - firstAttemptAt, verdict.retryAfterMs, random)
                : 'give-up';
            log.warn('delivery attempt failed', {
              ...base,
              attempt,
              code: codeName(verdict.code),
              verdict: verdict.kind,
              reason: verdict.reason,
              outcome: verdict.response?.outcome,
              channelStatus: verdict.response?.channelStatus,
              detail: verdict.response?.detail,
              retryAfterMs: verdict.retryAfterMs,
              latencyMs,
              ...(delay === 'give-up' ? {} : { nextAttemptInMs: delay }),
            });
            const failure = new AttemptFailure(verdict, delay === 'give-up' ? 0 : delay);
            if (delay === 'give-up') throw new AbortError(failure);
            counts.retries++;
            metrics.retries.inc({ message_type: type, code: codeName(verdict.code) });
            throw failure;
          }
        },
        {
          retries: Number.POSITIVE_INFINITY,
          // The waits are the policy's, taken in onFailedAttempt with the injected sleep.
          minTimeout: 0,
          signal,
          onFailedAttempt: async ({ error }) => {
            if (error instanceof AttemptFailure) await sleep(error.delayMs, signal);
          },
        },
      );
      settle(entry, response.outcome === 'OUTCOME_DUPLICATE' ? 'duplicate' : 'delivered', attempts);
    } catch (error) {
      if (signal.aborted) {
        log.info('delivery abandoned unsettled at shutdown; a restart sends it again', {
          ...base,
          attempts,
        });
        return;
      }
      const verdict: Verdict =
        error instanceof AttemptFailure
          ? error.verdict
          : { kind: 'permanent', code: status.UNKNOWN, reason: String(error) };
      const letter: DeadLetter = {
        deliveryId: base.deliveryId,
        eventId: notification.event?.id ?? '',
        type,
        orderingKey: item.orderingKey,
        notification: { ...notification, createdAt },
        code: verdict.code,
        codeName: codeName(verdict.code),
        reason: verdict.reason,
        ...(verdict.response ? { response: verdict.response } : {}),
        attempts,
        firstAttemptAt: new Date(firstAttemptAt).toISOString(),
        lastAttemptAt: new Date(clock()).toISOString(),
      };
      if (deadLetterCapacity > 0) {
        dead.push(letter);
        if (dead.length > deadLetterCapacity) dead.shift();
      }
      metrics.deadLetters.inc({ message_type: type, code: letter.codeName });
      log.error('dead letter: delivery given up', {
        ...base,
        attempts,
        code: letter.codeName,
        reason: letter.reason,
        retryAfterMs: durationMs(verdict.response?.retryAfter),
        response: verdict.response,
        firstAttemptAt: letter.firstAttemptAt,
        lastAttemptAt: letter.lastAttemptAt,
        orderingKey: item.orderingKey,
        notification: letter.notification,
      });
      settle(entry, 'dead-letter', attempts);
    } finally {
      metrics.queueDepth.set({ message_type: type }, (lanes.get(type)?.size ?? 1) - 1);
    }
  }

  return {
    async enqueue(item) {
      const queue = lane(item.type);
      await queue.push(item.orderingKey, { item, enqueuedAt: clock() });
      metrics.queueDepth.set({ message_type: item.type }, queue.size);
    },
    async drain(timeoutMs) {
      intakeOpen = false;
      for (const queue of lanes.values()) queue.closeIntake();
      // A wall-clock grace period (the pod's termination grace), not the injected retry sleep.
      let timer: NodeJS.Timeout | undefined;
      const idle = Promise.all([...lanes.values()].map((q) => q.idle())).then(() => true);
      const expired = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const drained = await Promise.race([idle, expired]);
      clearTimeout(timer);
      if (!drained) {
        for (const queue of lanes.values()) queue.stop();
        abort.abort(new Error('drain timed out'));
      }
      return drained;
    },
    deadLetters: () => [...dead],
    stats: () => ({
      types: Object.fromEntries(
        [...lanes].map(([type, q]) => [
          type,
          { size: q.size, queued: q.queued, running: q.running, blocked: q.blocked },
        ]),
      ),
      ...counts,
    }),
    close() {
      if (closed) return;
      closed = true;
      intakeOpen = false;
      for (const queue of lanes.values()) queue.stop();
      abort.abort(new Error('delivery closed'));
      transport.close();
    },
  };
}
