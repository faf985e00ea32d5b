import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { documentTimeMs, parseDocument } from './parse-document.ts';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const input = (documentJson: string, index = '') => ({
  documentJson,
  index,
  deliveryId: 'd-1',
  indexPrefix: 'k8s',
  nowMs: NOW,
});

test('a document becomes an index action under its delivery_id, in the daily index of its @timestamp', () => {
  const parsed = parseDocument(
    input('{\n  "@timestamp": "2026-11-20T23:59:59.000Z",\n  "delivery_id": "d-1",\n  "cluster": "prod"\n}'),
  );
  assert.equal(parsed, {
    value: {
      operation: {
        index: 'k8s-2026.11.20',
        id: 'd-1',
        source: '{"@timestamp":"2026-11-20T23:59:59.000Z","delivery_id":"d-1","cluster":"prod"}',
      },
      document: { '@timestamp': '2026-11-20T23:59:59.000Z', delivery_id: 'd-1', cluster: 'prod' },
    },
  });
});

test('a missing delivery_id field is filled in from the notification', () => {
  const parsed = parseDocument(input('{"@timestamp":"2026-11-20T10:00:00Z"}'));
  assert.ok('value' in parsed);
  assert.is(parsed.value.operation.source, '{"@timestamp":"2026-11-20T10:00:00Z","delivery_id":"d-1"}');
});

test('an index of the document goes under the target prefix, dated like the rest', () => {
  const parsed = parseDocument(input('{"@timestamp":"2026-11-20T10:00:00Z"}', 'k8s-audit'));
  assert.ok('value' in parsed);
  assert.is(parsed.value.operation.index, 'k8s-audit-2026.11.20');
});

test('what the plugin cannot store is refused, naming the field', () => {
  const table: [string, string, string[]][] = [
    ['not json', '', ['document_json: not valid JSON (']],
    ['[1,2]', '', ['document_json: expected a JSON object']],
    ['"text"', '', ['document_json: expected a JSON object']],
    ['null', '', ['document_json: expected a JSON object']],
    ['{"cluster":"prod"}', '', ['document_json: "@timestamp" is required']],
    ['{"@timestamp":""}', '', ['document_json: "@timestamp" is required']],
    ['{"@timestamp":null}', '', ['document_json: "@timestamp" is required']],
    [
      '{"@timestamp":"2026-11-20T10:00:00Z"}',
      'other',
      ['index: "other" must start with the target\'s prefix "k8s-", so the target\'s index template applies'],
    ],
    [
      '{"@timestamp":"2026-11-20T10:00:00Z"}',
      'k8s-Audit',
      ["index: \"k8s-Audit\" must be lower-case letters, digits, '.', '_' or '-', at most 200 characters"],
    ],
    [
      '{}',
      'k8s',
      [
        'document_json: "@timestamp" is required',
        'index: "k8s" must start with the target\'s prefix "k8s-", so the target\'s index template applies',
      ],
    ],
  ];
  for (const [json, index, expected] of table) {
    const parsed = parseDocument(input(json, index));
    assert.ok('errors' in parsed, json);
    assert.is(parsed.errors.length, expected.length, json);
    parsed.errors.forEach((error, i) => {
      assert.ok(error.startsWith(expected[i] as string), `${json}: ${error}`);
    });
  }
});

test('the time that names the index: ISO 8601 or epoch millis, else now (the server judges the value)', () => {
  const table: [unknown, number][] = [
    ['2026-11-20T10:00:00Z', Date.parse('2026-11-20T10:00:00Z')],
    ['2026-11-20', Date.parse('2026-11-20T00:00:00Z')],
    [1_763_632_800_000, 1_763_632_800_000],
    ['1763632800000', 1_763_632_800_000],
    ['yesterday', NOW],
    ['2026-13-45T99:00:00Z', NOW],
    [true, NOW],
    [{ a: 1 }, NOW],
    [1e20, NOW],
  ];
  for (const [value, expected] of table) assert.is(documentTimeMs(value, NOW), expected, String(value));
});

test.run();
