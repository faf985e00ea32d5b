import { status } from '@grpc/grpc-js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultRetryPolicy, nextDelay, type RetryPolicy, validateRetryPolicy } from './retry-policy.ts';

const mid = () => 0.5; // jitter term (2r − 1) = 0: the bare backoff
const low = () => 0; // −jitter
const high = () => 0.999_999; // ≈ +jitter

test('the default policy is valid and has the documented shape', () => {
  assert.equal(validateRetryPolicy(defaultRetryPolicy), []);
  assert.is(defaultRetryPolicy.initialBackoffMs, 500);
  assert.is(defaultRetryPolicy.multiplier, 2);
  assert.is(defaultRetryPolicy.maxBackoffMs, 30_000);
  assert.is(defaultRetryPolicy.maxElapsedMs, 300_000);
  assert.ok(!defaultRetryPolicy.retryableCodes.includes(status.INVALID_ARGUMENT));
  assert.ok(defaultRetryPolicy.retryableCodes.includes(status.UNIMPLEMENTED));
});

test('backoff doubles from half a second and is capped at half a minute', () => {
  const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) =>
    nextDelay(defaultRetryPolicy, attempt, 0, undefined, mid),
  );
  assert.equal(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
});

test('jitter spreads a wait by ±20 % and never above the cap', () => {
  assert.is(nextDelay(defaultRetryPolicy, 1, 0, undefined, low), 400);
  assert.is(nextDelay(defaultRetryPolicy, 1, 0, undefined, high), 600);
  assert.is(
    nextDelay(defaultRetryPolicy, 4, 0, undefined, () => 0.25),
    3600,
  );
  assert.is(nextDelay(defaultRetryPolicy, 10, 0, undefined, low), 24000);
  assert.is(nextDelay(defaultRetryPolicy, 10, 0, undefined, high), 30000);
});

test('retry_after is honoured: never earlier, spread upwards only, cut at maxRetryAfterMs', () => {
  assert.is(nextDelay(defaultRetryPolicy, 1, 0, 1000, low), 1000);
  assert.is(nextDelay(defaultRetryPolicy, 1, 0, 1000, mid), 1100);
  assert.is(nextDelay(defaultRetryPolicy, 7, 0, 2000, low), 2000, 'the hint replaces the larger backoff');
  assert.is(nextDelay(defaultRetryPolicy, 1, 0, 3_600_000, low), 60_000);
  assert.is(nextDelay(defaultRetryPolicy, 1, 0, 0, mid), 500, 'a zero hint means no hint');
});

test('gives up when the next attempt would start after maxElapsedMs', () => {
  assert.is(nextDelay(defaultRetryPolicy, 9, 270_000, undefined, mid), 30_000);
  assert.is(nextDelay(defaultRetryPolicy, 9, 270_001, undefined, mid), 'give-up');
  assert.is(nextDelay(defaultRetryPolicy, 1, 299_000, 5000, low), 'give-up');
});

test('a whole retry sequence under the default policy: attempts and total wait', () => {
  let elapsed = 0;
  const waits: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const delay = nextDelay(defaultRetryPolicy, attempt, elapsed, undefined, mid);
    if (delay === 'give-up') break;
    waits.push(delay);
    elapsed += delay;
  }
  // 0.5+1+2+4+8+16 = 31.5 s, then 30 s waits while they fit in 300 s: 8 more (271.5 s).
  assert.is(waits.length, 14);
  assert.is(elapsed, 271_500);
});

const bad: [string, Partial<RetryPolicy>, string][] = [
  ['negative initial', { initialBackoffMs: -1 }, 'initialBackoffMs must be a finite number ≥ 0; got -1'],
  ['NaN max', { maxBackoffMs: Number.NaN }, 'maxBackoffMs must be a finite number ≥ 0; got NaN'],
  [
    'infinite elapsed',
    { maxElapsedMs: Number.POSITIVE_INFINITY },
    'maxElapsedMs must be a finite number ≥ 0; got Infinity',
  ],
  [
    'negative retry-after cap',
    { maxRetryAfterMs: -5 },
    'maxRetryAfterMs must be a finite number ≥ 0; got -5',
  ],
  ['shrinking multiplier', { multiplier: 0.5 }, 'multiplier must be a finite number ≥ 1; got 0.5'],
  ['jitter above 1', { jitter: 1.5 }, 'jitter must be a number from 0 to 1; got 1.5'],
  [
    'cap below start',
    { initialBackoffMs: 1000, maxBackoffMs: 10 },
    'maxBackoffMs (10) must be ≥ initialBackoffMs (1000)',
  ],
  [
    'OK is not retryable',
    { retryableCodes: [0] },
    'retryableCodes: 0 is not a gRPC status code other than OK (1–16)',
  ],
  [
    'not a code',
    { retryableCodes: [17 as status] },
    'retryableCodes: 17 is not a gRPC status code other than OK (1–16)',
  ],
];
for (const [name, change, message] of bad) {
  test(`validateRetryPolicy names the option: ${name}`, () => {
    assert.equal(validateRetryPolicy({ ...defaultRetryPolicy, ...change }), [message]);
  });
}

test('validateRetryPolicy reports every bad option at once', () => {
  assert.is(validateRetryPolicy({ ...defaultRetryPolicy, jitter: -1, multiplier: 0 }).length, 2);
});

test.run();
