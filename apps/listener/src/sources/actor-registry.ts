import type { Actor, KubeEvent } from '@k8slistener/proto';
import { fromTimestamp } from '@k8slistener/proto';
import { BoundedMemory } from './bounded-memory.ts';

/** Objects whose recent changes are remembered. */
export const ACTOR_MEMORY_SIZE = 20_000;
/** Changes remembered per object: enough for a burst of edits before a rollout. */
const CHANGES_PER_OBJECT = 8;
/**
 * A change without a known generation (audit at Metadata level) is taken as
 * the cause of a rollout that starts within this window after it.
 */
export const ACTOR_MATCH_WINDOW_MS = 30_000;

interface Change {
  generation: number;
  timeMs: number;
  actor: Actor;
}

/**
 * Remembers who changed which objects, so the Rollout events of a generation
 * carry the actor of the change that produced it ("deployment completed,
 * started by expert@org.com"). Kubernetes Events never say who; the audit and
 * admission webhooks do.
 */
export class ActorRegistry {
  readonly #changes = new BoundedMemory<string, Change[]>(ACTOR_MEMORY_SIZE);
  readonly #waiters = new Map<string, Set<() => void>>();

  static key(namespace: string, kind: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  /** Learns from a Change event; only writes that produce a generation or touch the object itself count. */
  record(event: KubeEvent): void {
    const ref = event.involvedObject;
    if (event.source !== 'SOURCE_CHANGE' || !ref || !event.actor?.username || ref.subresource) return;
    if (event.verb === 'delete') return;
    const key = ActorRegistry.key(ref.namespace ?? '', ref.kind ?? '', ref.name ?? '');
    const list = this.#changes.get(key) ?? [];
    list.push({
      generation: Number(ref.generation ?? 0),
      timeMs: fromTimestamp(event.lastTimestamp)?.getTime() ?? 0,
      actor: event.actor,
    });
    this.#changes.set(key, list.slice(-CHANGES_PER_OBJECT));
    for (const wake of this.#waiters.get(key) ?? []) wake();
  }

  /**
   * Who produced this generation: the change that reported it, else (audit
   * without objects) the latest change shortly before the rollout began.
   */
  find(key: string, generation: number, rolloutTimeMs: number): Actor | undefined {
    const list = this.#changes.get(key) ?? [];
    const exact = list.filter((c) => c.generation === generation).at(-1);
    if (exact) return exact.actor;
    return list
      .filter(
        (c) =>
          c.generation === 0 &&
          c.timeMs <= rolloutTimeMs + 1000 &&
          c.timeMs >= rolloutTimeMs - ACTOR_MATCH_WINDOW_MS,
      )
      .at(-1)?.actor;
  }

  /** Like find, but waits up to timeoutMs for the change to be reported (audit batches arrive after the watch). */
  async waitFor(
    key: string,
    generation: number,
    rolloutTimeMs: number,
    timeoutMs: number,
  ): Promise<Actor | undefined> {
    const found = this.find(key, generation, rolloutTimeMs);
    if (found || timeoutMs <= 0) return found;
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(key) ?? new Set();
      this.#waiters.set(key, waiters);
      const done = (actor: Actor | undefined) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (waiters.size === 0) this.#waiters.delete(key);
        resolve(actor);
      };
      const check = () => {
        const actor = this.find(key, generation, rolloutTimeMs);
        if (actor) done(actor);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      waiters.add(check);
    });
  }
}
