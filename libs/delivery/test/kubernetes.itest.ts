// The Kubernetes-backed parts against a real kube-apiserver: the ConfigMap
// checkpoint store (round trip, a conflicting writer, a corrupt checkpoint)
// and leader election over a real Lease (one leader of two, hand-over on stop,
// take-over of an expired lease).

import { cacheDir, type KubernetesStack, startKubernetes, waitUntil } from '@k8slistener/testkit';
import { CoordinationV1Api, CoreV1Api, KubeConfig, V1MicroTime } from '@kubernetes/client-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CHECKPOINT_DATA_KEY,
  CheckpointError,
  CheckpointTracker,
  ConfigMapCheckpointStore,
  LeaderElector,
} from '../src/index.ts';

const NAMESPACE = 'default';
let kube: KubernetesStack;
let kubeConfig: KubeConfig;
const electors: LeaderElector[] = [];

test.before(async () => {
  kube = await startKubernetes({ cache: cacheDir() });
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kube.kubeconfigs.admin);
});

test.after(async () => {
  for (const elector of electors) await elector.stop();
  await kube?.stop();
});

const store = (name: string) => new ConfigMapCheckpointStore({ kubeConfig, namespace: NAMESPACE, name });

test('the ConfigMap store round-trips a checkpoint and updates it in place', async () => {
  const writer = store('cp-roundtrip');
  assert.is(await writer.load(), undefined, 'nothing saved yet');
  const first = { watermark: '2026-03-01T12:00:00.000Z', done: ['e1', 'e2'] };
  await writer.save(first);
  assert.equal(await store('cp-roundtrip').load(), first);
  const second = { watermark: '2026-03-01T12:01:00.000Z', done: ['e3'] };
  await writer.save(second);
  assert.equal(await store('cp-roundtrip').load(), second);
  const cm = await kubeConfig
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ name: 'cp-roundtrip', namespace: NAMESPACE });
  assert.equal(JSON.parse(cm.data?.[CHECKPOINT_DATA_KEY] ?? '{}'), second);
});

test('a conflicting writer: the stale save merges instead of overwriting (nothing settled is forgotten, nothing pending skipped)', async () => {
  const a = store('cp-conflict');
  const b = store('cp-conflict');
  await a.save({ watermark: '2026-03-01T12:00:00.000Z', done: [] });
  await b.load(); // b now holds the same resourceVersion as a
  await a.save({ watermark: '2026-03-01T12:10:00.000Z', done: ['from-a'] });
  await b.save({ watermark: '2026-03-01T12:05:00.000Z', done: ['from-b'] }); // stale resourceVersion: 409, merged
  const merged = await store('cp-conflict').load();
  assert.equal(merged, { watermark: '2026-03-01T12:05:00.000Z', done: ['from-a', 'from-b'] });
  if (!merged) return;
  assert.is(CheckpointTracker.isDone(merged, 'from-a', new Date('2026-03-01T12:11:00Z')), true);
  assert.is(CheckpointTracker.isDone(merged, 'pending-in-a', new Date('2026-03-01T12:06:00Z')), false);
  // b keeps working after the merge (it now has the current resourceVersion).
  await b.save({ watermark: '2026-03-01T12:06:00.000Z', done: ['next'] });
  assert.equal(await store('cp-conflict').load(), { watermark: '2026-03-01T12:06:00.000Z', done: ['next'] });
});

test('a corrupt checkpoint is refused with the ConfigMap and key named', async () => {
  await kubeConfig.makeApiClient(CoreV1Api).createNamespacedConfigMap({
    namespace: NAMESPACE,
    body: {
      metadata: { name: 'cp-corrupt' },
      data: { [CHECKPOINT_DATA_KEY]: '{"watermark":"soon","done":[]}' },
    },
  });
  const error = await store('cp-corrupt')
    .load()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.instance(error, CheckpointError);
  assert.is(
    (error as Error).message,
    `ConfigMap default/cp-corrupt key ${CHECKPOINT_DATA_KEY}: watermark must be an ISO-8601 time; got "soon"`,
  );
});

function elector(
  name: string,
  identity: string,
  events: string[],
  timing: Partial<Record<string, number>> = {},
) {
  const e = new LeaderElector({
    kubeConfig,
    namespace: NAMESPACE,
    name,
    identity,
    // Long leases: a hand-over within the wait below can only come from the release, not expiry.
    leaseDurationMs: timing.leaseDurationMs ?? 60_000,
    renewDeadlineMs: timing.renewDeadlineMs ?? 30_000,
    retryPeriodMs: timing.retryPeriodMs ?? 300,
    onStartedLeading: () => events.push(`${identity} started`),
    onStoppedLeading: () => events.push(`${identity} stopped`),
  });
  electors.push(e);
  return e;
}

async function leaseHolder(name: string) {
  const lease = await kubeConfig
    .makeApiClient(CoordinationV1Api)
    .readNamespacedLease({ name, namespace: NAMESPACE });
  return { holder: lease.spec?.holderIdentity ?? '', transitions: lease.spec?.leaseTransitions ?? 0 };
}

test('two electors: exactly one leads; stopping it hands over to the other at once', async () => {
  const events: string[] = [];
  const a = elector('leader-pair', 'replica-a', events);
  const b = elector('leader-pair', 'replica-b', events);
  a.start();
  b.start();
  await waitUntil(async () => a.isLeader() || b.isLeader(), { what: 'a leader', timeoutMs: 20_000 });
  // Several rounds of both campaigning: never two leaders.
  for (let i = 0; i < 20; i++) {
    assert.is([a, b].filter((e) => e.isLeader()).length, 1);
    await new Promise((r) => setTimeout(r, 100));
  }
  const [leader, standby] = a.isLeader() ? [a, b] : [b, a];
  const leaderId = leader === a ? 'replica-a' : 'replica-b';
  const standbyId = leader === a ? 'replica-b' : 'replica-a';
  assert.equal(await leaseHolder('leader-pair'), { holder: leaderId, transitions: 0 });
  assert.equal(events, [`${leaderId} started`]);

  await leader.stop();
  assert.is(leader.isLeader(), false);
  // The lease lasts 60 s; the standby leading within 20 s proves the release, not expiry, handed over.
  await waitUntil(async () => standby.isLeader(), { what: 'the standby to lead', timeoutMs: 20_000 });
  assert.equal(await leaseHolder('leader-pair'), { holder: standbyId, transitions: 1 });
  assert.equal(events, [`${leaderId} started`, `${leaderId} stopped`, `${standbyId} started`]);
  await standby.stop();
});

test('a leader that vanished without releasing is replaced once its lease expires', async () => {
  const now = Date.now();
  await kubeConfig.makeApiClient(CoordinationV1Api).createNamespacedLease({
    namespace: NAMESPACE,
    body: {
      metadata: { name: 'leader-ghost' },
      spec: {
        holderIdentity: 'crashed-replica',
        leaseDurationSeconds: 2,
        acquireTime: new V1MicroTime(now),
        renewTime: new V1MicroTime(now),
        leaseTransitions: 4,
      },
    },
  });
  const events: string[] = [];
  const c = elector('leader-ghost', 'replica-c', events, {
    leaseDurationMs: 2000,
    renewDeadlineMs: 1500,
    retryPeriodMs: 300,
  });
  c.start();
  await new Promise((r) => setTimeout(r, 600));
  assert.is(c.isLeader(), false, 'a live-looking lease is respected');
  await waitUntil(async () => c.isLeader(), { what: 'take-over after expiry', timeoutMs: 20_000 });
  assert.equal(await leaseHolder('leader-ghost'), { holder: 'replica-c', transitions: 5 });
  await c.stop();
  assert.equal(events, ['replica-c started', 'replica-c stopped']);
});

test.run();
