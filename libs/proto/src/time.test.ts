import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { durationMs, fromTimestamp, toDuration, toTimestamp } from './time.ts';

test('toTimestamp splits milliseconds into seconds and nanos', () => {
  assert.equal(toTimestamp(new Date('2026-11-24T14:02:11.250Z')), {
    seconds: '1795528931',
    nanos: 250_000_000,
  });
});

test('toTimestamp handles dates before the epoch with non-negative nanos', () => {
  assert.equal(toTimestamp(new Date(-1500)), { seconds: '-2', nanos: 500_000_000 });
});

test('fromTimestamp inverts toTimestamp', () => {
  const date = new Date('2026-01-02T03:04:05.678Z');
  assert.equal(fromTimestamp(toTimestamp(date))?.toISOString(), '2026-01-02T03:04:05.678Z');
});

test('fromTimestamp of an unset timestamp is undefined', () => {
  assert.is(fromTimestamp(null), undefined);
  assert.is(fromTimestamp(undefined), undefined);
});

test('toDuration and durationMs round-trip milliseconds', () => {
  assert.equal(toDuration(1500), { seconds: '1', nanos: 500_000_000 });
  assert.is(durationMs(toDuration(1500)), 1500);
  assert.is(durationMs({ seconds: '30', nanos: 0 }), 30_000);
  assert.is(durationMs(null), undefined);
});

test.run();
