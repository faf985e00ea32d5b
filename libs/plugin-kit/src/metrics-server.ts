import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Plain HTTP beside the gRPC port: `/metrics` for Prometheus, `/healthz`
 * (the process is up) and `/readyz` (the plugin would deliver: config valid
 * and not draining) for anything that does not speak gRPC health.
 */
export async function startMetricsServer(options: {
  port: number;
  host: string;
  registry: Registry;
  ready: () => boolean;
}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://plugin.invalid').pathname;
    const reply = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'GET only\n');
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => reply(200, text, options.registry.contentType),
        (error: unknown) => reply(500, `metrics failed: ${String(error)}\n`),
      );
      return;
    }
    if (path === '/healthz') return reply(200, 'ok\n');
    if (path === '/readyz') return options.ready() ? reply(200, 'ready\n') : reply(503, 'not ready\n');
    return reply(404, 'expected /metrics, /healthz or /readyz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
