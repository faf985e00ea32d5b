import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bulkBody, operationBytes } from './bulk-body.ts';

const operations = [
  { index: 'k8s-2026.11.24', id: 'd-1', source: '{"@timestamp":"2026-11-24T10:00:00Z"}' },
  { index: 'k8s-2026.11.23', id: 'd"2', source: '{"event":{"message":"ü"}}' },
];

test('one index action and one source line per document, newline-terminated', () => {
  assert.is(
    bulkBody(operations),
    '{"index":{"_index":"k8s-2026.11.24","_id":"d-1"}}\n{"@timestamp":"2026-11-24T10:00:00Z"}\n' +
      '{"index":{"_index":"k8s-2026.11.23","_id":"d\\"2"}}\n{"event":{"message":"ü"}}\n',
  );
  assert.is(bulkBody([]), '');
});

test('the bytes of an operation are its UTF-8 lines', () => {
  const [first, second] = operations as [(typeof operations)[0], (typeof operations)[0]];
  assert.is(operationBytes(first), Buffer.byteLength(bulkBody([first])));
  assert.is(operationBytes(second), bulkBody([second]).length + 1);
});

test.run();
