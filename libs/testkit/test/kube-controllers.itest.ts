import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheDir } from '../src/cache-dir.ts';
import { FAKE_NODE_NAME, type KubernetesStack, startKubernetes } from '../src/kube.ts';
import { type KubeEndpoint, kubeRequest } from '../src/kube-http.ts';
import { pidAlive, waitUntil } from '../src/managed-process.ts';

interface Deployment {
  metadata: { generation: number };
  status?: {
    observedGeneration?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    replicas?: number;
  };
}

let kube: KubernetesStack;
let endpoint: KubeEndpoint;
const path = '/apis/apps/v1/namespaces/default/deployments';

test.before(async () => {
  kube = await startKubernetes({ cache: cacheDir(), controllers: true });
  endpoint = { server: kube.server, ca: kube.caPem };
});

test.after(async () => {
  await kube?.stop();
});

async function rolledOut(name: string): Promise<Deployment> {
  let last: Deployment | undefined;
  await waitUntil(
    async () => {
      last = (await kubeRequest(endpoint, kube.tokens.admin, 'GET', `${path}/${name}`)).json as Deployment;
      const s = last.status ?? {};
      return (
        s.observedGeneration === last.metadata.generation &&
        s.updatedReplicas === 2 &&
        s.availableReplicas === 2 &&
        s.replicas === 2
      );
    },
    { what: `deployment ${name} to roll out`, timeoutMs: 60_000 },
  );
  if (!last) throw new Error('no deployment read');
  return last;
}

test('a Deployment created by expert@org.com rolls out to completion on the kwok node', async () => {
  const created = await kubeRequest(endpoint, kube.tokens['expert@org.com'], 'POST', path, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'web:1' }] },
      },
    },
  });
  assert.is(created.status, 201);
  const deployment = await rolledOut('web');
  assert.is(deployment.metadata.generation, 1);
  const pods = (
    await kubeRequest(
      endpoint,
      kube.tokens.admin,
      'GET',
      '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb',
    )
  ).json as { items: { spec: { nodeName: string }; status: { phase: string } }[] };
  assert.equal(
    pods.items.map((p) => [p.spec.nodeName, p.status.phase]),
    [
      [FAKE_NODE_NAME, 'Running'],
      [FAKE_NODE_NAME, 'Running'],
    ],
  );
});

test('a new template rolls out as generation 2 and old pods go away', async () => {
  const patched = await kubeRequest(
    endpoint,
    kube.tokens['other@org.com'],
    'PATCH',
    `${path}/web`,
    { spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } } },
    'application/strategic-merge-patch+json',
  );
  assert.is(patched.status, 200);
  const deployment = await rolledOut('web');
  assert.is(deployment.metadata.generation, 2);
  await waitUntil(
    async () => {
      const pods = (
        await kubeRequest(
          endpoint,
          kube.tokens.admin,
          'GET',
          '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb',
        )
      ).json as { items: { spec: { containers: { image: string }[] } }[] };
      return pods.items.length === 2 && pods.items.every((p) => p.spec.containers[0]?.image === 'web:2');
    },
    { what: 'only web:2 pods to remain', timeoutMs: 60_000 },
  );
});

test('stop ends every control-plane process', async () => {
  const pids = kube.processes.map((p) => p.pid);
  assert.equal(
    kube.processes.map((p) => p.name),
    ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'],
  );
  await kube.stop();
  assert.equal(
    pids.filter((pid) => pidAlive(pid)),
    [],
  );
});

test.run();
