import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DOCUMENT_PROPERTIES,
  type FieldMapping,
  indexTemplate,
  KEYWORD_IGNORE_ABOVE,
  SCHEMA_VERSION,
  TEMPLATE_PRIORITY,
  templateName,
} from './index-template.ts';

/** Every leaf of the mapping as `path → type`, the way the server's _mapping API shows it. */
function leafTypes(properties: Record<string, FieldMapping>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, mapping] of Object.entries(properties)) {
    if ('properties' in mapping) Object.assign(out, leafTypes(mapping.properties, `${prefix}${name}.`));
    else out[`${prefix}${name}`] = mapping.type;
  }
  return out;
}

test('every field of the document contract has its explicit type', () => {
  assert.equal(leafTypes(DOCUMENT_PROPERTIES), {
    '@timestamp': 'date',
    cluster: 'keyword',
    delivery_id: 'keyword',
    'event.id': 'keyword',
    'event.source': 'keyword',
    'event.reason': 'keyword',
    'event.type': 'keyword',
    'event.action': 'keyword',
    'event.verb': 'keyword',
    'event.count': 'long',
    'event.message': 'text',
    'event.first_timestamp': 'date',
    'event.last_timestamp': 'date',
    'event.reporting_component': 'keyword',
    'event.reporting_instance': 'keyword',
    'event.audit_id': 'keyword',
    'event.response_code': 'integer',
    'event.revision': 'keyword',
    'object.api_version': 'keyword',
    'object.kind': 'keyword',
    'object.namespace': 'keyword',
    'object.name': 'keyword',
    'object.uid': 'keyword',
    'object.generation': 'long',
    'object.subresource': 'keyword',
    'object.field_path': 'keyword',
    'object.labels': 'keyword',
    'related.api_version': 'keyword',
    'related.kind': 'keyword',
    'related.namespace': 'keyword',
    'related.name': 'keyword',
    'related.uid': 'keyword',
    'actor.username': 'keyword',
    'actor.uid': 'keyword',
    'actor.groups': 'keyword',
    'actor.impersonator': 'keyword',
    'actor.user_agent': 'keyword',
    'actor.source_ips': 'ip',
    'actor.learned_from': 'keyword',
    'rule.kind': 'keyword',
    'rule.namespace': 'keyword',
    'rule.name': 'keyword',
  });
});

test('the message is full text with an exact raw keyword; dates take ISO 8601 or epoch millis', () => {
  const event = DOCUMENT_PROPERTIES.event as { properties: Record<string, FieldMapping> };
  assert.equal(event.properties.message, {
    type: 'text',
    fields: { raw: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE } },
  });
  assert.equal(DOCUMENT_PROPERTIES['@timestamp'], {
    type: 'date',
    format: 'strict_date_optional_time||epoch_millis',
  });
});

test('the template covers <prefix>-*, keeps unknown fields out of the mapping and sets replicas', () => {
  const template = indexTemplate({ indexPrefix: 'k8s-events', replicas: 2 });
  assert.equal(template.index_patterns, ['k8s-events-*']);
  assert.is(template.priority, TEMPLATE_PRIORITY);
  assert.is(template.version, SCHEMA_VERSION);
  assert.equal(template.template.settings, { index: { number_of_shards: 1, number_of_replicas: 2 } });
  assert.is(template.template.mappings.dynamic, false);
  assert.equal(template.template.mappings._meta, { schema_version: SCHEMA_VERSION });
  assert.is(template.template.mappings.properties, DOCUMENT_PROPERTIES);
  assert.is(templateName('k8s-events'), 'k8s-events');
});

test.run();
