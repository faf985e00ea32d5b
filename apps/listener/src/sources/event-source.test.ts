import { createLogger } from '@k8slistener/log';
import type { KubeEvent } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeKubeApi, settle } from '../kube/fake-kube-api.ts';
import { startEventSource } from './event-source.ts';

const log = createLogger({ name: 'test', level: 'error', format: 'json', write: () => {} });

function rawEvent(uid: string, count: number, time: string, extra: Record<string, unknown> = {}) {
  return {
    metadata: { uid, name: `e-${uid}`, namespace: 'shop', resourceVersion: `${count}` },
    series: count > 1 ? { count, lastObservedTime: time } : null,
    eventTime: time,
    reason: 'BackOff',
    note: 'Back-off restarting failed container',
    type: 'Warning',
    regarding: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-1', uid: `pod-${uid}` },
    ...extra,
  };
}

async function setup(items: unknown[], replayAtStart?: (e: KubeEvent) => boolean) {
  const api = new FakeKubeApi();
  api.items = items;
  const emitted: string[] = [];
  const source = startEventSource({
    api,
    cluster: 'test',
    log,
    namespaces: [],
    emit: async (e) => {
      emitted.push(e.id ?? '');
    },
    ...(replayAtStart ? { replayAtStart } : {}),
  });
  await source.firstSync;
  await settle();
  return { api, emitted, source };
}

test('start-up does not replay what already exists', async () => {
  const { api, emitted, source } = await setup([rawEvent('a', 1, '2026-11-24T10:00:00Z')]);
  assert.equal(emitted, []);
  assert.is(api.watches[0]?.resourceVersion, '100');
  assert.ok(source.synced());
  source.stop();
});

test('with a checkpoint, start-up replays what it says was not delivered', async () => {
  const { emitted, source } = await setup(
    [rawEvent('a', 1, '2026-11-24T10:00:00Z'), rawEvent('b', 1, '2026-11-24T10:00:01Z')],
    (e) => e.id === 'event:b:1',
  );
  assert.equal(emitted, ['event:b:1']);
  source.stop();
});

test('a new event and each new occurrence are emitted once; no-op updates are not', async () => {
  const { api, emitted, source } = await setup([rawEvent('a', 1, '2026-11-24T10:00:00Z')]);
  api.push(
    { type: 'ADDED', object: rawEvent('b', 1, '2026-11-24T10:01:00Z') },
    { type: 'MODIFIED', object: rawEvent('b', 1, '2026-11-24T10:01:00Z', { note: 'annotation changed' }) },
    { type: 'MODIFIED', object: rawEvent('a', 2, '2026-11-24T10:02:00Z') },
    { type: 'MODIFIED', object: rawEvent('a', 2, '2026-11-24T10:02:00Z') },
    { type: 'MODIFIED', object: rawEvent('a', 3, '2026-11-24T10:03:00Z') },
    { type: 'DELETED', object: rawEvent('b', 1, '2026-11-24T10:01:00Z') },
  );
  await settle();
  assert.equal(emitted, ['event:b:1', 'event:a:2', 'event:a:3']);
  source.stop();
});

test('a watch that ends resumes from the last resourceVersion without a relist', async () => {
  const { api, source } = await setup([]);
  api.push({ type: 'ADDED', object: rawEvent('c', 1, '2026-11-24T10:00:00Z') });
  api.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '777' } } });
  await settle();
  api.endWatch();
  await new Promise((r) => setTimeout(r, 1100));
  assert.is(api.lists, 1);
  assert.equal(
    api.watches.map((w) => w.resourceVersion),
    ['100', '777'],
  );
  source.stop();
});

test('410 Gone relists: new occurrences missed in the gap are emitted, known ones are not repeated', async () => {
  const { api, emitted, source } = await setup([rawEvent('a', 1, '2026-11-24T10:00:00Z')]);
  api.push({ type: 'ADDED', object: rawEvent('b', 1, '2026-11-24T10:05:00Z') });
  await settle();
  api.items = [
    rawEvent('a', 1, '2026-11-24T10:00:00Z'), // known, unchanged
    rawEvent('b', 2, '2026-11-24T10:06:00Z'), // known, new occurrence during the gap
    rawEvent('c', 1, '2026-11-24T10:07:00Z'), // new during the gap
    rawEvent('old', 1, '2026-11-24T09:00:00Z'), // unknown and long before anything processed
  ];
  api.endWatch(true);
  await new Promise((r) => setTimeout(r, 100));
  assert.is(api.lists, 2);
  assert.equal(emitted, ['event:b:1', 'event:b:2', 'event:c:1']);
  source.stop();
});

test('memory stays bounded: an evicted event that recurs is emitted as new', async () => {
  const api = new FakeKubeApi();
  const emitted: string[] = [];
  const source = startEventSource({
    api,
    cluster: 't',
    log,
    namespaces: ['shop'],
    memorySize: 2,
    emit: async (e) => void emitted.push(e.id ?? ''),
  });
  await source.firstSync;
  await settle();
  assert.is(api.watches[0]?.path, '/apis/events.k8s.io/v1/namespaces/shop/events');
  api.push(
    { type: 'ADDED', object: rawEvent('a', 1, '2026-11-24T10:00:00Z') },
    { type: 'ADDED', object: rawEvent('b', 1, '2026-11-24T10:00:01Z') },
    { type: 'ADDED', object: rawEvent('c', 1, '2026-11-24T10:00:02Z') },
    { type: 'MODIFIED', object: rawEvent('a', 1, '2026-11-24T10:00:00Z') },
  );
  await settle();
  assert.equal(emitted, ['event:a:1', 'event:b:1', 'event:c:1', 'event:a:1']);
  source.stop();
});

test.run();
