import type { Logger } from '@k8slistener/log';
import type { KubeApi } from './kube-api.ts';

/** Aggregated discovery (GA in Kubernetes 1.30): every group's resources and kinds in one response. */
const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
/** A resource the discovery did not know is looked up again at most this often (new CRDs appear). */
export const REDISCOVERY_INTERVAL_MS = 60_000;

interface DiscoveryList {
  items?: {
    metadata?: { name?: string };
    versions?: { version?: string; resources?: { resource?: string; responseKind?: { kind?: string } }[] }[];
  }[];
}

/** Kind from "CamelCase" guess of a plural resource, when discovery cannot say: deployments → Deployment. */
export function guessKind(resource: string): string {
  const singular = resource.endsWith('ies')
    ? `${resource.slice(0, -3)}y`
    : resource.endsWith('sses') || resource.endsWith('xes')
      ? resource.slice(0, -2)
      : resource.endsWith('s')
        ? resource.slice(0, -1)
        : resource;
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}

/**
 * Maps (API group, plural resource) to its kind, from the API server's
 * discovery: audit events name resources, rules and messages name kinds.
 */
export class KindResolver {
  readonly #api: Pick<KubeApi, 'request'>;
  readonly #log: Logger;
  readonly #now: () => number;
  #kinds = new Map<string, string>();
  /** apiVersion/kind → plural resource, for reading an object named by an event. */
  #resources = new Map<string, string>();
  #lastDiscovery = Number.NEGATIVE_INFINITY;
  #inflight: Promise<void> | undefined;

  constructor(api: Pick<KubeApi, 'request'>, log: Logger, now: () => number = Date.now) {
    this.#api = api;
    this.#log = log;
    this.#now = now;
  }

  /** The kind if known now; schedules a rediscovery when not. Never waits. */
  kindOf(group: string, resource: string): string {
    const known = this.#kinds.get(`${group}/${resource}`);
    if (known) return known;
    if (this.#now() - this.#lastDiscovery > REDISCOVERY_INTERVAL_MS) void this.refresh();
    return guessKind(resource);
  }

  /** The plural resource of apiVersion + kind (e.g. v1 + Pod → pods), if discovery knows it. */
  resourceOf(apiVersion: string, kind: string): string | undefined {
    const known = this.#resources.get(`${apiVersion}/${kind}`);
    if (!known && this.#now() - this.#lastDiscovery > REDISCOVERY_INTERVAL_MS) void this.refresh();
    return known;
  }

  refresh(): Promise<void> {
    this.#inflight ??= this.#discover().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #discover(): Promise<void> {
    this.#lastDiscovery = this.#now();
    const kinds = new Map<string, string>();
    const resources = new Map<string, string>();
    for (const path of ['/api', '/apis']) {
      try {
        const res = await this.#api.request<DiscoveryList>(
          'GET',
          path,
          undefined,
          undefined,
          AGGREGATED_DISCOVERY,
        );
        for (const group of res.body?.items ?? []) {
          const name = group.metadata?.name ?? '';
          for (const version of group.versions ?? []) {
            const apiVersion = name ? `${name}/${version.version}` : (version.version ?? '');
            for (const r of version.resources ?? []) {
              if (!r.resource || !r.responseKind?.kind) continue;
              kinds.set(`${name}/${r.resource}`, r.responseKind.kind);
              const key = `${apiVersion}/${r.responseKind.kind}`;
              if (!resources.has(key)) resources.set(key, r.resource);
            }
          }
        }
      } catch (error) {
        this.#log.warn('API discovery failed; guessing kinds from resource names', { path, error });
      }
    }
    if (kinds.size > 0) {
      this.#kinds = kinds;
      this.#resources = resources;
    }
  }
}
