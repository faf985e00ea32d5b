import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ELASTIC_ARRAY_MAX_ITEMS,
  ELASTIC_KEYWORD_MAX_BYTES,
  ELASTIC_MESSAGE_MAX_BYTES,
  elasticDocument,
} from './elastic-document.ts';
import { eventFacts } from './event-facts.ts';
import { changeEvent, deploymentRef, emptyEvent } from './test-events.ts';
import { costOf, utf8Bytes } from './truncate.ts';

const NOW = new Date('2026-11-24T15:00:00.000Z');
const INPUT = {
  cluster: 'listener-cluster',
  deliveryId: 'd-123',
  rule: { kind: 'ClusterEventRule', namespace: '', name: 'everything-to-elastic' },
};
const deployment = deploymentRef();

function fullEvent() {
  return changeEvent({
    involvedObject: {
      ...deployment,
      labels: { 'app.kubernetes.io/name': 'web', app: 'web' },
      subresource: 'status',
      fieldPath: 'spec.containers{web}',
    },
    action: 'Scheduling',
    count: 3,
    reportingInstance: 'apiserver-1',
    related: {
      ...deployment,
      apiVersion: 'v1',
      kind: 'Node',
      namespace: '',
      name: 'node-1',
      uid: 'n1',
      labels: {},
    },
    revision: '3',
    actor: {
      username: 'expert@org.com',
      uid: 'u-42',
      groups: ['developers', 'system:authenticated'],
      impersonator: 'admin',
      userAgent: 'kubectl/v1.36.3 (linux/amd64)',
      sourceIps: ['127.0.0.1', '::1', 'not-an-ip'],
      learnedFrom: 'audit',
    },
  });
}

test('a full event becomes exactly the shared document, in schema order', () => {
  const expected = {
    '@timestamp': '2026-11-24T13:59:58.500Z',
    cluster: 'prod',
    delivery_id: 'd-123',
    event: {
      id: 'change:a-1',
      source: 'Change',
      reason: 'Patched',
      type: 'Normal',
      action: 'Scheduling',
      verb: 'patch',
      count: 3,
      message: 'expert@org.com patched Deployment shop/web',
      first_timestamp: '2026-11-24T13:59:58.500Z',
      last_timestamp: '2026-11-24T13:59:58.500Z',
      reporting_component: 'kube-apiserver',
      reporting_instance: 'apiserver-1',
      audit_id: 'a-1',
      response_code: 200,
      revision: '3',
    },
    object: {
      api_version: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      uid: 'd1',
      generation: 3,
      subresource: 'status',
      field_path: 'spec.containers{web}',
      labels: ['app=web', 'app.kubernetes.io/name=web'],
    },
    related: { api_version: 'v1', kind: 'Node', name: 'node-1', uid: 'n1' },
    actor: {
      username: 'expert@org.com',
      uid: 'u-42',
      groups: ['developers', 'system:authenticated'],
      impersonator: 'admin',
      user_agent: 'kubectl/v1.36.3 (linux/amd64)',
      source_ips: ['127.0.0.1', '::1'],
      learned_from: 'audit',
    },
    rule: { kind: 'ClusterEventRule', name: 'everything-to-elastic' },
  };
  assert.equal(elasticDocument(eventFacts(fullEvent(), NOW), INPUT), {
    documentJson: JSON.stringify(expected),
    index: '',
  });
});

test('a minimal event: only what is known, the listener cluster, and the time it was seen', () => {
  const document = elasticDocument(eventFacts(emptyEvent(), NOW), INPUT);
  assert.is(
    document.documentJson,
    '{"@timestamp":"2026-11-24T15:00:00.000Z","cluster":"listener-cluster","delivery_id":"d-123","rule":{"kind":"ClusterEventRule","name":"everything-to-elastic"}}',
  );
  assert.is(document.index, '');
});

test('cluster text is stored raw: it is data, not a chat message', () => {
  const message = '@channel <!here> <b>x</b> *bold* https://evil.com &lt; \u202E';
  const parsed = JSON.parse(elasticDocument(eventFacts(changeEvent({ message }), NOW), INPUT).documentJson);
  assert.is(parsed.event.message, message);
});

test('sizes are capped: message, keywords, arrays; a generation beyond 2^53 stays exact', () => {
  const labels = Object.fromEntries(
    Array.from({ length: 300 }, (_, i) => [`k${String(i).padStart(3, '0')}`, 'v']),
  );
  const event = changeEvent({
    message: '€'.repeat(20_000),
    reason: 'R'.repeat(10_000),
    involvedObject: { ...deployment, labels, generation: '9007199254740993' },
  });
  const parsed = JSON.parse(elasticDocument(eventFacts(event, NOW), INPUT).documentJson);
  assert.is(costOf(parsed.event.message, utf8Bytes), ELASTIC_MESSAGE_MAX_BYTES - 2);
  assert.ok(parsed.event.message.endsWith('€…'));
  assert.is(parsed.event.reason, `${'R'.repeat(ELASTIC_KEYWORD_MAX_BYTES - 3)}…`);
  assert.is(parsed.object.labels.length, ELASTIC_ARRAY_MAX_ITEMS);
  assert.is(parsed.object.labels[0], 'k000=v');
  assert.is(parsed.object.generation, '9007199254740993');
});

test.run();
