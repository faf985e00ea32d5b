import { type LogFormat, type LogLevel, loggerSettings } from '@k8slistener/log';

export const DEFAULT_GRPC_PORT = 50051;
export const DEFAULT_METRICS_PORT = 9090;
/** How long SIGTERM waits for in-flight deliveries; below Kubernetes' default 30 s grace period. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 20_000;
/** How long one HTTP call to a channel may take before it counts as unavailable. */
export const DEFAULT_CHANNEL_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 600_000;

export interface PluginConfig {
  grpcPort: number;
  metricsPort: number;
  drainTimeoutMs: number;
  channelTimeoutMs: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

/**
 * The settings every plugin reads from its environment (targets are read
 * separately: see readTargetsSource). Returns every bad setting by name.
 */
export function pluginConfig(
  env: NodeJS.ProcessEnv,
  isTty = false,
): { value: PluginConfig } | { errors: string[] } {
  const errors: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
      errors.push(`${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const grpcPort = integer('GRPC_PORT', DEFAULT_GRPC_PORT, 0, 65535);
  const metricsPort = integer('METRICS_PORT', DEFAULT_METRICS_PORT, 0, 65535);
  const drainTimeoutMs = integer('DRAIN_TIMEOUT_MS', DEFAULT_DRAIN_TIMEOUT_MS, 0, MAX_TIMEOUT_MS);
  const channelTimeoutMs = integer('CHANNEL_TIMEOUT_MS', DEFAULT_CHANNEL_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
  if (grpcPort !== 0 && grpcPort === metricsPort) {
    errors.push(`GRPC_PORT and METRICS_PORT must differ; both are ${grpcPort}`);
  }
  const log = loggerSettings(env, isTty);
  if ('errors' in log) errors.push(...log.errors);
  if (errors.length > 0 || 'errors' in log) return { errors };
  return {
    value: {
      grpcPort,
      metricsPort,
      drainTimeoutMs,
      channelTimeoutMs,
      logLevel: log.level,
      logFormat: log.format,
    },
  };
}
