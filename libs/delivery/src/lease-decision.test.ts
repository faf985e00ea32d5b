import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideLease, type LeaseRecord, observeLease, releasedLease } from './lease-decision.ts';

const DURATION = 15_000;
const held = (holderIdentity: string, renewTimeMs: number, leaseTransitions = 0): LeaseRecord => ({
  holderIdentity,
  leaseDurationMs: DURATION,
  acquireTimeMs: 0,
  renewTimeMs,
  leaseTransitions,
});
const decide = (
  observation: Parameters<typeof decideLease>[0]['observation'],
  identity: string,
  nowMs: number,
) => decideLease({ observation, identity, nowMs, leaseDurationMs: DURATION });

test('no lease: create it as holder', () => {
  assert.equal(decide(undefined, 'a', 1000), {
    action: 'create',
    record: {
      holderIdentity: 'a',
      leaseDurationMs: DURATION,
      acquireTimeMs: 1000,
      renewTimeMs: 1000,
      leaseTransitions: 0,
    },
  });
});

test('own lease: renew, keeping acquire time and transitions', () => {
  const observation = { record: { ...held('a', 1000, 3), acquireTimeMs: 500 }, observedAtMs: 1000 };
  assert.equal(decide(observation, 'a', 3000), {
    action: 'renew',
    record: {
      holderIdentity: 'a',
      leaseDurationMs: DURATION,
      acquireTimeMs: 500,
      renewTimeMs: 3000,
      leaseTransitions: 3,
    },
  });
});

test("another's live lease: follow, until a whole lease duration passes without a change", () => {
  const observation = { record: held('a', 1000), observedAtMs: 2000 };
  assert.equal(decide(observation, 'b', 2000), {
    action: 'follow',
    holderIdentity: 'a',
    expiresInMs: 15_000,
  });
  assert.equal(decide(observation, 'b', 16_999), { action: 'follow', holderIdentity: 'a', expiresInMs: 1 });
  const takeover = decide(observation, 'b', 17_000);
  assert.is(takeover.action, 'acquire');
  if (takeover.action === 'acquire') {
    assert.is(takeover.record.holderIdentity, 'b');
    assert.is(takeover.record.leaseTransitions, 1);
    assert.is(takeover.record.acquireTimeMs, 17_000);
  }
});

test("expiry is judged by the observer's clock, not the holder's renewTime (skew-proof)", () => {
  // The holder's clock runs an hour behind: its renewTime looks ancient, but it keeps changing.
  let observation = observeLease(undefined, held('a', -3_600_000), 0);
  observation = observeLease(observation, held('a', -3_598_000), 2000);
  assert.is(decide(observation, 'b', 10_000).action, 'follow');
  // An unchanged record keeps its first-seen time.
  const again = observeLease(observation, held('a', -3_598_000), 9000);
  assert.is(again.observedAtMs, 2000);
  assert.is(decide(again, 'b', 17_000).action, 'acquire');
});

test('a released lease is taken over at once', () => {
  const released = releasedLease(held('a', 1000, 2), 5000);
  assert.equal(released, { ...held('', 5000, 2), leaseDurationMs: 1000 });
  const decision = decide({ record: released, observedAtMs: 5000 }, 'b', 5001);
  assert.is(decision.action, 'acquire');
  if (decision.action === 'acquire') assert.is(decision.record.leaseTransitions, 3);
});

test('two candidates reading the same expired lease both try to acquire (the resourceVersion picks one)', () => {
  const observation = { record: held('old', 0), observedAtMs: 0 };
  assert.is(decide(observation, 'a', 20_000).action, 'acquire');
  assert.is(decide(observation, 'b', 20_000).action, 'acquire');
});

test.run();
