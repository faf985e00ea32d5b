import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Upper bounds of the delivery latency histogram, in seconds: a chat API answers in 0.1–2 s. */
const LATENCY_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface PluginMetrics {
  /** This plugin instance's own registry (not prom-client's global one). */
  registry: Registry;
  deliveries: Counter<'message_type' | 'target' | 'outcome' | 'code'>;
  latency: Histogram<'message_type' | 'outcome'>;
  inFlight: Gauge<'message_type'>;
  configValid: Gauge<'message_type'>;
  targets: Gauge<'message_type'>;
}

/** The metrics of one plugin instance, in a fresh Registry so several instances can share a process. */
export function pluginMetrics(options: { defaultMetrics: boolean }): PluginMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    deliveries: new Counter({
      name: 'k8slistener_plugin_deliveries_total',
      help: 'Notifications handled, by target, outcome (delivered, duplicate, rate_limited, unavailable, rejected) and gRPC code.',
      labelNames: ['message_type', 'target', 'outcome', 'code'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'k8slistener_plugin_delivery_duration_seconds',
      help: 'Time from receiving a notification to answering it, channel call included.',
      labelNames: ['message_type', 'outcome'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'k8slistener_plugin_deliveries_in_flight',
      help: 'Notifications being delivered right now.',
      labelNames: ['message_type'],
      registers: [registry],
    }),
    configValid: new Gauge({
      name: 'k8slistener_plugin_config_valid',
      help: '1 when the targets configuration is valid (health SERVING), 0 otherwise.',
      labelNames: ['message_type'],
      registers: [registry],
    }),
    targets: new Gauge({
      name: 'k8slistener_plugin_targets',
      help: 'Number of named targets configured.',
      labelNames: ['message_type'],
      registers: [registry],
    }),
  };
}
