import type { KubeEvent__Output } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventFacts, isoSeconds, objectLabel, timestampDate } from './event-facts.ts';
import { backOffEvent, objectRef } from './test-events.ts';

const NOW = new Date('2026-11-24T15:00:00.000Z');

test('a decoded event reads as its facts', () => {
  const facts = eventFacts(backOffEvent(), NOW);
  assert.is(facts.source, 'Event');
  assert.is(facts.type, 'Warning');
  assert.is(facts.count, 3);
  assert.is(facts.time.toISOString(), '2026-11-24T14:02:11.250Z');
  assert.is(facts.firstTime?.toISOString(), '2026-11-24T13:58:00.000Z');
  assert.is(facts.object.generation, '');
  assert.equal(facts.object.labels, { app: 'web', 'app.kubernetes.io/name': 'web' });
  assert.is(facts.related.kind, 'Node');
  assert.equal(facts.actor.groups, []);
});

test('an event built by hand (input type: numeric enums, missing fields, number generation) reads the same way', () => {
  const facts = eventFacts(
    {
      source: 2,
      type: 1,
      involvedObject: { kind: 'Deployment', name: 'web', generation: 7 },
      lastTimestamp: { seconds: Date.parse('2026-11-24T14:02:11Z') / 1000, nanos: 5_000_000 },
    } as unknown as KubeEvent__Output,
    NOW,
  );
  assert.is(facts.source, 'Rollout');
  assert.is(facts.type, 'Normal');
  assert.is(facts.object.generation, '7');
  assert.is(facts.object.namespace, '');
  assert.is(facts.message, '');
  assert.is(facts.count, 0);
  assert.is(facts.time.toISOString(), '2026-11-24T14:02:11.005Z');
  assert.is(facts.firstTime, undefined);
});

test('an unknown type is kept verbatim from raw_type', () => {
  const facts = eventFacts(backOffEvent({ type: 'EVENT_TYPE_UNSPECIFIED', rawType: 'Critical' }), NOW);
  assert.is(facts.type, 'Critical');
});

test('unset, zero and garbage timestamps are no time; the event then happened "now"', () => {
  const table: unknown[] = [
    null,
    undefined,
    { seconds: '0', nanos: 0 },
    { seconds: 'x' },
    { seconds: '1e300' },
  ];
  for (const value of table) assert.is(timestampDate(value), undefined, JSON.stringify(value));
  assert.is(eventFacts(backOffEvent({ firstTimestamp: null, lastTimestamp: null }), NOW).time, NOW);
});

test('a label key "__proto__" stays a plain label', () => {
  const labels = JSON.parse('{"__proto__": "x", "app": "web"}') as Record<string, string>;
  const event = backOffEvent({ involvedObject: objectRef({ kind: 'Pod', name: 'web', labels }) });
  const facts = eventFacts(event, NOW);
  assert.equal(Object.keys(facts.object.labels), ['__proto__', 'app']);
  assert.is(Object.getPrototypeOf(facts.object.labels), Object.prototype);
});

test('times read to the second, objects as kind and path', () => {
  assert.is(isoSeconds(new Date('2026-11-24T14:02:11.250Z')), '2026-11-24T14:02:11Z');
  const facts = eventFacts(backOffEvent(), NOW);
  assert.is(objectLabel(facts.object), 'Pod shop/web-5d8f9-abcde');
  assert.is(objectLabel(facts.related), 'Node node-1');
  assert.is(objectLabel(eventFacts(backOffEvent({ involvedObject: null }), NOW).object), '');
});

test.run();
