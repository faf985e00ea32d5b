import { createLogger } from '@k8slistener/log';
import type { KubeEvent } from '@k8slistener/proto';
import { toTimestamp } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeKubeApi, settle } from '../kube/fake-kube-api.ts';
import { ActorRegistry } from './actor-registry.ts';
import { startRolloutSource } from './rollout-source.ts';

const log = createLogger({ name: 't', level: 'error', format: 'json', write: () => {} });
const NOW = new Date('2026-11-24T12:00:00Z');

function dep(generation: number, image: string, ready: boolean) {
  return {
    metadata: { uid: 'd1', name: 'web', namespace: 'shop', generation },
    spec: { replicas: 1, template: { spec: { containers: [{ image }] } } },
    status: ready
      ? { observedGeneration: generation, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }
      : { observedGeneration: generation, replicas: 2, updatedReplicas: 1, availableReplicas: 1 },
  };
}

test('rollout steps carry the actor of the change that produced the generation', async () => {
  const api = new FakeKubeApi();
  api.items = [dep(1, 'web:1', true)];
  const actors = new ActorRegistry();
  const emitted: KubeEvent[] = [];
  const source = startRolloutSource({
    api,
    cluster: 'c',
    log,
    namespaces: [],
    actors,
    now: () => NOW,
    actorWaitMs: 1000,
    emit: async (e) => void emitted.push(e),
  });
  await source.firstSync;
  await settle();
  assert.equal(emitted, [], 'start-up does not replay');
  api.push({ type: 'MODIFIED', object: dep(2, 'web:2', false) });
  // The audit batch arrives after the watch event.
  setTimeout(
    () =>
      actors.record({
        source: 'SOURCE_CHANGE',
        verb: 'patch',
        involvedObject: {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
          generation: '2',
          subresource: '',
        },
        actor: { username: 'expert@org.com' },
        lastTimestamp: toTimestamp(NOW),
      }),
    20,
  );
  api.push({ type: 'MODIFIED', object: dep(2, 'web:2', true) });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(
    emitted.map((e) => [e.id, e.actor?.username]),
    [
      ['rollout:d1:2:Started', 'expert@org.com'],
      ['rollout:d1:2:Completed', 'expert@org.com'],
    ],
  );
  source.stop();
});

test('without any change report, a Started waits at most actorWaitMs and goes out without an actor', async () => {
  const api = new FakeKubeApi();
  const emitted: KubeEvent[] = [];
  const source = startRolloutSource({
    api,
    cluster: 'c',
    log,
    namespaces: ['shop'],
    actors: new ActorRegistry(),
    now: () => NOW,
    actorWaitMs: 30,
    emit: async (e) => void emitted.push(e),
  });
  await source.firstSync;
  assert.is(api.watches[0]?.path, '/apis/apps/v1/namespaces/shop/deployments');
  api.push({ type: 'ADDED', object: dep(1, 'web:1', false) });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(
    emitted.map((e) => [e.id, e.actor]),
    [['rollout:d1:1:Started', undefined]],
  );
  source.stop();
});

test('with a checkpoint, steps found at start-up that were never delivered are replayed', async () => {
  const api = new FakeKubeApi();
  api.items = [dep(3, 'web:3', true)];
  const emitted: string[] = [];
  const source = startRolloutSource({
    api,
    cluster: 'c',
    log,
    namespaces: [],
    actors: new ActorRegistry(),
    now: () => NOW,
    actorWaitMs: 0,
    replayAtStart: (e) => e.id === 'rollout:d1:3:Completed',
    emit: async (e) => void emitted.push(e.id ?? ''),
  });
  await source.firstSync;
  await settle();
  assert.equal(emitted, ['rollout:d1:3:Completed']);
  source.stop();
});

test.run();
