import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_ITEM_RETRY_POLICY, itemRetryDelayMs } from './item-retry-policy.ts';

test('delays double from the initial backoff up to the cap, spread by the jitter', () => {
  const policy = { ...DEFAULT_ITEM_RETRY_POLICY, initialBackoffMs: 100, maxBackoffMs: 500, jitter: 0.2 };
  assert.equal(
    [1, 2, 3, 4, 5].map((attempt) => itemRetryDelayMs(policy, attempt, 0.5)),
    [100, 200, 400, 500, 500],
  );
  assert.is(itemRetryDelayMs(policy, 1, 0), 80);
  assert.is(itemRetryDelayMs(policy, 1, 0.999_999), 120);
});

test.run();
