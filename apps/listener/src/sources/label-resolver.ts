import type { Logger } from '@k8slistener/log';
import type { ObjectReference } from '@k8slistener/proto';
import type { KindResolver } from '../kube/kind-resolver.ts';
import type { KubeApi } from '../kube/kube-api.ts';
import { BoundedMemory } from './bounded-memory.ts';

/** Objects whose labels are remembered. */
export const LABEL_MEMORY_SIZE = 10_000;
/** Labels are read again after this long: they change rarely, and a stale label costs little. */
export const LABEL_TTL_MS = 60_000;

interface Remembered {
  labels: Record<string, string>;
  atMs: number;
}

/**
 * Looks up the labels of the object a Kubernetes Event is about (Events do
 * not carry them), so label selectors in rules work for Events too. Only runs
 * when a rule needs labels. Reading objects needs `get` on their resources
 * (crds/rbac-labels.yaml grants it for the usual workload kinds); a kind the
 * listener may not read is reported once and then left without labels.
 */
export class LabelResolver {
  readonly #api: Pick<KubeApi, 'request'>;
  readonly #kinds: Pick<KindResolver, 'resourceOf'>;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #memory = new BoundedMemory<string, Remembered>(LABEL_MEMORY_SIZE);
  readonly #refused = new Set<string>();

  constructor(
    api: Pick<KubeApi, 'request'>,
    kinds: Pick<KindResolver, 'resourceOf'>,
    log: Logger,
    now: () => number = Date.now,
  ) {
    this.#api = api;
    this.#kinds = kinds;
    this.#log = log;
    this.#now = now;
  }

  async labelsOf(ref: ObjectReference): Promise<Record<string, string>> {
    const apiVersion = ref.apiVersion ?? '';
    const kind = ref.kind ?? '';
    if (!ref.name || !kind) return {};
    const key = ref.uid || `${apiVersion}/${kind}/${ref.namespace ?? ''}/${ref.name}`;
    const remembered = this.#memory.get(key);
    if (remembered && this.#now() - remembered.atMs < LABEL_TTL_MS) return remembered.labels;
    const resource = this.#kinds.resourceOf(apiVersion, kind);
    if (!resource || this.#refused.has(`${apiVersion}/${kind}`)) return {};
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const path = `${base}${ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : ''}/${resource}/${encodeURIComponent(ref.name)}`;
    try {
      const res = await this.#api.request<{ metadata?: { labels?: Record<string, string> } }>('GET', path);
      if (res.status === 403) {
        this.#refused.add(`${apiVersion}/${kind}`);
        this.#log.warn('may not read objects of this kind, so rules see no labels on their events', {
          apiVersion,
          kind,
          hint: 'grant get on this resource to the listener (see crds/rbac-labels.yaml)',
        });
        return {};
      }
      const labels = res.status === 200 ? (res.body?.metadata?.labels ?? {}) : {};
      this.#memory.set(key, { labels, atMs: this.#now() });
      return labels;
    } catch (error) {
      this.#log.debug('reading labels failed', { path, error });
      return {};
    }
  }
}
