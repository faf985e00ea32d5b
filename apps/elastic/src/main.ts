#!/usr/bin/env node
import { createLogger } from '@k8slistener/log';
import {
  EXIT_BAD_SETTINGS,
  pluginConfig,
  type RunningPlugin,
  readTargetsSource,
  startPlugin,
} from '@k8slistener/plugin-kit';
import { ElasticPlugin } from './elastic-plugin.ts';
import { elasticSettings } from './elastic-settings.ts';
import { parseElasticTargets } from './elastic-target.ts';

/*
 * The kit's runPlugin, in two phases. The kit's health reflects only whether
 * the targets are valid, and this plugin must also not serve before every
 * target's index template is applied. So while the templates are being
 * applied, a first instance serves health NOT_SERVING (and answers every call
 * UNAVAILABLE) on the configured ports; once they are applied it is replaced
 * by the real one on the same ports.
 */
const env = process.env;
const config = pluginConfig(env, Boolean(process.stdout.isTTY));
const settings = elasticSettings(env);
const problems = [
  ...('errors' in config ? config.errors : []),
  ...('errors' in settings ? settings.errors : []),
];
if ('errors' in config || 'errors' in settings) {
  for (const problem of problems) process.stderr.write(`k8slistener elastic: ${problem}\n`);
  process.exit(EXIT_BAD_SETTINGS);
}
const kit = config.value;
const log = createLogger({ name: 'elastic', level: kit.logLevel, format: kit.logFormat });
const elastic = new ElasticPlugin({ settings: settings.value, timeoutMs: kit.channelTimeoutMs, log });
const source = readTargetsSource(env);
const parsed = 'errors' in source ? source : parseElasticTargets(source.value);
const common = {
  definition: elastic.definition,
  host: env.GRPC_HOST || '0.0.0.0',
  channelTimeoutMs: kit.channelTimeoutMs,
  drainTimeoutMs: kit.drainTimeoutMs,
  log,
};

const stopping = new AbortController();
let plugin: RunningPlugin | undefined;
const stop = (signal: string) => {
  log.info('draining', { signal, drain_timeout_ms: kit.drainTimeoutMs });
  stopping.abort(new Error(signal));
  elastic.flush();
  (plugin?.drain() ?? Promise.resolve())
    .then(() => elastic.close())
    .then(
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

let ports = { grpcPort: kit.grpcPort, metricsPort: kit.metricsPort };
if ('targets' in parsed) {
  const waiting = await startPlugin({
    ...common,
    ...ports,
    targets: { errors: ['waiting until the index template of every target is applied'] },
  });
  plugin = waiting;
  ports = { grpcPort: waiting.port, metricsPort: waiting.metricsPort ?? 0 };
  log.info('applying index templates', { targets: [...parsed.targets.keys()], grpc_port: waiting.port });
  const ready = await elastic.prepare(parsed.targets.values(), stopping.signal);
  if (!ready) await new Promise(() => {}); // stopping: stop() exits
  plugin = undefined;
  await waiting.close();
}
plugin = await startPlugin({
  ...common,
  ...ports,
  targets: 'errors' in source ? source : { value: source.value },
  defaultMetrics: true,
});
if (stopping.signal.aborted) stop('SIGTERM');
if (plugin.serving()) elastic.startMaintenance();
log.info('plugin started', {
  message_type: 'elastic',
  version: elastic.definition.version,
  grpc_port: plugin.port,
  metrics_port: plugin.metricsPort,
  ...('names' in plugin.targets
    ? { targets: plugin.targets.names }
    : { config_errors: plugin.targets.errors }),
  serving: plugin.serving(),
});
