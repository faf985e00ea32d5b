import type { Logger } from '@k8slistener/log';
import type { CheckpointStore } from './checkpoint-codec.ts';
import type { CheckpointTracker } from './checkpoint-tracker.ts';

export interface CheckpointSaver {
  /** Stops the timer, waits for a save in progress, then saves once more (its error, if any, is thrown). */
  stop(): Promise<void>;
}

/**
 * Saves the tracker's snapshot every intervalMs, skipping a save when nothing
 * changed or one is still running. A failed save is logged and the next tick
 * tries again; the timer is unref'd so it never keeps the process alive.
 */
export function startCheckpointSaver(
  tracker: CheckpointTracker,
  store: CheckpointStore,
  intervalMs: number,
  options: { log?: Logger } = {},
): CheckpointSaver {
  let lastSaved: string | undefined;
  let running: Promise<void> | undefined;
  const saveNow = async (): Promise<void> => {
    const snapshot = tracker.snapshot();
    const text = JSON.stringify(snapshot);
    if (text === lastSaved) return;
    await store.save(snapshot);
    lastSaved = text;
  };
  const tick = () => {
    if (running) return;
    running = saveNow()
      .catch((error: unknown) =>
        options.log?.warn('checkpoint save failed; retrying at the next interval', {
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await running;
        await saveNow();
      })();
      return stopped;
    },
  };
}
