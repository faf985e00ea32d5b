import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isHttpUrl, targetFields } from './target-fields.ts';

test('isHttpUrl accepts absolute http(s) URLs only', () => {
  const table: [string, boolean][] = [
    ['https://hooks.slack.com/services/T/B/x', true],
    ['http://127.0.0.1:8080/x', true],
    ['javascript:alert(1)', false],
    ['ftp://x.test/', false],
    ['/relative', false],
    ['mailto:a@b.c', false],
    ['', false],
  ];
  for (const [value, ok] of table) assert.is(isHttpUrl(value), ok, value);
});

test('reads valid fields', () => {
  const errors: string[] = [];
  const f = targetFields(
    'ops',
    { url: 'https://x.test', chatId: -100123, topic: 7, quiet: true, name: ' a ' },
    errors,
  );
  assert.equal(
    [
      f.url('url'),
      f.id('chatId'),
      f.optionalInteger('topic', 1, 10),
      f.optionalBoolean('quiet'),
      f.string('name'),
    ],
    ['https://x.test', '-100123', 7, true, 'a'],
  );
  assert.equal(
    [f.optionalString('none'), f.optionalUrl('none'), f.optionalBoolean('none')],
    [undefined, undefined, undefined],
  );
  f.rejectUnknown(['url', 'chatId', 'topic', 'quiet', 'name']);
  assert.equal(errors, []);
});

test('every bad field is named, never its value', () => {
  const errors: string[] = [];
  const f = targetFields(
    'ops',
    { url: 'ftp://secret', chatId: 1.5, topic: 0, quiet: 'yes', name: '', extra: 1 },
    errors,
  );
  f.url('url');
  f.id('chatId');
  f.optionalInteger('topic', 1, 10);
  f.optionalBoolean('quiet');
  f.string('name');
  f.string('missing');
  f.rejectUnknown(['url', 'chatId', 'topic', 'quiet', 'name']);
  assert.equal(errors, [
    'target "ops": url: expected an absolute http(s) URL',
    'target "ops": chatId: expected a non-empty string',
    'target "ops": topic: expected a whole number from 1 to 10',
    'target "ops": quiet: expected true or false',
    'target "ops": name: expected a non-empty string',
    'target "ops": missing: required',
    'target "ops": extra: unknown setting; expected one of url, chatId, topic, quiet, name',
  ]);
});

test.run();
