import { readFileSync } from 'node:fs';
import { HttpMethod, type KubeConfig, RequestContext } from '@kubernetes/client-node';
import { fetch as undiciFetch } from 'undici';

/** The part of a fetch Response the callers use; undici's and Bun's both have it. */
export interface KubeFetchResponse {
  status: number;
  headers: { forEach(callback: (value: string, name: string) => void): void };
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  body: ReadableStream<Uint8Array> | null;
}

export interface KubeFetchInit {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

const IS_BUN = typeof process.versions.bun === 'string';

interface BunTls {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
}

function pem(data: string | undefined, file: string | undefined): string | undefined {
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  if (file) return readFileSync(file, 'utf8');
  return undefined;
}

/**
 * The TLS settings of the current context for Bun's fetch. On Node,
 * @kubernetes/client-node puts them into an undici dispatcher, which Bun's
 * fetch ignores: without this a cluster with a private CA (nearly every
 * cluster) fails with SELF_SIGNED_CERT_IN_CHAIN on Bun.
 */
export function bunTlsOptions(config: KubeConfig): BunTls {
  const cluster = config.getCurrentCluster();
  const user = config.getCurrentUser();
  const ca = pem(cluster?.caData, cluster?.caFile);
  const cert = pem(user?.certData ?? undefined, user?.certFile ?? undefined);
  const key = pem(user?.keyData ?? undefined, user?.keyFile ?? undefined);
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(cluster?.skipTLSVerify ? { rejectUnauthorized: false } : {}),
  };
}

/** Sends a request that already carries its authentication (headers, dispatcher) on either runtime. */
export function sendContext(
  config: KubeConfig,
  ctx: RequestContext,
  init: KubeFetchInit,
): Promise<KubeFetchResponse> {
  const headers = { ...ctx.getHeaders(), ...init.headers };
  const common = {
    method: init.method,
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.signal ? { signal: init.signal } : {}),
  };
  if (IS_BUN) {
    return globalThis.fetch(ctx.getUrl(), {
      ...common,
      tls: bunTlsOptions(config),
    } as RequestInit) as Promise<KubeFetchResponse>;
  }
  const dispatcher = ctx.getDispatcher();
  return undiciFetch(ctx.getUrl(), {
    ...common,
    ...(dispatcher ? { dispatcher } : {}),
  }) as unknown as Promise<KubeFetchResponse>;
}

/** One authenticated request to the current cluster: `path` is relative to its server URL. */
export async function kubeFetch(
  config: KubeConfig,
  path: string,
  init: KubeFetchInit,
): Promise<KubeFetchResponse> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const ctx = new RequestContext(
    `${cluster.server}${path}`,
    HttpMethod[init.method as keyof typeof HttpMethod] ?? HttpMethod.GET,
  );
  await config.applySecurityAuthentication(ctx);
  return sendContext(config, ctx, init);
}
