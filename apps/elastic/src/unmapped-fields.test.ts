import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DOCUMENT_PROPERTIES } from './index-template.ts';
import { unmappedFields } from './unmapped-fields.ts';

test('lists the fields the schema does not map, however deep', () => {
  const document = {
    '@timestamp': '2026-11-24T14:02:11.000Z',
    severity: 'high',
    event: { reason: 'BackOff', note: 'x', message: 'm' },
    object: { labels: ['app=web'], annotations: { a: 'b' } },
    actor: { username: 'expert@org.com' },
  };
  assert.equal(unmappedFields(document, DOCUMENT_PROPERTIES), [
    'severity',
    'event.note',
    'object.annotations',
  ]);
});

test('a contract document has none; wrong shapes are the server’s to reject', () => {
  const document = {
    '@timestamp': '2026-11-24T14:02:11.000Z',
    cluster: 'prod',
    event: { count: 3, message: 'Back-off' },
    object: 'not an object',
    related: [{ kind: 'Node' }],
  };
  assert.equal(unmappedFields(document, DOCUMENT_PROPERTIES), []);
});

test.run();
