import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_SLOW_MS, parseControl } from './double-control.ts';

const MODES = ['channel_not_found', 'server_error', 'drop'];

test('each action parses to its command', () => {
  const cases: [unknown, unknown][] = [
    [
      { action: 'fail', mode: 'channel_not_found' },
      { action: 'fail', mode: 'channel_not_found' },
    ],
    [
      { action: 'fail', mode: 'drop', count: 2 },
      { action: 'fail', mode: 'drop', count: 2 },
    ],
    [
      { action: 'fail', mode: 'drop', count: null },
      { action: 'fail', mode: 'drop' },
    ],
    [
      { action: 'rateLimit', retryAfterSeconds: 0 },
      { action: 'rateLimit', retryAfterSeconds: 0 },
    ],
    [
      { action: 'rateLimit', retryAfterSeconds: 30, count: 1 },
      { action: 'rateLimit', retryAfterSeconds: 30, count: 1 },
    ],
    [
      { action: 'slow', ms: 0 },
      { action: 'slow', ms: 0 },
    ],
    [
      { action: 'slow', ms: MAX_SLOW_MS },
      { action: 'slow', ms: MAX_SLOW_MS },
    ],
    [
      { action: 'autoRateLimit', limit: { ratePerSecond: 0.5, burst: 1 } },
      { action: 'autoRateLimit', limit: { ratePerSecond: 0.5, burst: 1 } },
    ],
    [
      { action: 'autoRateLimit', limit: null },
      { action: 'autoRateLimit', limit: null },
    ],
    [{ action: 'reset' }, { action: 'reset' }],
  ];
  for (const [input, command] of cases) {
    assert.equal(parseControl(input, MODES), { ok: true, commands: [command] }, JSON.stringify(input));
  }
});

test('an array is a list of commands applied in order', () => {
  assert.equal(
    parseControl(
      [
        { action: 'fail', mode: 'server_error', count: 2 },
        { action: 'rateLimit', retryAfterSeconds: 1, count: 1 },
      ],
      MODES,
    ),
    {
      ok: true,
      commands: [
        { action: 'fail', mode: 'server_error', count: 2 },
        { action: 'rateLimit', retryAfterSeconds: 1, count: 1 },
      ],
    },
  );
});

test('bad commands are rejected naming the field', () => {
  const cases: [unknown, string, string][] = [
    [null, '', 'expected an object'],
    ['fail', '', 'expected an object'],
    [[], '', 'expected at least one command'],
    [{}, 'action', 'expected one of "fail", "rateLimit", "slow", "autoRateLimit", "reset"'],
    [
      { action: 'explode' },
      'action',
      'expected one of "fail", "rateLimit", "slow", "autoRateLimit", "reset"',
    ],
    [{ action: 'fail' }, 'mode', 'expected one of "channel_not_found", "server_error", "drop"'],
    [
      { action: 'fail', mode: 'no_such_error' },
      'mode',
      'expected one of "channel_not_found", "server_error", "drop"',
    ],
    [
      { action: 'fail', mode: 'drop', count: 0 },
      'count',
      'expected a whole number, 1 or more (leave it out for "until reset")',
    ],
    [
      { action: 'fail', mode: 'drop', count: 1.5 },
      'count',
      'expected a whole number, 1 or more (leave it out for "until reset")',
    ],
    [
      { action: 'fail', mode: 'drop', count: '2' },
      'count',
      'expected a whole number, 1 or more (leave it out for "until reset")',
    ],
    [{ action: 'rateLimit' }, 'retryAfterSeconds', 'expected a whole number of seconds, 0 or more'],
    [
      { action: 'rateLimit', retryAfterSeconds: -1 },
      'retryAfterSeconds',
      'expected a whole number of seconds, 0 or more',
    ],
    [{ action: 'slow', ms: -1 }, 'ms', `expected a whole number of milliseconds from 0 to ${MAX_SLOW_MS}`],
    [
      { action: 'slow', ms: MAX_SLOW_MS + 1 },
      'ms',
      `expected a whole number of milliseconds from 0 to ${MAX_SLOW_MS}`,
    ],
    [
      { action: 'autoRateLimit' },
      'limit',
      'expected {"ratePerSecond": number, "burst": number} or null to switch it off',
    ],
    [
      { action: 'autoRateLimit', limit: { ratePerSecond: 0, burst: 1 } },
      'limit.ratePerSecond',
      'expected a number above 0',
    ],
    [
      { action: 'autoRateLimit', limit: { ratePerSecond: 1, burst: 0 } },
      'limit.burst',
      'expected a whole number, 1 or more',
    ],
  ];
  for (const [input, field, message] of cases) {
    assert.equal(
      parseControl(input, MODES),
      { ok: false, errors: [{ field, message }] },
      JSON.stringify(input),
    );
  }
});

test('every error of every command is reported, with its index', () => {
  assert.equal(parseControl([{ action: 'reset' }, { action: 'rateLimit', count: 0 }], MODES), {
    ok: false,
    errors: [
      { field: '[1].retryAfterSeconds', message: 'expected a whole number of seconds, 0 or more' },
      { field: '[1].count', message: 'expected a whole number, 1 or more (leave it out for "until reset")' },
    ],
  });
});

test.run();
