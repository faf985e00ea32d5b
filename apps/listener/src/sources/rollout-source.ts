import type { Logger } from '@k8slistener/log';
import type { KubeEvent } from '@k8slistener/proto';
import { type ListWatchApi, type RunningListWatch, startListWatch } from '../kube/list-watch.ts';
import { ActorRegistry } from './actor-registry.ts';
import { type RawDeployment, type RolloutStep, RolloutTracker } from './rollout-tracker.ts';

/**
 * How long a RolloutStarted waits for the audit or admission webhook to say
 * who changed the template: the audit backend sends in batches about a second
 * apart, so the Deployment watch usually sees the change first.
 */
export const ACTOR_WAIT_MS = 3000;

export interface RolloutSourceOptions {
  api: ListWatchApi;
  cluster: string;
  log: Logger;
  namespaces: readonly string[];
  actors: ActorRegistry;
  emit: (event: KubeEvent) => Promise<void>;
  replayAtStart?: (event: KubeEvent) => boolean;
  actorWaitMs?: number;
  now?: () => Date;
}

export interface RolloutSource {
  firstSync: Promise<void>;
  synced(): boolean;
  stop(): void;
}

/**
 * Watches apps/v1 Deployments and emits their rollout steps, each carrying
 * the actor of the change that produced the generation when it is known.
 * Steps of one Deployment stay in order; a wait for one Deployment's actor
 * does not hold up others.
 */
export function startRolloutSource(options: RolloutSourceOptions): RolloutSource {
  const { api, cluster, log, actors, emit } = options;
  const now = options.now ?? (() => new Date());
  const tracker = new RolloutTracker({ cluster, now });
  const chains = new Map<string, Promise<void>>();

  function deliver(steps: RolloutStep[], uid: string): void {
    if (steps.length === 0) return;
    const previous = chains.get(uid) ?? Promise.resolve();
    const next = previous.then(async () => {
      for (const step of steps) {
        const ref = step.event.involvedObject ?? {};
        const key = ActorRegistry.key(ref.namespace ?? '', 'Deployment', ref.name ?? '');
        const wait = step.phase === 'Started' ? (options.actorWaitMs ?? ACTOR_WAIT_MS) : 0;
        const actor = await actors.waitFor(key, step.generation, now().getTime(), wait);
        try {
          await emit(actor ? { ...step.event, actor } : step.event);
        } catch (error) {
          log.error('emitting a rollout event failed', { id: step.event.id, error });
        }
      }
    });
    chains.set(uid, next);
    void next.finally(() => {
      if (chains.get(uid) === next) chains.delete(uid);
    });
  }

  const paths =
    options.namespaces.length === 0
      ? ['/apis/apps/v1/deployments']
      : options.namespaces.map((ns) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments`);
  const watches: RunningListWatch[] = paths.map((path) =>
    startListWatch({
      api,
      path,
      what: 'deployments',
      log,
      handlers: {
        onListed: (object, initial) => {
          const d = object as RawDeployment;
          if (initial) {
            const replay = tracker.learn(d).filter((s) => options.replayAtStart?.(s.event) ?? false);
            deliver(replay, d.metadata?.uid ?? '');
          } else {
            deliver(tracker.observe(d), d.metadata?.uid ?? '');
          }
        },
        onEvent: (type, object) => {
          const d = object as RawDeployment;
          if (type === 'DELETED') tracker.forget(d);
          else deliver(tracker.observe(d), d.metadata?.uid ?? '');
        },
      },
    }),
  );
  return {
    firstSync: Promise.all(watches.map((w) => w.firstSync)).then(() => undefined),
    synced: () => watches.every((w) => w.synced()),
    stop: () => {
      for (const w of watches) w.stop();
    },
  };
}
