import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { grpcRoutesConfig, traefikStaticConfig } from './traefik.ts';

test('static config: h2c entrypoint, API entrypoint, watched file provider, no calls home', () => {
  assert.equal(traefikStaticConfig({ grpcPort: 8081, apiPort: 8080, dynamicDir: '/d' }), {
    global: { checkNewVersion: false, sendAnonymousUsage: false },
    entryPoints: { grpc: { address: '127.0.0.1:8081' }, traefik: { address: '127.0.0.1:8080' } },
    api: { insecure: true, dashboard: true },
    ping: { entryPoint: 'traefik' },
    providers: { file: { directory: '/d', watch: true } },
    log: { level: 'INFO' },
    accessLog: {},
  });
});

test('routes: one header router per type to a weighted, gRPC-health-checked service', () => {
  assert.equal(
    grpcRoutesConfig([
      {
        messageType: 'slack',
        servers: [{ url: 'h2c://127.0.0.1:1', weight: 2 }, { url: 'h2c://127.0.0.1:2' }],
      },
      { messageType: 'elastic', servers: [{ url: 'h2c://127.0.0.1:3' }], healthCheck: false },
    ]),
    {
      http: {
        routers: {
          'plugin-slack': {
            entryPoints: ['grpc'],
            rule: 'Header(`x-message-type`, `slack`)',
            service: 'plugin-slack',
          },
          'plugin-elastic': {
            entryPoints: ['grpc'],
            rule: 'Header(`x-message-type`, `elastic`)',
            service: 'plugin-elastic',
          },
        },
        services: {
          'plugin-slack': {
            loadBalancer: {
              servers: [
                { url: 'h2c://127.0.0.1:1', weight: 2 },
                { url: 'h2c://127.0.0.1:2', weight: 1 },
              ],
              healthCheck: { mode: 'grpc', interval: '2s', timeout: '1s' },
            },
          },
          'plugin-elastic': { loadBalancer: { servers: [{ url: 'h2c://127.0.0.1:3', weight: 1 }] } },
        },
      },
    },
  );
});

test.run();
