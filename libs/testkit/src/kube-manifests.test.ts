import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectionPath, expectStatus } from './kube-manifests.ts';

test('collection paths for core, grouped, namespaced and cluster-scoped kinds', () => {
  for (const [object, path] of [
    [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, '/api/v1/namespaces'],
    [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', namespace: 'k' } },
      '/api/v1/namespaces/k/serviceaccounts',
    ],
    [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' } },
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    ],
    [
      {
        apiVersion: 'k8slistener.io/v1alpha1',
        kind: 'EventRule',
        metadata: { name: 'r', namespace: 'shop' },
      },
      '/apis/k8slistener.io/v1alpha1/namespaces/shop/eventrules',
    ],
    [
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'x' } },
      '/apis/networking.k8s.io/v1/namespaces/x/ingresses',
    ],
  ] as const) {
    assert.is(collectionPath(object), path);
  }
});

test('expectStatus passes wanted answers and names the step otherwise', async () => {
  const ok = { status: 201, body: '{}', json: {} };
  assert.is(await expectStatus(Promise.resolve(ok), 'x'), ok);
  try {
    await expectStatus(
      Promise.resolve({ status: 403, body: 'forbidden', json: undefined }),
      'creating Role r',
    );
    assert.unreachable();
  } catch (error) {
    assert.is((error as Error).message, 'creating Role r: the API server answered 403: forbidden');
  }
});

test.run();
