import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileRule } from './compile-rule.ts';
import { readyCondition } from './ready-condition.ts';

const NOW = new Date(Date.UTC(2026, 2, 4, 5, 6, 7, 890));
const GOOD = compileRule({
  apiVersion: 'k8slistener.io/v1alpha1',
  kind: 'ClusterEventRule',
  metadata: { name: 'r', generation: 3 },
  spec: {
    destinations: [
      { type: 'slack', target: 'deployments' },
      { type: 'elastic', target: 'k8s-events' },
    ],
  },
});
const BAD = compileRule({
  apiVersion: 'k8slistener.io/v1alpha1',
  kind: 'ClusterEventRule',
  metadata: { name: 'r', generation: 5 },
  spec: {
    match: { messageRegex: '[', expression: 'event.count' },
    destinations: [{ type: 'slack', target: 'a', template: { text: '{{> p}}' } }],
  },
});

test('a valid rule is Ready=True with the observed generation', () => {
  assert.equal(readyCondition(GOOD, 3, NOW), {
    type: 'Ready',
    status: 'True',
    reason: 'Valid',
    message: 'valid; delivers to slack/deployments, elastic/k8s-events',
    observedGeneration: 3,
    lastTransitionTime: '2026-03-04T05:06:07Z',
  });
});

test('an invalid rule is Ready=False and the message names every bad field', () => {
  const condition = readyCondition(BAD, 5, NOW);
  assert.is(condition.status, 'False');
  assert.is(condition.reason, 'InvalidRule');
  assert.is(condition.observedGeneration, 5);
  assert.match(
    condition.message,
    /^spec\.match\.messageRegex: is not a valid JavaScript regular expression: /,
  );
  assert.ok(condition.message.includes('; spec.match.expression: CEL must return bool, not int; '));
  assert.ok(
    condition.message.endsWith(
      '; spec.destinations[0].template.text: uses the partial {{> p}} at character 1; partials are not supported',
    ),
  );
});

test('lastTransitionTime stays while the status stays, and moves when it flips', () => {
  const earlier = { status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' };
  assert.is(readyCondition(GOOD, 4, NOW, earlier).lastTransitionTime, '2025-01-01T00:00:00Z');
  assert.is(readyCondition(BAD, 5, NOW, earlier).lastTransitionTime, '2026-03-04T05:06:07Z');
});

test('a very long message is cut to what metav1.Condition allows', () => {
  const errors = Array.from({ length: 2000 }, (_, i) => ({
    field: `spec.match.kinds[${i}]`,
    message: 'x'.repeat(20),
  }));
  const condition = readyCondition({ ok: false, errors }, 1, NOW);
  assert.is(condition.message.length, 32768);
  assert.ok(condition.message.endsWith('…'));
});

test.run();
