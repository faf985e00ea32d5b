import { fromTimestamp } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventToKubeEvent, occurrenceCount, occurrenceTime } from './event-conversion.ts';

test('a full events.k8s.io/v1 Event becomes a KubeEvent', () => {
  const event = eventToKubeEvent(
    {
      metadata: { uid: 'u1', name: 'web.1', namespace: 'shop', creationTimestamp: '2026-11-24T10:00:00Z' },
      eventTime: '2026-11-24T10:00:00.123456Z',
      series: { count: 4, lastObservedTime: '2026-11-24T10:05:00.5Z' },
      reason: 'BackOff',
      note: 'Back-off restarting failed container web',
      type: 'Warning',
      action: 'Restarting',
      reportingController: 'kubelet',
      reportingInstance: 'node-1',
      regarding: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: 'shop',
        name: 'web-1',
        uid: 'p1',
        fieldPath: 'spec.containers{web}',
      },
      related: { apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'n1' },
    },
    'prod',
  );
  assert.is(event.id, 'event:u1:4');
  assert.is(event.source, 'SOURCE_EVENT');
  assert.is(event.type, 'EVENT_TYPE_WARNING');
  assert.is(event.rawType, 'Warning');
  assert.is(event.count, 4);
  assert.is(event.cluster, 'prod');
  assert.is(event.message, 'Back-off restarting failed container web');
  assert.is(event.action, 'Restarting');
  assert.is(event.reportingComponent, 'kubelet');
  assert.equal(event.involvedObject, {
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: 'shop',
    name: 'web-1',
    uid: 'p1',
    fieldPath: 'spec.containers{web}',
  });
  assert.is(event.related?.kind, 'Node');
  assert.is(fromTimestamp(event.lastTimestamp)?.toISOString(), '2026-11-24T10:05:00.500Z');
  assert.is(fromTimestamp(event.firstTimestamp)?.toISOString(), '2026-11-24T10:00:00.123Z');
});

test('counts and times fall back from series to legacy fields to creation', () => {
  assert.is(occurrenceCount({}), 1);
  assert.is(occurrenceCount({ deprecatedCount: 3 }), 3);
  assert.is(occurrenceCount({ deprecatedCount: 3, series: { count: 5 } }), 5);
  assert.is(
    occurrenceTime({ metadata: { creationTimestamp: '2026-01-01T00:00:00Z' } }).toISOString(),
    '2026-01-01T00:00:00.000Z',
  );
  assert.is(
    occurrenceTime({
      deprecatedLastTimestamp: '2026-01-02T00:00:00Z',
      eventTime: '2026-01-01T00:00:00Z',
    }).toISOString(),
    '2026-01-02T00:00:00.000Z',
  );
  assert.is(occurrenceTime({}).getTime(), 0);
});

test('an unknown type is kept verbatim', () => {
  const event = eventToKubeEvent({ metadata: { uid: 'x' }, type: 'Info' }, 'c');
  assert.is(event.type, 'EVENT_TYPE_UNSPECIFIED');
  assert.is(event.rawType, 'Info');
  assert.is(event.id, 'event:x:1');
});

test.run();
