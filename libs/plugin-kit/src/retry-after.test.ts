import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { retryAfterMs } from './retry-after.ts';

const NOW = Date.parse('2026-11-24T14:00:00Z');

test('seconds, HTTP-dates, and unreadable values', () => {
  const table: [string | null | undefined, number | undefined][] = [
    ['7', 7000],
    [' 30 ', 30_000],
    ['0', 0],
    ['Tue, 24 Nov 2026 14:00:05 GMT', 5000],
    ['Tue, 24 Nov 2026 13:59:00 GMT', 0],
    ['soon', undefined],
    ['-3', undefined],
    ['1.5', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ];
  for (const [header, expected] of table) assert.is(retryAfterMs(header, NOW), expected, String(header));
});

test.run();
