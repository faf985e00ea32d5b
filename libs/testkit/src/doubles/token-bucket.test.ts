import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { retryAfterSeconds, TokenBuckets } from './token-bucket.ts';

test('a burst is allowed back to back, then the next request waits for a token', () => {
  const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 2 });
  assert.equal(buckets.take('hook', 0), { allowed: true });
  assert.equal(buckets.take('hook', 0), { allowed: true });
  assert.equal(buckets.take('hook', 0), { allowed: false, retryAfterMs: 1000 });
});

test('tokens come back at the configured rate', () => {
  const buckets = new TokenBuckets({ ratePerSecond: 2, burst: 1 });
  assert.equal(buckets.take('hook', 0), { allowed: true });
  assert.equal(buckets.take('hook', 250), { allowed: false, retryAfterMs: 250 });
  assert.equal(buckets.take('hook', 500), { allowed: true });
});

test('a refused request does not spend a token', () => {
  const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 1 });
  buckets.take('hook', 0);
  buckets.take('hook', 100);
  assert.equal(buckets.take('hook', 1000), { allowed: true });
});

test('each key has its own bucket', () => {
  const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 1 });
  assert.equal(buckets.take('a', 0), { allowed: true });
  assert.equal(buckets.take('b', 0), { allowed: true });
  assert.equal(buckets.take('a', 0), { allowed: false, retryAfterMs: 1000 });
});

test('tokens never exceed the burst however long the target was idle', () => {
  const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 2 });
  buckets.take('hook', 0);
  assert.equal(buckets.take('hook', 60_000), { allowed: true });
  assert.equal(buckets.take('hook', 60_000), { allowed: true });
  assert.equal(buckets.take('hook', 60_000), { allowed: false, retryAfterMs: 1000 });
});

test('a clock going backwards mints no tokens', () => {
  const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 1 });
  buckets.take('hook', 10_000);
  assert.equal(buckets.take('hook', 0), { allowed: false, retryAfterMs: 1000 });
});

test('retryAfterSeconds rounds up and is at least 1', () => {
  assert.is(retryAfterSeconds(0), 1);
  assert.is(retryAfterSeconds(1), 1);
  assert.is(retryAfterSeconds(1000), 1);
  assert.is(retryAfterSeconds(1001), 2);
});

test.run();
