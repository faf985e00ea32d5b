import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_REASON_CHARS, responseErrorReason, searchErrorReason } from './search-error-reason.ts';

test('the server’s type and reason, with its cause', () => {
  const table: [unknown, string | undefined][] = [
    [
      {
        type: 'mapper_parsing_exception',
        reason: 'failed to parse field [@timestamp]',
        caused_by: { type: 'illegal_argument_exception', reason: 'failed to parse date field [yesterday]' },
      },
      'mapper_parsing_exception: failed to parse field [@timestamp] (caused by illegal_argument_exception: failed to parse date field [yesterday])',
    ],
    [{ type: 'es_rejected_execution_exception' }, 'es_rejected_execution_exception'],
    [{ reason: 'no type' }, 'no type'],
    ['Unauthorized', 'Unauthorized'],
    [{}, undefined],
    [null, undefined],
    [42, undefined],
  ];
  for (const [error, expected] of table) assert.is(searchErrorReason(error), expected, JSON.stringify(error));
});

test('a long reason is cut to MAX_REASON_CHARS', () => {
  const reason = searchErrorReason({ type: 't', reason: 'x'.repeat(5_000) });
  assert.is(reason?.length, MAX_REASON_CHARS);
  assert.ok(reason?.endsWith('…'));
});

test('a whole-request error body', () => {
  assert.is(
    responseErrorReason({
      error: { type: 'security_exception', reason: 'missing authentication' },
      status: 401,
    }),
    'security_exception: missing authentication',
  );
  assert.is(responseErrorReason({ status: 500 }), undefined);
  assert.is(responseErrorReason('<html>'), undefined);
});

test.run();
