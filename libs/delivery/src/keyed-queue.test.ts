import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KeyedQueue, QueueClosedError } from './keyed-queue.ts';

interface Job {
  key: string;
  n: number;
}

/** A queue whose jobs finish only when the test says so. */
function controlled(capacity: number, concurrency: number) {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const queue = new KeyedQueue<Job>({
    capacity,
    concurrency,
    run: (job) =>
      new Promise<void>((resolve) => {
        const id = `${job.key}${job.n}`;
        started.push(id);
        finishers.set(id, resolve);
      }),
  });
  const finish = async (id: string) => {
    const resolve = finishers.get(id);
    if (!resolve) throw new Error(`${id} has not started`);
    finishers.delete(id);
    resolve();
    await flush();
  };
  return { queue, started, finish };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

test('items of one key run one after another in push order; other keys run alongside', async () => {
  const { queue, started, finish } = controlled(10, 4);
  for (const job of [
    { key: 'a', n: 1 },
    { key: 'a', n: 2 },
    { key: 'b', n: 1 },
    { key: 'a', n: 3 },
    { key: 'b', n: 2 },
  ])
    await queue.push(job.key, job);
  await flush();
  assert.equal(started, ['a1', 'b1']);
  await finish('a1');
  assert.equal(started, ['a1', 'b1', 'a2']);
  await finish('a2');
  await finish('b1');
  assert.equal(started, ['a1', 'b1', 'a2', 'a3', 'b2']);
  await finish('a3');
  await finish('b2');
  assert.is(queue.size, 0);
  await queue.idle();
});

test('no more than `concurrency` items run at once', async () => {
  const { queue, started, finish } = controlled(10, 2);
  for (const key of ['a', 'b', 'c', 'd']) await queue.push(key, { key, n: 1 });
  await flush();
  assert.equal(started, ['a1', 'b1']);
  assert.is(queue.running, 2);
  assert.is(queue.queued, 2);
  await finish('b1');
  assert.equal(started, ['a1', 'b1', 'c1']);
});

test('a full queue makes push wait (backpressure) and admits waiters in call order', async () => {
  const { queue, started, finish } = controlled(2, 1);
  await queue.push('a', { key: 'a', n: 1 });
  await queue.push('a', { key: 'a', n: 2 });
  const accepted: string[] = [];
  const third = queue.push('a', { key: 'a', n: 3 }).then(() => accepted.push('a3'));
  const fourth = queue.push('b', { key: 'b', n: 1 }).then(() => accepted.push('b1'));
  await flush();
  assert.equal(accepted, [], 'nothing admitted while full');
  assert.is(queue.blocked, 2);
  assert.is(queue.size, 2);
  await finish('a1');
  assert.equal(accepted, ['a3']);
  assert.is(queue.size, 2, 'never above capacity');
  await finish('a2');
  await Promise.all([third, fourth]);
  assert.equal(accepted, ['a3', 'b1']);
  await finish('a3');
  await finish('b1');
  assert.equal(started, ['a1', 'a2', 'a3', 'b1']);
});

test('a push made while others wait queues behind them, even if room appears', async () => {
  const { queue, finish } = controlled(1, 1);
  await queue.push('k', { key: 'k', n: 1 });
  const order: number[] = [];
  const p2 = queue.push('k', { key: 'k', n: 2 }).then(() => order.push(2));
  await finish('k1');
  const p3 = queue.push('k', { key: 'k', n: 3 }).then(() => order.push(3));
  await p2;
  await finish('k2');
  await p3;
  assert.equal(order, [2, 3]);
});

test('closeIntake rejects waiting and later pushes; accepted items still finish', async () => {
  const { queue, started, finish } = controlled(1, 1);
  await queue.push('a', { key: 'a', n: 1 });
  const waiting = queue.push('a', { key: 'a', n: 2 }).then(
    () => 'accepted',
    (error: unknown) => error,
  );
  queue.closeIntake();
  assert.instance(await waiting, QueueClosedError);
  const late = await queue.push('b', { key: 'b', n: 1 }).then(
    () => 'accepted',
    (error: unknown) => error,
  );
  assert.instance(late, QueueClosedError);
  await finish('a1');
  await queue.idle();
  assert.equal(started, ['a1']);
});

test('stop starts nothing more', async () => {
  const { queue, started, finish } = controlled(5, 1);
  await queue.push('a', { key: 'a', n: 1 });
  await queue.push('b', { key: 'b', n: 1 });
  await flush();
  queue.stop();
  await finish('a1');
  assert.equal(started, ['a1']);
  assert.is(queue.size, 1);
});

test('a run that rejects is reported and does not stall its key', async () => {
  const errors: unknown[] = [];
  const ran: number[] = [];
  const queue = new KeyedQueue<number>({
    capacity: 5,
    concurrency: 1,
    run: async (n) => {
      ran.push(n);
      if (n === 1) throw new Error('bug');
    },
    onError: (error) => errors.push(error),
  });
  await queue.push('k', 1);
  await queue.push('k', 2);
  await queue.idle();
  assert.equal(ran, [1, 2]);
  assert.is(errors.length, 1);
});

test('bad options are refused', () => {
  assert.throws(() => new KeyedQueue({ capacity: 0, concurrency: 1, run: async () => {} }), /capacity/);
  assert.throws(() => new KeyedQueue({ capacity: 1, concurrency: 1.5, run: async () => {} }), /concurrency/);
});

test.run();
