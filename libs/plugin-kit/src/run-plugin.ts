import { createLogger } from '@k8slistener/log';
import { pluginConfig } from './plugin-config.ts';
import type { MessageType, PluginDefinition } from './plugin-definition.ts';
import { type RunningPlugin, startPlugin } from './start-plugin.ts';
import { readTargetsSource } from './targets-source.ts';

/** Exit code when a setting is invalid: the process cannot even start serving. */
export const EXIT_BAD_SETTINGS = 2;

/**
 * A plugin's main(): reads its settings from the environment, starts it, and
 * drains on SIGTERM/SIGINT before exiting 0. An invalid setting (port, timeout,
 * log level) stops the process with every problem named. Invalid targets do
 * not: the plugin serves with health NOT_SERVING and answers UNAVAILABLE, so
 * the problem shows in readiness, metrics and logs instead of a crash loop.
 */
export async function runPlugin<T extends MessageType, Target>(
  definition: PluginDefinition<T, Target>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningPlugin> {
  const config = pluginConfig(env, Boolean(process.stdout.isTTY));
  if ('errors' in config) {
    for (const error of config.errors)
      process.stderr.write(`k8slistener ${definition.messageType}: ${error}\n`);
    process.exit(EXIT_BAD_SETTINGS);
  }
  const settings = config.value;
  const log = createLogger({
    name: definition.messageType,
    level: settings.logLevel,
    format: settings.logFormat,
  });
  const source = readTargetsSource(env);
  const plugin = await startPlugin({
    definition,
    targets: source,
    host: env.GRPC_HOST || '0.0.0.0',
    grpcPort: settings.grpcPort,
    metricsPort: settings.metricsPort,
    channelTimeoutMs: settings.channelTimeoutMs,
    drainTimeoutMs: settings.drainTimeoutMs,
    log,
    defaultMetrics: true,
  });
  log.info('plugin started', {
    message_type: definition.messageType,
    version: definition.version,
    grpc_port: plugin.port,
    metrics_port: plugin.metricsPort,
    ...('names' in plugin.targets
      ? { targets: plugin.targets.names }
      : { config_errors: plugin.targets.errors }),
    serving: plugin.serving(),
  });
  const stop = (signal: string) => {
    log.info('draining', { signal, drain_timeout_ms: settings.drainTimeoutMs });
    plugin.drain().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error('drain failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return plugin;
}
