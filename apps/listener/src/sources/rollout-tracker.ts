import { createHash } from 'node:crypto';
import type { KubeEvent } from '@k8slistener/proto';
import { toTimestamp } from '@k8slistener/proto';
import { BoundedMemory } from './bounded-memory.ts';

/** The fields of an apps/v1 Deployment the rollout tracker reads (raw JSON). */
export interface RawDeployment {
  metadata?: {
    uid?: string;
    name?: string;
    namespace?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { replicas?: number; template?: unknown };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: {
      type: string;
      status: string;
      reason?: string;
      message?: string;
      lastUpdateTime?: string;
    }[];
  };
}

export type RolloutPhase = 'Started' | 'Completed' | 'Failed';

/** Deployments remembered; an evicted one is re-learned from its next update without emitting anything. */
export const DEPLOYMENT_MEMORY_SIZE = 20_000;
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

interface DeploymentState {
  generation: number;
  templateHash: string;
  /** Generation of the newest template change: the rollout in progress or last done. */
  rolloutGeneration: number;
  emitted: Set<RolloutPhase>;
}

export interface RolloutStep {
  phase: RolloutPhase;
  generation: number;
  event: KubeEvent;
}

/** Hash of the pod template: a rollout is a change of it; scaling or pausing is not. */
export function templateHash(deployment: RawDeployment): string {
  return createHash('sha256')
    .update(JSON.stringify(deployment.spec?.template ?? null))
    .digest('hex')
    .slice(0, 16);
}

function isComplete(d: RawDeployment, generation: number): boolean {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  return (
    (s.observedGeneration ?? 0) >= generation &&
    (d.metadata?.generation ?? 0) === (s.observedGeneration ?? -1) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.unavailableReplicas ?? 0) === 0
  );
}

function failure(d: RawDeployment, generation: number): { message: string } | undefined {
  if ((d.status?.observedGeneration ?? 0) < generation) return undefined;
  const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
  return progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded'
    ? { message: progressing.message ?? 'progress deadline exceeded' }
    : undefined;
}

/**
 * Derives RolloutStarted, RolloutCompleted and RolloutFailed from a
 * Deployment's successive states, each at most once per generation whose pod
 * template changed. What exists when the listener starts is learned, not
 * replayed (unless the caller's replay check says a step was never delivered).
 */
export class RolloutTracker {
  readonly #cluster: string;
  readonly #now: () => Date;
  readonly #states: BoundedMemory<string, DeploymentState>;

  constructor(options: { cluster: string; now?: () => Date; memorySize?: number }) {
    this.#cluster = options.cluster;
    this.#now = options.now ?? (() => new Date());
    this.#states = new BoundedMemory(options.memorySize ?? DEPLOYMENT_MEMORY_SIZE);
  }

  /**
   * A Deployment as found by a list at start-up: remember it. Returns the steps
   * its current state implies, for the caller to replay those a checkpoint says
   * were not delivered.
   */
  learn(d: RawDeployment): RolloutStep[] {
    const uid = d.metadata?.uid;
    if (!uid) return [];
    const generation = d.metadata?.generation ?? 0;
    const state: DeploymentState = {
      generation,
      templateHash: templateHash(d),
      rolloutGeneration: generation,
      emitted: new Set(['Started']),
    };
    const steps: RolloutStep[] = [this.#step(d, 'Started', generation)];
    if (isComplete(d, generation)) {
      state.emitted.add('Completed');
      steps.push(this.#step(d, 'Completed', generation));
    }
    const failed = failure(d, generation);
    if (failed) {
      state.emitted.add('Failed');
      steps.push(this.#step(d, 'Failed', generation, failed.message));
    }
    this.#states.set(uid, state);
    return steps;
  }

  /** A Deployment as seen by the watch: the steps that just happened, in order. */
  observe(d: RawDeployment): RolloutStep[] {
    const uid = d.metadata?.uid;
    if (!uid) return [];
    const generation = d.metadata?.generation ?? 0;
    const hash = templateHash(d);
    const steps: RolloutStep[] = [];
    let state = this.#states.get(uid);
    if (!state) {
      // A Deployment created while we watch is a rollout of its first template.
      state = { generation, templateHash: hash, rolloutGeneration: generation, emitted: new Set() };
      this.#states.set(uid, state);
      steps.push(this.#step(d, 'Started', generation));
      state.emitted.add('Started');
    } else if (generation > state.generation) {
      const templateChanged = hash !== state.templateHash;
      state.generation = generation;
      state.templateHash = hash;
      if (templateChanged) {
        state.rolloutGeneration = generation;
        state.emitted = new Set(['Started']);
        steps.push(this.#step(d, 'Started', generation));
      }
    }
    const rollout = state.rolloutGeneration;
    if (!state.emitted.has('Completed') && !state.emitted.has('Failed') && isComplete(d, rollout)) {
      state.emitted.add('Completed');
      steps.push(this.#step(d, 'Completed', rollout));
    }
    const failed = failure(d, rollout);
    if (failed && !state.emitted.has('Failed') && !state.emitted.has('Completed')) {
      state.emitted.add('Failed');
      steps.push(this.#step(d, 'Failed', rollout, failed.message));
    }
    return steps;
  }

  forget(d: RawDeployment): void {
    if (d.metadata?.uid) this.#states.delete(d.metadata.uid);
  }

  #step(d: RawDeployment, phase: RolloutPhase, generation: number, failureMessage?: string): RolloutStep {
    const meta = d.metadata ?? {};
    const s = d.status ?? {};
    const want = d.spec?.replicas ?? 1;
    const message =
      phase === 'Started'
        ? `Rollout of generation ${generation} started: ${want} replica${want === 1 ? '' : 's'} to update`
        : phase === 'Completed'
          ? `Rollout of generation ${generation} completed: ${s.updatedReplicas ?? 0} of ${want} replicas updated and available`
          : `Rollout of generation ${generation} failed: ${failureMessage}`;
    const now = toTimestamp(this.#now());
    const revision = meta.annotations?.[REVISION_ANNOTATION];
    return {
      phase,
      generation,
      event: {
        id: `rollout:${meta.uid}:${generation}:${phase}`,
        source: 'SOURCE_ROLLOUT',
        involvedObject: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: meta.namespace ?? '',
          name: meta.name ?? '',
          uid: meta.uid ?? '',
          labels: meta.labels ?? {},
          generation: String(generation),
        },
        reason: `Rollout${phase}`,
        type: phase === 'Failed' ? 'EVENT_TYPE_WARNING' : 'EVENT_TYPE_NORMAL',
        rawType: phase === 'Failed' ? 'Warning' : 'Normal',
        message,
        action: phase,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        reportingComponent: 'k8slistener',
        cluster: this.#cluster,
        ...(revision ? { revision } : {}),
      },
    };
  }
}
