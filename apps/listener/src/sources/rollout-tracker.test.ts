import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type RawDeployment, RolloutTracker } from './rollout-tracker.ts';

const NOW = new Date('2026-11-24T12:00:00Z');

function dep(
  generation: number,
  image: string,
  status: RawDeployment['status'],
  replicas = 2,
): RawDeployment {
  return {
    metadata: {
      uid: 'd1',
      name: 'web',
      namespace: 'shop',
      generation,
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': String(generation) },
    },
    spec: { replicas, template: { spec: { containers: [{ name: 'web', image }] } } },
    ...(status ? { status } : {}),
  };
}
const progressing = (gen: number) => ({
  observedGeneration: gen,
  replicas: 3,
  updatedReplicas: 1,
  availableReplicas: 2,
});
const done = (gen: number, n = 2) => ({
  observedGeneration: gen,
  replicas: n,
  updatedReplicas: n,
  availableReplicas: n,
});

function ids(steps: { event: { id?: string } }[]) {
  return steps.map((s) => s.event.id);
}

test('a new Deployment rolls out: Started then Completed once', () => {
  const t = new RolloutTracker({ cluster: 'c', now: () => NOW });
  assert.equal(ids(t.observe(dep(1, 'web:1', undefined))), ['rollout:d1:1:Started']);
  assert.equal(ids(t.observe(dep(1, 'web:1', progressing(1)))), []);
  assert.equal(ids(t.observe(dep(1, 'web:1', done(1)))), ['rollout:d1:1:Completed']);
  assert.equal(ids(t.observe(dep(1, 'web:1', done(1)))), [], 'a resync repeats nothing');
});

test('a template change is a rollout of its generation; scaling alone is not', () => {
  const t = new RolloutTracker({ cluster: 'c', now: () => NOW });
  t.learn(dep(1, 'web:1', done(1)));
  assert.equal(ids(t.observe(dep(2, 'web:1', done(1), 3))), [], 'scale to 3: no rollout');
  assert.equal(ids(t.observe(dep(2, 'web:1', done(2, 3), 3))), [], 'scaled and available: still no rollout');
  const started = t.observe(dep(3, 'web:2', done(2, 3), 3));
  assert.equal(ids(started), ['rollout:d1:3:Started']);
  assert.is(started[0]?.event.involvedObject?.generation, '3');
  assert.is(started[0]?.event.revision, '3');
  assert.equal(ids(t.observe(dep(3, 'web:2', progressing(3), 3))), []);
  assert.equal(ids(t.observe(dep(3, 'web:2', done(3, 3), 3))), ['rollout:d1:3:Completed']);
});

test('old replicas left over mean not complete', () => {
  const t = new RolloutTracker({ cluster: 'c', now: () => NOW });
  t.learn(dep(1, 'web:1', done(1)));
  t.observe(dep(2, 'web:2', done(1)));
  assert.equal(
    ids(
      t.observe(
        dep(2, 'web:2', { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 3 }),
      ),
    ),
    [],
  );
  assert.equal(ids(t.observe(dep(2, 'web:2', { ...done(2), unavailableReplicas: 1 }))), []);
  assert.equal(ids(t.observe(dep(2, 'web:2', done(2)))), ['rollout:d1:2:Completed']);
});

test('ProgressDeadlineExceeded is a failure, once, and no completion follows for that generation', () => {
  const t = new RolloutTracker({ cluster: 'c', now: () => NOW });
  t.learn(dep(1, 'web:1', done(1)));
  t.observe(dep(2, 'web:bad', done(1)));
  const failed = {
    ...progressing(2),
    conditions: [
      {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: 'ReplicaSet "web-2" has timed out progressing.',
      },
    ],
  };
  const steps = t.observe(dep(2, 'web:bad', failed));
  assert.equal(ids(steps), ['rollout:d1:2:Failed']);
  assert.is(steps[0]?.event.type, 'EVENT_TYPE_WARNING');
  assert.is(
    steps[0]?.event.message,
    'Rollout of generation 2 failed: ReplicaSet "web-2" has timed out progressing.',
  );
  assert.equal(ids(t.observe(dep(2, 'web:bad', failed))), []);
  assert.equal(ids(t.observe(dep(2, 'web:bad', done(2)))), []);
  assert.equal(ids(t.observe(dep(3, 'web:3', done(2)))), ['rollout:d1:3:Started'], 'a fix is a new rollout');
});

test('learn at start-up emits nothing later for what was already complete, and reports the implied steps', () => {
  const t = new RolloutTracker({ cluster: 'c', now: () => NOW });
  assert.equal(ids(t.learn(dep(4, 'web:4', done(4)))), ['rollout:d1:4:Started', 'rollout:d1:4:Completed']);
  assert.equal(ids(t.observe(dep(4, 'web:4', done(4)))), []);
});

test('a rollout in progress at start-up completes once after start', () => {
  const t = new RolloutTracker({ cluster: 'c', now: () => NOW });
  assert.equal(ids(t.learn(dep(5, 'web:5', progressing(5)))), ['rollout:d1:5:Started']);
  assert.equal(ids(t.observe(dep(5, 'web:5', done(5)))), ['rollout:d1:5:Completed']);
});

test('the Completed event reads well', () => {
  const t = new RolloutTracker({ cluster: 'prod', now: () => NOW });
  t.observe(dep(1, 'web:1', undefined));
  const [step] = t.observe(dep(1, 'web:1', done(1)));
  assert.equal(step?.event, {
    id: 'rollout:d1:1:Completed',
    source: 'SOURCE_ROLLOUT',
    involvedObject: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      uid: 'd1',
      labels: { app: 'web' },
      generation: '1',
    },
    reason: 'RolloutCompleted',
    type: 'EVENT_TYPE_NORMAL',
    rawType: 'Normal',
    message: 'Rollout of generation 1 completed: 2 of 2 replicas updated and available',
    action: 'Completed',
    count: 1,
    firstTimestamp: { seconds: '1795521600', nanos: 0 },
    lastTimestamp: { seconds: '1795521600', nanos: 0 },
    reportingComponent: 'k8slistener',
    cluster: 'prod',
    revision: '1',
  });
});

test('a forgotten Deployment that comes back is a new rollout', () => {
  const t = new RolloutTracker({ cluster: 'c', now: () => NOW });
  t.learn(dep(1, 'web:1', done(1)));
  t.forget(dep(1, 'web:1', done(1)));
  assert.equal(ids(t.observe(dep(1, 'web:1', undefined))), ['rollout:d1:1:Started']);
});

test.run();
