import { Server, ServerCredentials } from '@grpc/grpc-js';
import { createLogger, type Logger } from '@k8slistener/log';
import { loadContracts } from '@k8slistener/proto';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import { DeliveryMemory, type DeliveryMemoryOptions } from './delivery-memory.ts';
import { type MetricsServer, startMetricsServer } from './metrics-server.ts';
import { notifierHandlers } from './notifier-handlers.ts';
import { DEFAULT_CHANNEL_TIMEOUT_MS, DEFAULT_DRAIN_TIMEOUT_MS } from './plugin-config.ts';
import type { MessageType, PluginDefinition, TargetsResult } from './plugin-definition.ts';
import { type PluginMetrics, pluginMetrics } from './plugin-metrics.ts';

/** The health service names a plugin answers for: the server as a whole and its Notifier. */
export const HEALTH_SERVICES = ['', 'k8slistener.v1.Notifier'] as const;

/** After the grace period, how long aborted deliveries get to answer before connections are cut. */
const ABORT_SETTLE_MS = 1_000;

export interface StartPluginOptions<T extends MessageType, Target> {
  definition: PluginDefinition<T, Target>;
  /** The targets document (see readTargetsSource), or why it could not be read. */
  targets: { value: unknown } | { errors: string[] };
  /** Address to bind; 0.0.0.0 in a pod, 127.0.0.1 in tests. */
  host?: string;
  /** 0 picks a free port. */
  grpcPort?: number;
  /** 0 picks a free port; null serves no /metrics at all. */
  metricsPort?: number | null;
  channelTimeoutMs?: number;
  drainTimeoutMs?: number;
  log?: Logger;
  /** Register prom-client's process metrics (CPU, memory, event loop) in this instance's registry. */
  defaultMetrics?: boolean;
  memory?: DeliveryMemoryOptions;
  now?: () => number;
}

export interface RunningPlugin {
  /** The bound gRPC port. */
  port: number;
  /** The bound metrics port, or null when not served. */
  metricsPort: number | null;
  /** The target names configured, or the reasons the configuration is invalid. */
  targets: { names: string[] } | { errors: string[] };
  /** SERVING while the configuration is valid and the plugin is not draining. */
  serving(): boolean;
  metrics: PluginMetrics;
  /**
   * Graceful stop: health NOT_SERVING, no new calls, in-flight calls finish
   * within graceMs (default drainTimeoutMs); after that their deliveries are
   * aborted (answering UNAVAILABLE) and connections are cut.
   */
  drain(graceMs?: number): Promise<void>;
  /** Immediate stop: cuts every call. */
  close(): Promise<void>;
}

/** Starts a plugin's gRPC server (Notifier + Health) and its metrics server. */
export async function startPlugin<T extends MessageType, Target>(
  options: StartPluginOptions<T, Target>,
): Promise<RunningPlugin> {
  const { definition } = options;
  const log = options.log ?? createLogger({ name: definition.messageType });
  const host = options.host ?? '0.0.0.0';
  const now = options.now ?? Date.now;
  const targets: TargetsResult<Target> =
    'errors' in options.targets ? options.targets : definition.parseTargets(options.targets.value);
  const configValid = 'targets' in targets;
  const metrics = pluginMetrics({ defaultMetrics: options.defaultMetrics ?? false });
  const labels = { message_type: definition.messageType };
  metrics.configValid.set(labels, configValid ? 1 : 0);
  metrics.targets.set(labels, configValid ? targets.targets.size : 0);
  if (!configValid) {
    for (const error of targets.errors) log.error('targets configuration invalid', { error });
  }

  let draining = false;
  const drainAbort = new AbortController();
  const serving = () => configValid && !draining;
  const health = new HealthImplementation();
  const setHealth = (value: ServingStatus) => {
    for (const service of HEALTH_SERVICES) health.setStatus(service, value);
  };
  setHealth(serving() ? 'SERVING' : 'NOT_SERVING');

  const server = new Server();
  server.addService(
    loadContracts().k8slistener.v1.Notifier.service,
    notifierHandlers({
      definition,
      targets,
      memory: new DeliveryMemory(options.memory),
      metrics,
      log,
      channelTimeoutMs: options.channelTimeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS,
      drainSignal: drainAbort.signal,
      isDraining: () => draining,
      now,
    }),
  );
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${host}:${options.grpcPort ?? 0}`,
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );

  let metricsServer: MetricsServer | null = null;
  if (options.metricsPort !== null) {
    try {
      metricsServer = await startMetricsServer({
        port: options.metricsPort ?? 0,
        host,
        registry: metrics.registry,
        ready: serving,
      });
    } catch (error) {
      server.forceShutdown();
      throw error;
    }
  }

  let stopped: Promise<void> | undefined;
  const drain = (graceMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> => {
    stopped ??= (async () => {
      draining = true;
      setHealth('NOT_SERVING');
      const finished = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => {
        timer = setTimeout(() => resolve('expired'), graceMs);
      });
      const first = await Promise.race([finished, expired]);
      clearTimeout(timer);
      if (first === 'expired') {
        log.warn('drain grace period over; aborting in-flight deliveries', { grace_ms: graceMs });
        drainAbort.abort(new DOMException('plugin is shutting down', 'AbortError'));
        const settle = new Promise<void>((resolve) => setTimeout(resolve, ABORT_SETTLE_MS).unref());
        await Promise.race([finished, settle]);
        server.forceShutdown();
      }
      await metricsServer?.close();
    })();
    return stopped;
  };

  return {
    port,
    metricsPort: metricsServer?.port ?? null,
    targets: configValid ? { names: [...targets.targets.keys()].sort() } : { errors: targets.errors },
    serving,
    metrics,
    drain,
    close: () => {
      stopped ??= (async () => {
        draining = true;
        setHealth('NOT_SERVING');
        drainAbort.abort(new DOMException('plugin closed', 'AbortError'));
        server.forceShutdown();
        await metricsServer?.close();
      })();
      return stopped;
    },
  };
}
