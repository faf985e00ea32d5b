import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CheckpointStore } from './checkpoint-codec.ts';
import { startCheckpointSaver } from './checkpoint-saver.ts';
import { type Checkpoint, CheckpointTracker } from './checkpoint-tracker.ts';

const clock = () => Date.parse('2026-03-01T12:00:00Z');

function memoryStore(failures = 0): CheckpointStore & { saved: Checkpoint[] } {
  const saved: Checkpoint[] = [];
  let failing = failures;
  return {
    saved,
    load: async () => saved.at(-1),
    save: async (c) => {
      if (failing-- > 0) throw new Error('apiserver down');
      saved.push(c);
    },
  };
}

test('stop saves once more with the latest state', async () => {
  const tracker = new CheckpointTracker({ clock });
  const store = memoryStore();
  const saver = startCheckpointSaver(tracker, store, 60_000);
  tracker.begin('e1', new Date(clock()));
  tracker.settle('e1');
  await saver.stop();
  assert.equal(store.saved, [tracker.snapshot()]);
  assert.equal(store.saved[0]?.done, ['e1']);
  await saver.stop();
  assert.is(store.saved.length, 1, 'stop is idempotent');
});

test('periodic saves skip unchanged snapshots and survive a failed save', async () => {
  const tracker = new CheckpointTracker({ clock });
  const store = memoryStore(1);
  const warnings: string[] = [];
  const log = {
    debug: () => {},
    info: () => {},
    warn: (m: string) => warnings.push(m),
    error: () => {},
    child: () => log,
  };
  const saver = startCheckpointSaver(tracker, store, 5, { log });
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  };
  await until(() => store.saved.length >= 1);
  assert.equal(warnings, ['checkpoint save failed; retrying at the next interval']);
  await new Promise((r) => setTimeout(r, 50));
  assert.is(store.saved.length, 1, 'nothing changed, nothing saved again');
  tracker.begin('e2', new Date(clock()));
  tracker.settle('e2');
  await until(() => store.saved.length >= 2);
  assert.is(store.saved.length, 2);
  await saver.stop();
  assert.is(store.saved.length, 2);
});

test.run();
