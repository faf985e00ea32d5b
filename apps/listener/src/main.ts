#!/usr/bin/env node
// The listener process: configuration from flags and environment, then run
// until SIGTERM/SIGINT, which drains deliveries and saves the checkpoint.
import { createLogger, loggerSettings } from '@k8slistener/log';
import { CONFIG_HELP, parseListenerConfig } from './config/listener-config.ts';
import { startListener } from './listener.ts';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    `usage: k8slistener-listener [--flag value]…\n\nsettings (flag, environment variable, default):\n${CONFIG_HELP}\n`,
  );
  process.exit(0);
}
const logSettings = loggerSettings(process.env, Boolean(process.stdout.isTTY));
const parsed = parseListenerConfig(args, process.env);
const errors = [
  ...('errors' in logSettings ? logSettings.errors : []),
  ...('errors' in parsed ? parsed.errors : []),
];
if (errors.length > 0 || !('config' in parsed) || 'errors' in logSettings) {
  process.stderr.write(`k8slistener: invalid configuration:\n${errors.map((e) => `  - ${e}`).join('\n')}\n`);
  process.exit(2);
}
const log = createLogger({ name: 'listener', ...logSettings });
const listener = await startListener(parsed.config, log);
log.info('listening', {
  http: listener.httpPort,
  webhook: listener.webhookPort,
  router: parsed.config.router,
});

let signals = 0;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    signals++;
    if (signals > 1) process.exit(1);
    listener.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  });
}
