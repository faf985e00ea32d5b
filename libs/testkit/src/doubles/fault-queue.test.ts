import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FaultQueue } from './fault-queue.ts';

const unavailable = { kind: 'fail', mode: 'unavailable' } as const;
const throttled = { kind: 'rateLimit', retryAfterSeconds: 3 } as const;

test('an empty queue lets every request through', () => {
  assert.is(new FaultQueue().next(), undefined);
});

test('counted faults answer that many requests, in the order they were queued', () => {
  const queue = new FaultQueue();
  queue.push(unavailable, 2);
  queue.push(throttled, 1);
  assert.equal(queue.next(), unavailable);
  assert.equal(queue.next(), unavailable);
  assert.equal(queue.next(), throttled);
  assert.is(queue.next(), undefined);
});

test('a fault without a count answers every request until cleared', () => {
  const queue = new FaultQueue();
  queue.push(unavailable);
  queue.push(throttled, 1);
  for (let i = 0; i < 5; i++) assert.equal(queue.next(), unavailable);
  queue.clear();
  assert.is(queue.next(), undefined);
});

test('snapshot shows what is left', () => {
  const queue = new FaultQueue();
  queue.push(unavailable, 2);
  queue.push(throttled);
  queue.next();
  assert.equal(queue.snapshot(), [
    { fault: unavailable, remaining: 1 },
    { fault: throttled, remaining: null },
  ]);
});

test.run();
