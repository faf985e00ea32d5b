import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '@k8slistener/log';
import type { Registry } from 'prom-client';
import { listen } from './listen.ts';

export interface StatusServerOptions {
  host: string;
  port: number;
  registry: Registry;
  log: Logger;
  /** Alive: the process can answer; nothing more is asked of it. */
  healthy: () => boolean;
  /** Ready: rules loaded and (on the leader) watches running; the reason when not. */
  ready: () => { ready: true } | { ready: false; reason: string };
  /** What /status shows: leader, rules, queues, dead letters. */
  status: () => unknown;
}

export interface StatusServer {
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType }).end(body);
}

/** The listener's plain-HTTP endpoint: /metrics (Prometheus), /healthz, /readyz and /status (JSON). */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/metrics':
        return send(res, 200, options.registry.contentType, await options.registry.metrics());
      case '/healthz':
        return options.healthy()
          ? send(res, 200, 'text/plain', 'ok\n')
          : send(res, 503, 'text/plain', 'unhealthy\n');
      case '/readyz': {
        const ready = options.ready();
        return ready.ready
          ? send(res, 200, 'text/plain', 'ok\n')
          : send(res, 503, 'text/plain', `not ready: ${ready.reason}\n`);
      }
      case '/status':
        return send(res, 200, 'application/json', `${JSON.stringify(options.status(), null, 2)}\n`);
      default:
        return send(res, 404, 'text/plain', 'not found: try /metrics, /healthz, /readyz or /status\n');
    }
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log.error('status endpoint failed', { path: req.url, error });
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
    });
  });
  return listen(server, options.host, options.port);
}
