import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, loggerSettings } from './logger.ts';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
  const lines: string[] = [];
  const log = createLogger({
    name: 'listener',
    format: 'json',
    level,
    write: (l) => lines.push(l),
    now: () => new Date('2026-11-24T12:00:00Z'),
  });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('one JSON object per line with time, level, logger, msg and fields', () => {
  const { log, lines, parsed } = capture();
  log.info('delivered', { deliveryId: 'd1', attempt: 1 });
  assert.is(lines.length, 1);
  assert.ok(lines[0]?.endsWith('\n'));
  assert.equal(parsed(), [
    {
      time: '2026-11-24T12:00:00.000Z',
      level: 'info',
      logger: 'listener',
      msg: 'delivered',
      deliveryId: 'd1',
      attempt: 1,
    },
  ]);
});

test('levels below the threshold are dropped; warn and error keep their names', () => {
  const { log, parsed } = capture('warn');
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
  assert.equal(
    parsed().map((p) => [p.level, p.msg]),
    [
      ['warn', 'w'],
      ['error', 'e'],
    ],
  );
});

test('child loggers add their bindings; call fields win', () => {
  const { log, parsed } = capture();
  log.child({ type: 'slack', target: 'ops' }).child({ rule: 'r1' }).info('x', { target: 'dev' });
  assert.equal(parsed()[0], {
    time: '2026-11-24T12:00:00.000Z',
    level: 'info',
    logger: 'listener',
    msg: 'x',
    type: 'slack',
    target: 'dev',
    rule: 'r1',
  });
});

test('secrets never reach the output', () => {
  const { log, lines } = capture();
  log.error('POST https://hooks.slack.com/services/T1/B2/sekret failed', {
    token: 'abc123',
    url: 'https://u:pw@h/',
  });
  assert.not.ok(lines[0]?.includes('sekret'));
  assert.not.ok(lines[0]?.includes('abc123'));
  assert.not.ok(lines[0]?.includes('pw@'));
});

test('settings from the environment, with errors that name the variable', () => {
  assert.equal(loggerSettings({}, false), { level: 'info', format: 'json' });
  assert.equal(loggerSettings({}, true), { level: 'info', format: 'pretty' });
  assert.equal(loggerSettings({ LOG_LEVEL: 'DEBUG', LOG_FORMAT: 'json' }, true), {
    level: 'debug',
    format: 'json',
  });
  assert.equal(loggerSettings({ LOG_LEVEL: 'loud', LOG_FORMAT: 'xml' }, false), {
    errors: [
      'LOG_LEVEL must be one of debug, info, warn, error; got "loud"',
      'LOG_FORMAT must be json or pretty; got "xml"',
    ],
  });
});

test.run();
