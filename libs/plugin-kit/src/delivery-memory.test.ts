import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeliveryMemory } from './delivery-memory.ts';

test('a delivered id answers duplicate without delivering again', async () => {
  const memory = new DeliveryMemory();
  let calls = 0;
  const deliver = async () => ++calls;
  assert.equal(await memory.once('a', deliver), { duplicate: false, result: 1 });
  assert.equal(await memory.once('a', deliver), { duplicate: true });
  assert.equal(await memory.once('b', deliver), { duplicate: false, result: 2 });
  assert.is(calls, 2);
});

test('a failed delivery is not remembered', async () => {
  const memory = new DeliveryMemory();
  let calls = 0;
  try {
    await memory.once('a', async () => {
      calls++;
      throw new Error('503');
    });
    assert.unreachable();
  } catch (error) {
    assert.is((error as Error).message, '503');
  }
  assert.equal(await memory.once('a', async () => ++calls), { duplicate: false, result: 2 });
});

test('ids expire after the TTL (injected clock)', async () => {
  let now = 1000;
  const memory = new DeliveryMemory({ ttlMs: 100, now: () => now });
  await memory.once('a', async () => 1);
  now = 1099;
  assert.ok(memory.has('a'));
  now = 1100;
  assert.not.ok(memory.has('a'));
  assert.equal(await memory.once('a', async () => 2), { duplicate: false, result: 2 });
});

test('bounded: the least recently delivered id is forgotten first', async () => {
  const memory = new DeliveryMemory({ maxEntries: 2 });
  for (const id of ['a', 'b', 'c']) await memory.once(id, async () => id);
  assert.is(memory.size, 2);
  assert.equal([memory.has('a'), memory.has('b'), memory.has('c')], [false, true, true]);
});

test('a concurrent duplicate waits for the first and never delivers in parallel', async () => {
  const memory = new DeliveryMemory();
  let calls = 0;
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const deliver = async () => {
    calls++;
    await gate;
    return 'posted';
  };
  const first = memory.once('a', deliver);
  const second = memory.once('a', deliver);
  release();
  assert.equal(await first, { duplicate: false, result: 'posted' });
  assert.equal(await second, { duplicate: true });
  assert.is(calls, 1);
});

test('a concurrent duplicate of a failing delivery fails the same way', async () => {
  const memory = new DeliveryMemory();
  let fail: (e: Error) => void = () => {};
  const gate = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const first = memory.once('a', () => gate);
  const second = memory.once('a', async () => 'must not run');
  fail(new Error('429'));
  const results = await Promise.allSettled([first, second]);
  assert.equal(
    results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'fulfilled')),
    ['429', '429'],
  );
  assert.not.ok(memory.has('a'));
});

test.run();
