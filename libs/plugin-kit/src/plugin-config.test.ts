import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pluginConfig } from './plugin-config.ts';

test('defaults', () => {
  assert.equal(pluginConfig({}), {
    value: {
      grpcPort: 50051,
      metricsPort: 9090,
      drainTimeoutMs: 20_000,
      channelTimeoutMs: 10_000,
      logLevel: 'info',
      logFormat: 'json',
    },
  });
});

test('every bad setting is named', () => {
  const result = pluginConfig({
    GRPC_PORT: 'http',
    METRICS_PORT: '70000',
    DRAIN_TIMEOUT_MS: '-1',
    CHANNEL_TIMEOUT_MS: '0',
    LOG_LEVEL: 'loud',
  });
  assert.equal(result, {
    errors: [
      'GRPC_PORT must be a whole number from 0 to 65535; got "http"',
      'METRICS_PORT must be a whole number from 0 to 65535; got "70000"',
      'DRAIN_TIMEOUT_MS must be a whole number from 0 to 600000; got "-1"',
      'CHANNEL_TIMEOUT_MS must be a whole number from 1 to 600000; got "0"',
      'LOG_LEVEL must be one of debug, info, warn, error; got "loud"',
    ],
  });
  assert.equal(pluginConfig({ GRPC_PORT: '9000', METRICS_PORT: '9000' }), {
    errors: ['GRPC_PORT and METRICS_PORT must differ; both are 9000'],
  });
});

test.run();
