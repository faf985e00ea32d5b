import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { cacheDir } from '../src/cache-dir.ts';
import { type KubernetesStack, startKubernetes } from '../src/kube.ts';
import { type KubeEndpoint, kubeRequest } from '../src/kube-http.ts';
import { pidAlive, waitUntil } from '../src/managed-process.ts';
import { selfSignedCert } from '../src/tls.ts';

interface AuditEvent {
  verb: string;
  user: { username: string; groups?: string[] };
  objectRef?: { resource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
  stage: string;
}
interface AdmissionReview {
  request: {
    uid: string;
    operation: string;
    userInfo: { username: string };
    name: string;
    namespace: string;
  };
}

let kube: KubernetesStack;
let receiver: Server;
const audits: AuditEvent[] = [];
const reviews: AdmissionReview[] = [];
const RECEIVER_TOKEN = 'audit-receiver-token';
let endpoint: KubeEndpoint;

async function asUser(
  user: 'admin' | 'expert@org.com' | 'other@org.com',
  method: string,
  path: string,
  body?: unknown,
) {
  return kubeRequest(endpoint, kube.tokens[user], method, path, body);
}

test.before(async () => {
  const tls = await selfSignedCert(['127.0.0.1']);
  receiver = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        items?: AuditEvent[];
      } & AdmissionReview;
      if (req.url?.startsWith('/audit')) {
        // The audit backend presents the token from its webhook kubeconfig.
        if (req.headers.authorization !== `Bearer ${RECEIVER_TOKEN}`) {
          res.writeHead(401).end();
          return;
        }
        audits.push(...(body.items ?? []));
        res.writeHead(200).end();
      } else {
        reviews.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            apiVersion: 'admission.k8s.io/v1',
            kind: 'AdmissionReview',
            response: { uid: body.request.uid, allowed: true },
          }),
        );
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  kube = await startKubernetes({
    cache: cacheDir(),
    audit: { url: `https://127.0.0.1:${port}/audit`, caPem: tls.cert, token: RECEIVER_TOKEN },
    admissionWebhooks: [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'test-observer' },
        webhooks: [
          {
            name: 'observer.k8slistener.io',
            clientConfig: {
              url: `https://127.0.0.1:${port}/admit`,
              caBundle: Buffer.from(tls.cert).toString('base64'),
            },
            rules: [
              {
                apiGroups: [''],
                apiVersions: ['v1'],
                operations: ['CREATE', 'UPDATE', 'DELETE'],
                resources: ['configmaps'],
              },
            ],
            failurePolicy: 'Ignore',
            sideEffects: 'None',
            admissionReviewVersions: ['v1'],
            timeoutSeconds: 5,
          },
        ],
      },
    ],
  });
  endpoint = { server: kube.server, ca: kube.caPem };
});

test.after(async () => {
  await kube?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

test('the API server serves and reports its version', async () => {
  const res = await asUser('admin', 'GET', '/version');
  assert.is(res.status, 200);
  assert.is((res.json as { gitVersion: string }).gitVersion, 'v1.36.3');
});

test('each kubeconfig authenticates as its user', async () => {
  for (const user of ['admin', 'expert@org.com', 'other@org.com'] as const) {
    const config = parse(readFileSync(kube.kubeconfigs[user], 'utf8')) as {
      users: { user: { token: string } }[];
    };
    const token = config.users[0]?.user.token ?? '';
    const res = await kubeRequest(
      endpoint,
      token,
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      },
    );
    assert.is(res.status, 201);
    assert.is((res.json as { status: { userInfo: { username: string } } }).status.userInfo.username, user);
  }
});

test('a CustomResourceDefinition applies and its resource serves', async () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.smoke.k8slistener.io' },
    spec: {
      group: 'smoke.k8slistener.io',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
            },
          },
        },
      ],
    },
  };
  assert.is(
    (await asUser('admin', 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status,
    201,
  );
  const path = '/apis/smoke.k8slistener.io/v1/namespaces/default/widgets';
  await waitUntil(async () => (await asUser('expert@org.com', 'GET', path)).status === 200, {
    what: 'the Widget resource to serve',
    timeoutMs: 20_000,
  });
  const created = await asUser('expert@org.com', 'POST', path, {
    apiVersion: 'smoke.k8slistener.io/v1',
    kind: 'Widget',
    metadata: { name: 'w1' },
    spec: { size: 3 },
  });
  assert.is(created.status, 201);
  assert.is((created.json as { spec: { size: number } }).spec.size, 3);
});

test('a write as expert@org.com reaches the audit webhook attributed to that user', async () => {
  const res = await asUser('expert@org.com', 'POST', '/api/v1/namespaces/default/configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'audited' },
    data: { a: '1' },
  });
  assert.is(res.status, 201);
  await waitUntil(
    async () => audits.some((e) => e.objectRef?.name === 'audited' && e.stage === 'ResponseComplete'),
    {
      what: 'the audit event of the ConfigMap create',
      timeoutMs: 20_000,
    },
  );
  const events = audits.filter((e) => e.objectRef?.name === 'audited');
  assert.equal(
    events.map((e) => [
      e.stage,
      e.verb,
      e.user.username,
      e.objectRef?.resource,
      e.objectRef?.namespace,
      e.responseStatus?.code,
    ]),
    [['ResponseComplete', 'create', 'expert@org.com', 'configmaps', 'default', 201]],
  );
  assert.ok(events[0]?.user.groups?.includes('developers'));
});

test('a validating admission webhook configured at start sees the user of each write', async () => {
  const res = await asUser('other@org.com', 'POST', '/api/v1/namespaces/default/configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'admitted' },
  });
  assert.is(res.status, 201);
  const review = reviews.find((r) => r.request.name === 'admitted');
  assert.is(review?.request.operation, 'CREATE');
  assert.is(review?.request.userInfo.username, 'other@org.com');
  assert.is(review?.request.namespace, 'default');
});

test('stop ends etcd and the API server', async () => {
  const pids = kube.processes.map((p) => p.pid);
  await kube.stop();
  assert.equal(
    pids.filter((pid) => pidAlive(pid)),
    [],
  );
});

test.run();
