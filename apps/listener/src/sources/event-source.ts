import type { Logger } from '@k8slistener/log';
import type { KubeEvent } from '@k8slistener/proto';
import { type ListWatchApi, type RunningListWatch, startListWatch } from '../kube/list-watch.ts';
import { BoundedMemory } from './bounded-memory.ts';
import { eventToKubeEvent, occurrenceCount, occurrenceTime, type RawEvent } from './event-conversion.ts';

/**
 * Events remembered (UID → last occurrence count) to tell a new occurrence
 * from a no-op update. Bounded: an evicted event that changes again is simply
 * treated as new, and its stable id lets the checkpoint and plugins drop a
 * repeat.
 */
export const EVENT_MEMORY_SIZE = 50_000;
/**
 * After a relist (410 Gone), an event the listener does not remember is only
 * delivered if it happened no earlier than this before the newest event it had
 * processed: emitters' clocks and the API server's ordering differ a little.
 */
export const RELIST_SKEW_MS = 60_000;

export interface EventSourceOptions {
  api: ListWatchApi;
  cluster: string;
  log: Logger;
  /** Namespaces to watch; all when empty. */
  namespaces: readonly string[];
  /** Receives each new occurrence; intake waits while it works (backpressure). */
  emit: (event: KubeEvent) => Promise<void>;
  /**
   * Decides, for events found at start-up, whether they still need delivering
   * (the checkpoint says they were not delivered before a restart). Without a
   * checkpoint nothing found at start-up is replayed.
   */
  replayAtStart?: (event: KubeEvent) => boolean;
  memorySize?: number;
}

export interface EventSource {
  firstSync: Promise<void>;
  synced(): boolean;
  stop(): void;
}

/** Watches events.k8s.io/v1 Events and emits each new occurrence once. */
export function startEventSource(options: EventSourceOptions): EventSource {
  const { api, cluster, log, emit } = options;
  const memory = new BoundedMemory<string, number>(options.memorySize ?? EVENT_MEMORY_SIZE);
  let newestMs = 0;

  async function consider(raw: RawEvent, mode: 'start' | 'relist' | 'watch'): Promise<void> {
    const uid = raw.metadata?.uid;
    if (!uid) return;
    const count = occurrenceCount(raw);
    const previous = memory.get(uid);
    memory.set(uid, Math.max(count, previous ?? 0));
    if (previous !== undefined && count <= previous) return; // a no-op update, or an older view
    const time = occurrenceTime(raw).getTime();
    const event = eventToKubeEvent(raw, cluster);
    if (mode === 'start' && !(options.replayAtStart?.(event) ?? false)) return;
    if (mode === 'relist' && previous === undefined && time < newestMs - RELIST_SKEW_MS) return;
    newestMs = Math.max(newestMs, time);
    await emit(event);
  }

  const paths =
    options.namespaces.length === 0
      ? ['/apis/events.k8s.io/v1/events']
      : options.namespaces.map((ns) => `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/events`);
  const watches: RunningListWatch[] = paths.map((path) =>
    startListWatch({
      api,
      path,
      what: 'events',
      log,
      handlers: {
        onListed: (object, initial) => consider(object as RawEvent, initial ? 'start' : 'relist'),
        onEvent: async (type, object) => {
          const raw = object as RawEvent;
          if (type === 'DELETED') {
            if (raw.metadata?.uid) memory.delete(raw.metadata.uid);
            return;
          }
          await consider(raw, 'watch');
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
