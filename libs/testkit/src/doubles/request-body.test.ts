import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mediaType, parseBody, parseJson } from './request-body.ts';

test('mediaType drops parameters and case', () => {
  assert.is(mediaType('Application/JSON; charset=utf-8'), 'application/json');
  assert.is(mediaType(undefined), '');
});

test('a JSON body is parsed when declared JSON', () => {
  const cases: [string | undefined, string, unknown][] = [
    ['application/json', '{"text":"hi"}', { text: 'hi' }],
    ['application/json; charset=utf-8', '[1,2]', [1, 2]],
    ['application/vnd.api+json', '"x"', 'x'],
    ['application/json', '{not json', undefined],
    ['text/plain', '{"text":"hi"}', undefined],
    [undefined, '{"text":"hi"}', undefined],
  ];
  for (const [type, text, json] of cases) {
    assert.equal(parseBody(type, text), { json, form: undefined }, `${type} ${text}`);
  }
});

test('a form body is decoded into its fields', () => {
  assert.equal(parseBody('application/x-www-form-urlencoded', 'chat_id=42&text=a%20b+c&text=last'), {
    json: undefined,
    form: { chat_id: '42', text: 'last' },
  });
});

test('parseJson reports why a body is not JSON', () => {
  assert.equal(parseJson('{"a":1}'), { ok: true, value: { a: 1 } });
  const bad = parseJson('{');
  assert.is(bad.ok, false);
  assert.ok(!bad.ok && bad.reason.length > 0);
});

test.run();
