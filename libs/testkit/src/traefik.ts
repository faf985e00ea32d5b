import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { traefikBinary } from './binaries.ts';
import type { Progress } from './build-cache.ts';
import { type ManagedProcess, startProcess, waitUntil } from './managed-process.ts';
import { ensurePortFree, freePorts, LOOPBACK } from './ports.ts';

const TRAEFIK_READY_TIMEOUT_MS = 30_000;

export interface TraefikOptions {
  cache: string;
  /** Directory the file provider watches; the caller writes dynamic configuration there. */
  dynamicDir: string;
  /** Port of the h2c entrypoint `grpc` that the listener calls; free when unset. */
  grpcPort?: number;
  /** Port of the `traefik` entrypoint: API, dashboard and /ping; free when unset. */
  apiPort?: number;
  /** Where the static config and log go; a new temporary directory when unset (removed on stop). */
  workDir?: string;
  progress?: Progress;
}

export interface TraefikStack {
  /** host:port of the h2c gRPC entrypoint, for a gRPC client. */
  grpcAddress: string;
  /** Base URL of the API (/api/http/routers, …) and dashboard (/dashboard/). */
  apiUrl: string;
  staticConfigFile: string;
  dynamicDir: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** The static configuration: an h2c entrypoint, the watched file provider, the API; nothing that calls home. */
export function traefikStaticConfig(input: {
  grpcPort: number;
  apiPort: number;
  dynamicDir: string;
}): object {
  return {
    global: { checkNewVersion: false, sendAnonymousUsage: false },
    entryPoints: {
      // Plain (non-TLS) entrypoints accept HTTP/2 with prior knowledge (h2c), which gRPC clients use.
      grpc: { address: `${LOOPBACK}:${input.grpcPort}` },
      traefik: { address: `${LOOPBACK}:${input.apiPort}` },
    },
    api: { insecure: true, dashboard: true },
    ping: { entryPoint: 'traefik' },
    providers: { file: { directory: input.dynamicDir, watch: true } },
    log: { level: 'INFO' },
    accessLog: {},
  };
}

/** Starts Traefik v3 (built from its Go module, cached) with the static configuration above. */
export async function startTraefik(options: TraefikOptions): Promise<TraefikStack> {
  const binary = await traefikBinary(options.cache, options.progress);
  if (options.grpcPort !== undefined) await ensurePortFree(options.grpcPort, 'Traefik grpc entrypoint');
  if (options.apiPort !== undefined) await ensurePortFree(options.apiPort, 'Traefik API entrypoint');
  const [freeGrpc = 0, freeApi = 0] = await freePorts(2);
  const grpcPort = options.grpcPort ?? freeGrpc;
  const apiPort = options.apiPort ?? freeApi;
  const ownsWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'k8slistener-traefik-'));
  mkdirSync(workDir, { recursive: true });
  mkdirSync(options.dynamicDir, { recursive: true });
  const staticConfigFile = join(workDir, 'traefik.yml');
  writeFileSync(
    staticConfigFile,
    stringify(traefikStaticConfig({ grpcPort, apiPort, dynamicDir: options.dynamicDir })),
  );
  const traefik = startProcess({
    name: 'traefik',
    command: binary,
    args: [`--configFile=${staticConfigFile}`],
    logFile: join(workDir, 'traefik.log'),
  });
  const apiUrl = `http://${LOOPBACK}:${apiPort}`;
  const stop = async () => {
    await traefik.stop();
    if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => (await fetch(`${apiUrl}/ping`)).ok, {
      what: 'Traefik /ping',
      timeoutMs: TRAEFIK_READY_TIMEOUT_MS,
      process: traefik,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    grpcAddress: `${LOOPBACK}:${grpcPort}`,
    apiUrl,
    staticConfigFile,
    dynamicDir: options.dynamicDir,
    process: traefik,
    stop,
  };
}

export interface GrpcRoute {
  /** The x-message-type value, e.g. "slack". */
  messageType: string;
  /** Plugin instances: h2c URLs (h2c://127.0.0.1:PORT) with optional weights. */
  servers: readonly { url: string; weight?: number }[];
  /** Call grpc.health.v1.Health/Check on each instance; default true. */
  healthCheck?: boolean;
}

/**
 * Dynamic configuration for the file provider: one router per message type
 * matching the `x-message-type` header, each to a weighted, health-checked
 * h2c service. The same shape as traefik/local/dynamic/*.yml.
 */
export function grpcRoutesConfig(routes: readonly GrpcRoute[]): object {
  const routers: Record<string, object> = {};
  const services: Record<string, object> = {};
  for (const route of routes) {
    const name = `plugin-${route.messageType}`;
    routers[name] = {
      entryPoints: ['grpc'],
      rule: `Header(\`x-message-type\`, \`${route.messageType}\`)`,
      service: name,
    };
    services[name] = {
      loadBalancer: {
        servers: route.servers.map((s) => ({ url: s.url, weight: s.weight ?? 1 })),
        ...(route.healthCheck === false
          ? {}
          : { healthCheck: { mode: 'grpc', interval: '2s', timeout: '1s' } }),
      },
    };
  }
  return { http: { routers, services } };
}
