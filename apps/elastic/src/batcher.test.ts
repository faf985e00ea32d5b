import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batcher, batcherOptionErrors, type SetTimer } from './batcher.ts';

/** The error a promise rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new assert.Assertion({
    message: 'expected a rejection',
    operator: 'rejects',
    expects: 'rejection',
    actual: 'resolved',
  });
}

/** A timer driven by the test: nothing fires until fire() is called. */
function manualTimer() {
  const armed: { callback: () => void; delayMs: number; cancelled: boolean }[] = [];
  const setTimer: SetTimer = (callback, delayMs) => {
    const entry = { callback, delayMs, cancelled: false };
    armed.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  return {
    setTimer,
    /** Delays of the timers armed and not cancelled. */
    pending: () => armed.filter((entry) => !entry.cancelled).map((entry) => entry.delayMs),
    fire: () => {
      for (const entry of armed.splice(0)) if (!entry.cancelled) entry.callback();
    },
  };
}

/** A batcher whose send records each batch and answers `<item>:ok`. */
function recording(options: { maxItems?: number; maxBytes?: number; maxWaitMs?: number } = {}) {
  const timer = manualTimer();
  const batches: string[][] = [];
  const batcher = new Batcher<string, string>({
    maxItems: options.maxItems ?? 3,
    maxBytes: options.maxBytes ?? 1_000,
    maxWaitMs: options.maxWaitMs ?? 50,
    setTimer: timer.setTimer,
    send: async (items) => {
      batches.push(items);
      return items.map((item) => `${item}:ok`);
    },
  });
  return { batcher, batches, timer };
}

test('flushes when maxItems are waiting, and answers each caller with its own result', async () => {
  const { batcher, batches, timer } = recording({ maxItems: 3 });
  const answers = Promise.all(['a', 'b', 'c'].map((item) => batcher.add(item, 10)));
  assert.equal(batches, [['a', 'b', 'c']]);
  assert.equal(await answers, ['a:ok', 'b:ok', 'c:ok']);
  assert.equal(timer.pending(), []);
  assert.is(batcher.waiting, 0);
});

test('flushes by bytes: reaching maxBytes sends, an item that would pass it starts the next batch', async () => {
  const { batcher, batches, timer } = recording({ maxItems: 100, maxBytes: 100 });
  const a = batcher.add('a', 60);
  const b = batcher.add('b', 50); // 110 > 100: a goes alone, b waits
  assert.equal(batches, [['a']]);
  const c = batcher.add('c', 50); // 100 = maxBytes: b and c go
  assert.equal(batches, [['a'], ['b', 'c']]);
  const big = batcher.add('big', 500); // bigger than maxBytes on its own: sent alone at once
  assert.equal(batches, [['a'], ['b', 'c'], ['big']]);
  assert.equal(await Promise.all([a, b, c, big]), ['a:ok', 'b:ok', 'c:ok', 'big:ok']);
  assert.equal(timer.pending(), []);
});

test('flushes by time: maxWaitMs after the first waiting item, whatever the count', async () => {
  const { batcher, batches, timer } = recording({ maxItems: 10, maxWaitMs: 50 });
  const a = batcher.add('a', 1);
  const b = batcher.add('b', 1);
  assert.equal(batches, []);
  assert.equal(timer.pending(), [50]);
  timer.fire();
  assert.equal(batches, [['a', 'b']]);
  assert.equal(await Promise.all([a, b]), ['a:ok', 'b:ok']);
  const c = batcher.add('c', 1);
  assert.equal(timer.pending(), [50]);
  timer.fire();
  assert.equal(await c, 'c:ok');
  assert.equal(batches, [['a', 'b'], ['c']]);
});

test('a count flush cancels the time flush', async () => {
  const { batcher, batches, timer } = recording({ maxItems: 2 });
  const answers = Promise.all([batcher.add('a', 1), batcher.add('b', 1)]);
  assert.equal(timer.pending(), []);
  timer.fire();
  await answers;
  assert.equal(batches, [['a', 'b']]);
});

test('an abort before the flush takes the item out; after it, the result is awaited', async () => {
  const { batcher, batches, timer } = recording({ maxItems: 10 });
  const leaving = new AbortController();
  const a = batcher.add('a', 1, leaving.signal);
  const b = batcher.add('b', 1);
  leaving.abort(new Error('caller went away'));
  assert.match((await rejection(a)).message, /caller went away/);
  assert.is(batcher.waiting, 1);
  timer.fire();
  assert.equal(batches, [['b']]);
  assert.is(await b, 'b:ok');
  const already = new AbortController();
  already.abort(new Error('gone before'));
  assert.match((await rejection(batcher.add('c', 1, already.signal))).message, /gone before/);
  const late = new AbortController();
  const d = batcher.add('d', 1, late.signal);
  timer.fire();
  late.abort(new Error('too late'));
  assert.is(await d, 'd:ok');
});

test('the last waiting item aborted disarms the timer', async () => {
  const { batcher, timer } = recording({ maxItems: 10 });
  const leaving = new AbortController();
  const a = batcher.add('a', 1, leaving.signal);
  leaving.abort(new Error('gone'));
  await rejection(a);
  assert.equal(timer.pending(), []);
});

test('a failed send, or a wrong number of results, is every item’s answer', async () => {
  const timer = manualTimer();
  let answer: () => Promise<string[]> = () => Promise.reject(new Error('connection refused'));
  const batcher = new Batcher<string, string>({
    maxItems: 2,
    maxBytes: 1_000,
    maxWaitMs: 10,
    setTimer: timer.setTimer,
    send: () => answer(),
  });
  const failed = [batcher.add('a', 1), batcher.add('b', 1)];
  for (const item of failed) assert.match((await rejection(item)).message, /connection refused/);
  answer = async () => ['only one'];
  const short = [batcher.add('c', 1), batcher.add('d', 1)];
  for (const item of short)
    assert.match((await rejection(item)).message, /batch of 2 items answered with 1 results/);
});

test('close sends what waits and waits for every batch in flight', async () => {
  const timer = manualTimer();
  const releases: (() => void)[] = [];
  const batcher = new Batcher<string, string>({
    maxItems: 10,
    maxBytes: 1_000,
    maxWaitMs: 10,
    setTimer: timer.setTimer,
    send: (items) => new Promise((resolve) => releases.push(() => resolve(items))),
  });
  const a = batcher.add('a', 1);
  let closed = false;
  const closing = batcher.close().then(() => {
    closed = true;
  });
  assert.is(batcher.sending, 1);
  assert.equal(timer.pending(), []);
  await Promise.resolve();
  assert.is(closed, false);
  releases[0]?.();
  await closing;
  assert.is(await a, 'a');
  assert.is(batcher.sending, 0);
});

test('options out of range are named', () => {
  assert.equal(batcherOptionErrors({ maxItems: 0, maxBytes: 1.5, maxWaitMs: -1 }), [
    'maxItems must be a whole number of at least 1, got 0',
    'maxBytes must be a whole number of at least 1, got 1.5',
    'maxWaitMs must be 0 or more, got -1',
  ]);
  assert.throws(
    () => new Batcher({ maxItems: 0, maxBytes: 1, maxWaitMs: 0, send: async () => [] }),
    /maxItems must be/,
  );
});

test.run();
