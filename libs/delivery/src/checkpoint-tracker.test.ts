import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHECKPOINT_SKEW_MARGIN_MS, CheckpointTracker } from './checkpoint-tracker.ts';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();
const clock = () => T0 + 3600_000;

test('a fresh tracker starts at its creation time minus the margin (no replay of history)', () => {
  const tracker = new CheckpointTracker({ clock });
  assert.equal(tracker.snapshot(), {
    watermark: new Date(clock() - CHECKPOINT_SKEW_MARGIN_MS).toISOString(),
    done: [],
  });
});

test('the watermark stays a margin behind the oldest pending event', () => {
  const tracker = new CheckpointTracker({ clock });
  tracker.begin('e1', at(0));
  tracker.begin('e2', at(10));
  tracker.begin('e3', at(20));
  tracker.settle('e2');
  tracker.settle('e3');
  assert.equal(tracker.snapshot(), { watermark: iso(-60), done: ['e2', 'e3'] });
  assert.is(tracker.pending, 1);
});

test('when nothing is pending the watermark follows the newest settled event', () => {
  const tracker = new CheckpointTracker({ clock });
  tracker.begin('e1', at(0));
  tracker.begin('e2', at(100));
  tracker.settle('e1');
  tracker.settle('e2');
  // e1 (t=0) is below the watermark (t=40): covered by it, so not listed.
  assert.equal(tracker.snapshot(), { watermark: iso(40), done: ['e2'] });
});

test('done is bounded by the window: settled ids below the watermark are forgotten', () => {
  const tracker = new CheckpointTracker({ clock });
  for (let i = 0; i < 1000; i++) {
    tracker.begin(`e${i}`, at(i));
    tracker.settle(`e${i}`);
  }
  const { watermark, done } = tracker.snapshot();
  assert.is(watermark, iso(999 - 60));
  assert.is(done.length, 61);
});

test('isDone: below the watermark, or listed; otherwise it must be sent', () => {
  const checkpoint = { watermark: iso(0), done: ['late-but-done'] };
  assert.is(CheckpointTracker.isDone(checkpoint, 'old', at(-1)), true);
  assert.is(CheckpointTracker.isDone(checkpoint, 'late-but-done', at(30)), true);
  assert.is(CheckpointTracker.isDone(checkpoint, 'pending-at-crash', at(0)), false);
  assert.is(CheckpointTracker.isDone(checkpoint, 'new', at(30)), false);
});

test('restart round trip: nothing settled is re-sent, nothing unsettled is skipped', () => {
  const first = new CheckpointTracker({ clock });
  const events = Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, time: at(i * 10) }));
  for (const e of events) first.begin(e.id, e.time);
  // Delivered out of order (different objects): e0..e3, e5, e8 settle; e4, e6, e7, e9 are in flight at the crash.
  for (const id of ['e0', 'e1', 'e2', 'e3', 'e5', 'e8']) first.settle(id);
  const saved = JSON.parse(JSON.stringify(first.snapshot()));
  const toSend = events.filter((e) => !CheckpointTracker.isDone(saved, e.id, e.time)).map((e) => e.id);
  assert.equal(toSend, ['e4', 'e6', 'e7', 'e9']);
});

test('a late event stamped before the oldest pending one, within the margin, is not skipped', () => {
  const tracker = new CheckpointTracker({ clock });
  tracker.begin('e1', at(100));
  tracker.settle('e1');
  tracker.begin('e2', at(200));
  tracker.begin('late', at(150)); // another component's clock, arrived after e2
  const saved = tracker.snapshot();
  assert.is(CheckpointTracker.isDone(saved, 'late', at(150)), false);
  assert.is(CheckpointTracker.isDone(saved, 'e1', at(100)), true);
});

test('a resumed tracker keeps the loaded watermark and done ids until it moves past them', () => {
  const resumeFrom = { watermark: iso(0), done: ['a', 'b'] };
  const tracker = new CheckpointTracker({ clock, resumeFrom });
  assert.equal(tracker.snapshot(), resumeFrom);
  tracker.begin('c', at(30));
  assert.equal(tracker.snapshot(), { watermark: iso(-30), done: ['a', 'b'] });
  tracker.begin('a', at(5)); // relisted and begun again by mistake: already settled, ignored
  assert.is(tracker.pending, 1);
  tracker.settle('c');
  tracker.begin('d', at(500));
  assert.equal(tracker.snapshot(), { watermark: iso(440), done: [] });
});

test('resume() after construction is the same as resumeFrom', () => {
  const loaded = { watermark: iso(0), done: ['a', 'b'] };
  const late = new CheckpointTracker({ clock });
  late.resume(loaded);
  assert.equal(late.snapshot(), new CheckpointTracker({ clock, resumeFrom: loaded }).snapshot());
});

test('settle of an unknown or repeated id changes nothing', () => {
  const tracker = new CheckpointTracker({ clock });
  tracker.begin('e1', at(0));
  tracker.settle('nope');
  tracker.settle('e1');
  tracker.settle('e1');
  assert.equal(tracker.snapshot(), { watermark: iso(-60), done: ['e1'] });
});

test.run();
