import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Upper bounds of the end-to-end latency histogram, in seconds: a healthy
 * delivery takes well under a second, one that waits out a plugin rollout
 * tens of seconds, the last bucket is the retry budget.
 */
const DELIVERY_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Upper bounds of the per-call histogram, in seconds: one call through the router to the channel. */
const CALL_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface DeliveryMetrics {
  deliveries: Counter<'message_type' | 'outcome'>;
  retries: Counter<'message_type' | 'code'>;
  deadLetters: Counter<'message_type' | 'code'>;
  queueDepth: Gauge<'message_type'>;
  latency: Histogram<'message_type' | 'outcome'>;
  callLatency: Histogram<'message_type' | 'code'>;
}

/** The delivery path's metrics, registered on the caller's registry (never prom-client's global one). */
export function deliveryMetrics(registry: Registry): DeliveryMetrics {
  const registers = [registry];
  return {
    deliveries: new Counter({
      name: 'k8slistener_deliveries_total',
      help: 'Deliveries settled, by message type and outcome (delivered, duplicate, dead_letter).',
      labelNames: ['message_type', 'outcome'],
      registers,
    }),
    retries: new Counter({
      name: 'k8slistener_delivery_retries_total',
      help: 'Failed attempts that were retried, by message type and gRPC code name.',
      labelNames: ['message_type', 'code'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'k8slistener_dead_letters_total',
      help: 'Deliveries given up, by message type and the last gRPC code name.',
      labelNames: ['message_type', 'code'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'k8slistener_delivery_queue_depth',
      help: 'Deliveries accepted and not yet settled (waiting, in a call or in backoff), by message type.',
      labelNames: ['message_type'],
      registers,
    }),
    latency: new Histogram({
      name: 'k8slistener_delivery_duration_seconds',
      help: 'Time from a delivery entering its queue to being settled, retries included.',
      labelNames: ['message_type', 'outcome'],
      buckets: DELIVERY_BUCKETS_SECONDS,
      registers,
    }),
    callLatency: new Histogram({
      name: 'k8slistener_delivery_call_duration_seconds',
      help: 'Duration of one Notify call through the router, by message type and gRPC code name.',
      labelNames: ['message_type', 'code'],
      buckets: CALL_BUCKETS_SECONDS,
      registers,
    }),
  };
}
