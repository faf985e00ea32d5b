import { createLogger } from '@k8slistener/log';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LabelResolver } from './label-resolver.ts';

const lines: string[] = [];
const log = createLogger({ name: 't', level: 'warn', format: 'json', write: (l) => lines.push(l) });
const RESOURCES: Record<string, string> = {
  'v1/Pod': 'pods',
  'apps/v1/ReplicaSet': 'replicasets',
  'v1/Node': 'nodes',
};
const kinds = { resourceOf: (v: string, k: string) => RESOURCES[`${v}/${k}`] };

function fakeApi(answers: Record<string, { status: number; body?: unknown }>) {
  const calls: string[] = [];
  return {
    calls,
    request: async <T>(_m: string, path: string) => {
      calls.push(path);
      const a = answers[path] ?? { status: 404 };
      return { status: a.status, body: a.body as T };
    },
  };
}

test('reads the labels of the object, namespaced or not, and remembers them for a while', async () => {
  const api = fakeApi({
    '/api/v1/namespaces/shop/pods/web-1': { status: 200, body: { metadata: { labels: { app: 'web' } } } },
    '/api/v1/nodes/n1': { status: 200, body: { metadata: { labels: { zone: 'a' } } } },
  });
  let now = 0;
  const r = new LabelResolver(api, kinds, log, () => now);
  const pod = { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'p1' };
  assert.equal(await r.labelsOf(pod), { app: 'web' });
  assert.equal(await r.labelsOf(pod), { app: 'web' });
  assert.equal(await r.labelsOf({ apiVersion: 'v1', kind: 'Node', name: 'n1' }), { zone: 'a' });
  assert.is(api.calls.length, 2);
  now = 61_000;
  await r.labelsOf(pod);
  assert.is(api.calls.length, 3, 'read again after the TTL');
});

test('a gone object has no labels; an unknown kind is not read', async () => {
  const api = fakeApi({});
  const r = new LabelResolver(api, kinds, log);
  assert.equal(await r.labelsOf({ apiVersion: 'v1', kind: 'Pod', namespace: 'x', name: 'gone' }), {});
  assert.equal(await r.labelsOf({ apiVersion: 'v1', kind: 'Widget', namespace: 'x', name: 'w' }), {});
  assert.equal(api.calls, ['/api/v1/namespaces/x/pods/gone']);
});

test('a forbidden kind is reported once and not asked again', async () => {
  lines.length = 0;
  const api = fakeApi({
    '/apis/apps/v1/namespaces/x/replicasets/a': { status: 403 },
  });
  const r = new LabelResolver(api, kinds, log);
  assert.equal(
    await r.labelsOf({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'x', name: 'a' }),
    {},
  );
  assert.equal(
    await r.labelsOf({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'x', name: 'b' }),
    {},
  );
  assert.is(api.calls.length, 1);
  assert.is(lines.length, 1);
  assert.ok(lines[0]?.includes('crds/rbac-labels.yaml'));
});

test.run();
