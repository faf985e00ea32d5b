import { status } from '@grpc/grpc-js';
import type { Logger } from '@k8slistener/log';
import {
  type Notification__Output,
  type NotifierHandlers,
  type NotifyResponse,
  Outcome,
  responseTrailer,
} from '@k8slistener/proto';
import { ChannelError } from './channel-error.ts';
import type { DeliveryMemory } from './delivery-memory.ts';
import { deliveredResponse, duplicateResponse, failureStatus } from './notify-status.ts';
import type { BatchItem, Delivered, MessageOf, MessageType, PluginDefinition } from './plugin-definition.ts';
import type { PluginMetrics } from './plugin-metrics.ts';

/** NotifyBatch limit of a plugin without a native batch: items are delivered one by one. */
export const SEQUENTIAL_MAX_BATCH_SIZE = 20;

export interface NotifierState<T extends MessageType, Target> {
  definition: PluginDefinition<T, Target>;
  /** The parsed targets, or why there are none (the plugin then answers UNAVAILABLE). */
  targets: { targets: Map<string, Target> } | { errors: string[] };
  memory: DeliveryMemory;
  metrics: PluginMetrics;
  log: Logger;
  channelTimeoutMs: number;
  /** Aborted when the drain grace period runs out. */
  drainSignal: AbortSignal;
  isDraining: () => boolean;
  now: () => number;
}

/** A delivery's result: the response, and the gRPC code the call (or batch item) ends with. */
interface Judged {
  code: status;
  response: NotifyResponse;
}

type Checked<T extends MessageType, Target> =
  | { ok: true; item: BatchItem<T, Target> }
  | { ok: false; error: ChannelError };

const OUTCOME_LABEL: Record<string, string> = {
  [Outcome.OUTCOME_DELIVERED]: 'delivered',
  [Outcome.OUTCOME_DUPLICATE]: 'duplicate',
  [Outcome.OUTCOME_RATE_LIMITED]: 'rate_limited',
  [Outcome.OUTCOME_UNAVAILABLE]: 'unavailable',
  [Outcome.OUTCOME_REJECTED]: 'rejected',
};

/** The Notifier service of a plugin: checks, de-duplication, delivery, one log line and metrics per item. */
export function notifierHandlers<T extends MessageType, Target>(
  state: NotifierState<T, Target>,
): NotifierHandlers {
  const { definition, memory, metrics, now } = state;
  const messageType = definition.messageType;
  const maxBatchSize = definition.maxBatchSize ?? SEQUENTIAL_MAX_BATCH_SIZE;

  const check = (n: Notification__Output): Checked<T, Target> => {
    if (state.isDraining()) {
      return {
        ok: false,
        error: new ChannelError('unavailable', {
          channelStatus: 'draining',
          detail: 'plugin is shutting down',
        }),
      };
    }
    if ('errors' in state.targets) {
      return {
        ok: false,
        error: new ChannelError('unavailable', {
          channelStatus: 'config_invalid',
          detail: `plugin targets configuration is invalid: ${state.targets.errors.join('; ')}`,
        }),
      };
    }
    const message = n[messageType] as MessageOf<T> | null | undefined;
    if (n.message !== messageType || message === null || message === undefined) {
      return {
        ok: false,
        error: new ChannelError('invalid_payload', {
          channelStatus: 'wrong_type',
          detail: `payload is ${n.message ? `"${n.message}"` : 'missing'}; this plugin delivers "${messageType}"`,
        }),
      };
    }
    if (n.deliveryId === '') {
      return {
        ok: false,
        error: new ChannelError('invalid_payload', {
          channelStatus: 'no_delivery_id',
          detail: 'delivery_id is empty',
        }),
      };
    }
    const target = state.targets.targets.get(n.target);
    if (target === undefined) {
      const known = [...state.targets.targets.keys()].sort().join(', ');
      return {
        ok: false,
        error: new ChannelError('unknown_target', {
          channelStatus: 'unknown_target',
          detail:
            n.target === ''
              ? `target is empty; configured targets: ${known}`
              : `target "${n.target}" is not configured; configured targets: ${known}`,
        }),
      };
    }
    return { ok: true, item: { message, target, targetName: n.target, notification: n } };
  };

  const contextFor = (n: Notification__Output, callSignal: AbortSignal) => ({
    signal: AbortSignal.any([callSignal, state.drainSignal]),
    log: deliveryLog(state.log, n),
    timeoutMs: state.channelTimeoutMs,
  });

  const judge = (n: Notification__Output, outcome: Delivered | 'duplicate' | unknown): Judged => {
    if (outcome === 'duplicate') return { code: status.OK, response: duplicateResponse(n.deliveryId) };
    if (isDelivered(outcome)) {
      return {
        code: status.OK,
        response: deliveredResponse(n.deliveryId, outcome.channelStatus, outcome.detail ?? ''),
      };
    }
    return failureStatus(ChannelError.from(outcome), n.deliveryId);
  };

  const record = (n: Notification__Output, judged: Judged, startedMs: number, error?: unknown): void => {
    const latencyMs = now() - startedMs;
    const outcome = OUTCOME_LABEL[String(judged.response.outcome)] ?? 'unknown';
    metrics.deliveries.inc({
      message_type: messageType,
      target: n.target,
      outcome,
      code: status[judged.code],
    });
    metrics.latency.observe({ message_type: messageType, outcome }, latencyMs / 1000);
    const fields = {
      delivery_id: n.deliveryId,
      rule: ruleName(n),
      target: n.target,
      attempt: n.attempt,
      outcome,
      code: status[judged.code],
      channel_status: judged.response.channelStatus ?? '',
      latency_ms: latencyMs,
      ...(judged.response.detail ? { detail: judged.response.detail } : {}),
    };
    const unexpected = error instanceof Error && ChannelError.from(error).channelStatus === 'internal';
    if (unexpected) state.log.error('delivery failed unexpectedly', { ...fields, error });
    else if (judged.code === status.OK) state.log.info('delivery', fields);
    else state.log.warn('delivery', fields);
  };

  /** Judges one notification with the plugin's single-message deliver. */
  const deliverOne = async (n: Notification__Output, callSignal: AbortSignal): Promise<Judged> => {
    const started = now();
    metrics.inFlight.inc({ message_type: messageType });
    let judged: Judged;
    let thrown: unknown;
    try {
      const checked = check(n);
      if (!checked.ok) {
        judged = judge(n, checked.error);
      } else {
        const { item } = checked;
        const result = await memory.once(n.deliveryId, () =>
          definition.deliver(item.message, item.target, n, contextFor(n, callSignal)),
        );
        judged = judge(n, result.duplicate ? 'duplicate' : result.result);
      }
    } catch (error) {
      thrown = error;
      judged = judge(n, error);
    } finally {
      metrics.inFlight.dec({ message_type: messageType });
    }
    record(n, judged, started, thrown);
    return judged;
  };

  /** Judges a batch with the plugin's native deliverBatch: checked items go in one call. */
  const deliverNative = async (
    notifications: Notification__Output[],
    callSignal: AbortSignal,
    deliverBatch: NonNullable<PluginDefinition<T, Target>['deliverBatch']>,
  ): Promise<Judged[]> => {
    const started = now();
    const judged: (Judged | undefined)[] = notifications.map(() => undefined);
    const errors: unknown[] = notifications.map(() => undefined);
    const pending: { index: number; item: BatchItem<T, Target> }[] = [];
    notifications.forEach((n, index) => {
      const checked = check(n);
      if (!checked.ok) judged[index] = judge(n, checked.error);
      else if (memory.has(n.deliveryId)) judged[index] = judge(n, 'duplicate');
      else pending.push({ index, item: checked.item });
    });
    if (pending.length > 0) {
      metrics.inFlight.inc({ message_type: messageType }, pending.length);
      const first = pending[0] as (typeof pending)[number];
      let results: unknown[];
      try {
        results = await deliverBatch(
          pending.map((p) => p.item),
          contextFor(first.item.notification, callSignal),
        );
        if (results.length !== pending.length) {
          throw new Error(`deliverBatch answered ${results.length} items for ${pending.length}`);
        }
      } catch (error) {
        results = pending.map(() => error);
      } finally {
        metrics.inFlight.dec({ message_type: messageType }, pending.length);
      }
      pending.forEach((p, i) => {
        const result = results[i];
        if (isDelivered(result)) memory.remember(p.item.notification.deliveryId);
        else errors[p.index] = result;
        judged[p.index] = judge(p.item.notification, result);
      });
    }
    return notifications.map((n, index) => {
      const item = judged[index] as Judged;
      record(n, item, started, errors[index]);
      return item;
    });
  };

  return {
    Notify: (call, callback) => {
      const cancelled = new AbortController();
      call.on('cancelled', () =>
        cancelled.abort(new DOMException('the caller cancelled the call', 'AbortError')),
      );
      deliverOne(call.request, cancelled.signal).then(
        ({ code, response }) => {
          if (code === status.OK) callback(null, response);
          else callback({ code, details: response.detail ?? '', metadata: responseTrailer(response) });
        },
        (error: unknown) => callback({ code: status.INTERNAL, details: String(error) }),
      );
    },
    NotifyBatch: (call, callback) => {
      const notifications = call.request.notifications;
      if (notifications.length > maxBatchSize) {
        callback({
          code: status.RESOURCE_EXHAUSTED,
          details: `batch of ${notifications.length} is above this plugin's max_batch_size ${maxBatchSize}`,
        });
        return;
      }
      const cancelled = new AbortController();
      call.on('cancelled', () =>
        cancelled.abort(new DOMException('the caller cancelled the call', 'AbortError')),
      );
      const run = async (): Promise<Judged[]> => {
        if (definition.deliverBatch)
          return deliverNative(notifications, cancelled.signal, definition.deliverBatch);
        const out: Judged[] = [];
        for (const n of notifications) out.push(await deliverOne(n, cancelled.signal));
        return out;
      };
      run().then(
        (judged) =>
          callback(null, { responses: judged.map(({ code, response }) => ({ ...response, code })) }),
        (error: unknown) => callback({ code: status.INTERNAL, details: String(error) }),
      );
    },
    Info: (_call, callback) => {
      callback(null, {
        messageType,
        version: definition.version,
        targets: 'targets' in state.targets ? [...state.targets.targets.keys()].sort() : [],
        maxBatchSize,
      });
    },
  };
}

function isDelivered(value: unknown): value is Delivered {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as { channelStatus?: unknown }).channelStatus === 'string'
  );
}

/** "EventRule shop/crash-alerts#0" — enough to find the rule from a log line. */
function ruleName(n: Notification__Output): string {
  const rule = n.rule;
  if (!rule) return '';
  const name = rule.namespace ? `${rule.namespace}/${rule.name}` : rule.name;
  return `${rule.kind} ${name}#${rule.destinationIndex}`;
}

function deliveryLog(log: Logger, n: Notification__Output): Logger {
  return log.child({ delivery_id: n.deliveryId, target: n.target, rule: ruleName(n) });
}
