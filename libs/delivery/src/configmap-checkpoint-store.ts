import { makeKubeApiClient } from '@k8slistener/kube';
import { ApiException, CoreV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { type CheckpointStore, mergeCheckpoints, parseCheckpoint } from './checkpoint-codec.ts';
import type { Checkpoint } from './checkpoint-tracker.ts';

/** The ConfigMap data key holding the checkpoint as JSON. */
export const CHECKPOINT_DATA_KEY = 'checkpoint.json';
// Each conflict means another writer saved in between; after a few merges in
// a row something is fighting over the ConfigMap and the next periodic save
// tries again anyway.
const MAX_CONFLICT_RETRIES = 5;
const HTTP_NOT_FOUND = 404;
const HTTP_CONFLICT = 409;

/** A checkpoint that is in the cluster but cannot be read: refusing beats guessing (a guess skips or repeats). */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

export interface ConfigMapCheckpointStoreOptions {
  kubeConfig: KubeConfig;
  /** The listener's namespace. */
  namespace: string;
  /** ConfigMap name, e.g. "k8slistener-checkpoint". */
  name: string;
}

function httpCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/**
 * Keeps the checkpoint in a ConfigMap in the listener's namespace. Writes are
 * optimistic (metadata.resourceVersion): when another writer saved in between
 * (a former leader), the two checkpoints are merged so neither's progress is
 * lost and nothing either of them had not settled is skipped.
 */
export class ConfigMapCheckpointStore implements CheckpointStore {
  readonly #api: CoreV1Api;
  readonly #namespace: string;
  readonly #name: string;
  #resourceVersion: string | undefined;

  constructor(options: ConfigMapCheckpointStoreOptions) {
    this.#api = makeKubeApiClient(options.kubeConfig, CoreV1Api);
    this.#namespace = options.namespace;
    this.#name = options.name;
  }

  async load(): Promise<Checkpoint | undefined> {
    const current = await this.#read();
    return current?.checkpoint;
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    let next = checkpoint;
    for (let attempt = 0; ; attempt++) {
      try {
        const body: V1ConfigMap = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: this.#name,
            namespace: this.#namespace,
            labels: { 'app.kubernetes.io/name': 'k8slistener', 'app.kubernetes.io/component': 'checkpoint' },
            ...(this.#resourceVersion ? { resourceVersion: this.#resourceVersion } : {}),
          },
          data: { [CHECKPOINT_DATA_KEY]: JSON.stringify(next) },
        };
        const written = this.#resourceVersion
          ? await this.#api.replaceNamespacedConfigMap({ name: this.#name, namespace: this.#namespace, body })
          : await this.#api.createNamespacedConfigMap({ namespace: this.#namespace, body });
        this.#resourceVersion = written.metadata?.resourceVersion;
        return;
      } catch (error) {
        // 409 on replace: a newer version exists; on create: it exists already. 404 on replace: deleted meanwhile.
        const code = httpCode(error);
        if ((code !== HTTP_CONFLICT && code !== HTTP_NOT_FOUND) || attempt >= MAX_CONFLICT_RETRIES)
          throw error;
        const current = await this.#read();
        if (current?.checkpoint) next = mergeCheckpoints(next, current.checkpoint);
      }
    }
  }

  /** Reads the ConfigMap, remembering its resourceVersion for the next write. */
  async #read(): Promise<{ checkpoint: Checkpoint | undefined } | undefined> {
    let configMap: V1ConfigMap;
    try {
      configMap = await this.#api.readNamespacedConfigMap({ name: this.#name, namespace: this.#namespace });
    } catch (error) {
      if (httpCode(error) === HTTP_NOT_FOUND) {
        this.#resourceVersion = undefined;
        return undefined;
      }
      throw error;
    }
    this.#resourceVersion = configMap.metadata?.resourceVersion;
    const text = configMap.data?.[CHECKPOINT_DATA_KEY];
    if (text === undefined) return { checkpoint: undefined };
    const parsed = parseCheckpoint(text);
    if ('errors' in parsed)
      throw new CheckpointError(
        `ConfigMap ${this.#namespace}/${this.#name} key ${CHECKPOINT_DATA_KEY}: ${parsed.errors.join('; ')}`,
      );
    return { checkpoint: parsed.checkpoint };
  }
}
