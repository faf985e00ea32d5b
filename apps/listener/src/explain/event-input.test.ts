import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseEventInput } from './event-input.ts';

test('a hand-written event with friendly names', () => {
  const result = parseEventInput(
    `source: Rollout
reason: RolloutCompleted
type: Normal
time: 2026-11-24T12:00:00Z
involvedObject: { kind: Deployment, namespace: shop, name: web, labels: { app: web } }
actor: { username: expert@org.com }
`,
    'prod',
  );
  if (!('events' in result)) return assert.unreachable();
  const [e] = result.events;
  assert.is(e?.source, 'SOURCE_ROLLOUT');
  assert.is(e?.type, 'EVENT_TYPE_NORMAL');
  assert.is(e?.involvedObject?.kind, 'Deployment');
  assert.equal(e?.involvedObject?.labels, { app: 'web' });
  assert.is(e?.actor?.username, 'expert@org.com');
  assert.is(e?.cluster, 'prod');
});

test('a core/v1 Event as kubectl prints it', () => {
  const result = parseEventInput(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { uid: 'e1', namespace: 'shop' },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1' },
      reason: 'BackOff',
      message: 'Back-off restarting',
      type: 'Warning',
      count: 5,
      lastTimestamp: '2026-11-24T12:00:00Z',
      source: { component: 'kubelet' },
    }),
    'c',
  );
  if (!('events' in result)) return assert.unreachable();
  assert.is(result.events[0]?.id, 'event:e1:5');
  assert.is(result.events[0]?.message, 'Back-off restarting');
  assert.is(result.events[0]?.reportingComponent, 'kubelet');
});

test('an audit EventList yields its successful writes', () => {
  const result = parseEventInput(
    JSON.stringify({
      apiVersion: 'audit.k8s.io/v1',
      kind: 'EventList',
      items: [
        {
          auditID: 'a',
          stage: 'ResponseComplete',
          verb: 'create',
          objectRef: { resource: 'configmaps', namespace: 'x', name: 'y' },
          responseStatus: { code: 201 },
          user: { username: 'u' },
        },
        {
          auditID: 'b',
          stage: 'ResponseComplete',
          verb: 'get',
          objectRef: { resource: 'configmaps' },
          responseStatus: { code: 200 },
        },
      ],
    }),
    'c',
  );
  if (!('events' in result)) return assert.unreachable();
  assert.equal(
    result.events.map((e) => [e.id, e.involvedObject?.kind]),
    [['change:a', 'Configmap']],
  );
});

test('bad YAML and empty input say what is wrong', () => {
  const bad = parseEventInput('a: [', 'c');
  assert.ok('errors' in bad && bad.errors[0]?.startsWith('document 1: '));
  assert.equal(parseEventInput('', 'c'), { errors: ['no event found in the input'] });
});

test.run();
