import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BoundedMemory } from './bounded-memory.ts';

test('forgets the least recently used entry beyond capacity', () => {
  const m = new BoundedMemory<string, number>(2);
  m.set('a', 1);
  m.set('b', 2);
  assert.is(m.get('a'), 1); // a is now most recent
  m.set('c', 3);
  assert.is(m.get('b'), undefined);
  assert.is(m.get('a'), 1);
  assert.is(m.get('c'), 3);
  assert.is(m.size, 2);
});

test('set of an existing key refreshes it without growing', () => {
  const m = new BoundedMemory<string, number>(2);
  m.set('a', 1);
  m.set('b', 2);
  m.set('a', 10);
  m.set('c', 3);
  assert.is(m.get('a'), 10);
  assert.is(m.get('b'), undefined);
  m.delete('a');
  assert.is(m.size, 1);
});

test('capacity must be a positive integer', () => {
  assert.throws(() => new BoundedMemory(0), /capacity must be a positive integer, got 0/);
});

test.run();
