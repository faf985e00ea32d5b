import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dailyIndexName, expiredIndices, indexDayStartMs } from './index-name.ts';

test('daily index names follow the UTC day of the time', () => {
  const table: [string, string][] = [
    ['2026-11-24T14:02:11.000Z', 'k8s-2026.11.24'],
    ['2026-11-24T23:59:59.999Z', 'k8s-2026.11.24'],
    ['2026-11-25T00:00:00.000Z', 'k8s-2026.11.25'],
    ['2026-11-25T00:30:00.000+01:00', 'k8s-2026.11.24'],
    ['2027-01-01T00:00:00.000Z', 'k8s-2027.01.01'],
  ];
  for (const [time, expected] of table) assert.is(dailyIndexName('k8s', Date.parse(time)), expected, time);
});

test('only daily indices of the prefix have a day', () => {
  const table: [string, string | undefined][] = [
    ['k8s-2026.11.24', '2026-11-24'],
    ['k8s-audit-2026.11.24', '2026-11-24'],
    ['k8s-2026.02.29', undefined],
    ['k8s-2026.13.01', undefined],
    ['k8s-2026.11.24-restored', undefined],
    ['k8sx-2026.11.24', undefined],
    ['other-2026.11.24', undefined],
    ['k8s-', undefined],
    ['k8s-latest', undefined],
  ];
  for (const [name, day] of table) {
    const start = indexDayStartMs(name, 'k8s');
    assert.is(start === undefined ? undefined : new Date(start).toISOString().slice(0, 10), day, name);
  }
});

test('an index expires once its whole day lies more than retentionDays back', () => {
  const names = [
    'k8s-2026.11.24',
    'k8s-2026.11.17',
    'k8s-2026.11.16',
    'k8s-audit-2026.11.10',
    'k8s-2025.01.01',
    'other-2020.01.01',
    'k8s-keep',
  ];
  // 7 days before 2026-11-24 10:00 is 2026-11-17 10:00: the 17th still holds younger documents.
  assert.equal(expiredIndices(names, 'k8s', 7, Date.parse('2026-11-24T10:00:00Z')), [
    'k8s-2025.01.01',
    'k8s-audit-2026.11.10',
    'k8s-2026.11.16',
  ]);
  // At midnight ending the 17th + 7 days, the 17th goes too.
  assert.equal(expiredIndices(['k8s-2026.11.17'], 'k8s', 7, Date.parse('2026-11-25T00:00:00Z')), [
    'k8s-2026.11.17',
  ]);
  assert.equal(expiredIndices(['k8s-2026.11.17'], 'k8s', 7, Date.parse('2026-11-24T23:59:59Z')), []);
});

test.run();
