import type { KubeEvent } from '@k8slistener/proto';
import { toTimestamp } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ActorRegistry } from './actor-registry.ts';

function change(user: string, generation: number, time: string, extra: Partial<KubeEvent> = {}): KubeEvent {
  return {
    source: 'SOURCE_CHANGE',
    verb: 'patch',
    involvedObject: {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      generation: String(generation),
      subresource: '',
    },
    actor: { username: user },
    lastTimestamp: toTimestamp(new Date(time)),
    ...extra,
  };
}
const KEY = ActorRegistry.key('shop', 'Deployment', 'web');
const T = (s: string) => new Date(s).getTime();

test('the change that produced a generation names its actor', () => {
  const r = new ActorRegistry();
  r.record(change('expert@org.com', 2, '2026-11-24T12:00:00Z'));
  r.record(change('other@org.com', 3, '2026-11-24T12:01:00Z'));
  assert.is(r.find(KEY, 2, T('2026-11-24T12:05:00Z'))?.username, 'expert@org.com');
  assert.is(r.find(KEY, 3, T('2026-11-24T12:05:00Z'))?.username, 'other@org.com');
  assert.is(r.find(KEY, 4, T('2026-11-24T12:05:00Z')), undefined);
});

test('without generations, the latest change shortly before the rollout', () => {
  const r = new ActorRegistry();
  r.record(change('early@org.com', 0, '2026-11-24T11:00:00Z'));
  r.record(change('expert@org.com', 0, '2026-11-24T12:00:00Z'));
  assert.is(r.find(KEY, 5, T('2026-11-24T12:00:02Z'))?.username, 'expert@org.com');
  assert.is(r.find(KEY, 5, T('2026-11-24T12:10:00Z')), undefined, 'too long after any change');
});

test('only Change events with an actor on the object itself count', () => {
  const r = new ActorRegistry();
  r.record(change('a', 2, '2026-11-24T12:00:00Z', { source: 'SOURCE_EVENT' }));
  r.record(
    change('b', 2, '2026-11-24T12:00:00Z', {
      involvedObject: {
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        generation: '2',
        subresource: 'status',
      },
    }),
  );
  r.record(change('c', 2, '2026-11-24T12:00:00Z', { verb: 'delete' }));
  r.record(change('', 2, '2026-11-24T12:00:00Z'));
  assert.is(r.find(KEY, 2, T('2026-11-24T12:00:00Z')), undefined);
});

test('waitFor resolves when the change arrives, or undefined at the timeout', async () => {
  const r = new ActorRegistry();
  const waiting = r.waitFor(KEY, 7, T('2026-11-24T12:00:00Z'), 2000);
  setTimeout(() => r.record(change('late@org.com', 7, '2026-11-24T12:00:00Z')), 10);
  assert.is((await waiting)?.username, 'late@org.com');
  assert.is(await r.waitFor(KEY, 8, T('2026-11-24T12:00:00Z'), 20), undefined);
});

test.run();
