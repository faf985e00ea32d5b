// "Who did it" on a cluster whose API server flags cannot be set: the shipped
// observing ValidatingWebhookConfiguration (apps/listener/k8s/admission-webhook.yaml)
// pointed at a real listener process, which turns each write into a Change
// event with its user, and never blocks a write.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applyManifests,
  cacheDir,
  freePort,
  grpcRoutesConfig,
  type KubeEndpoint,
  type KubernetesStack,
  kubeAs,
  kubeRequest,
  type ManagedProcess,
  selfSignedCert,
  serviceAccountKubeconfig,
  startKubernetes,
  startProcess,
  startTestPlugin,
  startTraefik,
  type TestPlugin,
  type TraefikStack,
  waitUntil,
} from '@k8slistener/testkit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let kube: KubernetesStack;
let endpoint: KubeEndpoint;
let traefik: TraefikStack;
let plugin: TestPlugin;
let listener: ManagedProcess;
let dir: string;

const admin = (method: string, path: string, body?: unknown) =>
  kubeRequest(endpoint, kube.tokens.admin, method, path, body);

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'listener-admission-'));
  const tls = await selfSignedCert(['127.0.0.1']);
  writeFileSync(join(dir, 'tls.crt'), tls.cert);
  writeFileSync(join(dir, 'tls.key'), tls.key);
  writeFileSync(join(dir, 'tokens'), 'unused-by-admission\n');
  const webhookPort = await freePort();
  const httpPort = await freePort();
  // The shipped configuration, pointed at the listener on loopback instead of its Service.
  const shipped = parse(readFileSync(join(ROOT, 'apps/listener/k8s/admission-webhook.yaml'), 'utf8')) as {
    webhooks: { clientConfig: Record<string, unknown> }[];
  };
  for (const webhook of shipped.webhooks) {
    webhook.clientConfig = {
      url: `https://127.0.0.1:${webhookPort}/validate`,
      caBundle: Buffer.from(tls.cert).toString('base64'),
    };
  }
  kube = await startKubernetes({ cache: cacheDir(), admissionWebhooks: [shipped] });
  endpoint = { server: kube.server, ca: kube.caPem };
  await admin('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'k8slistener' },
  });
  for (const file of ['crds/clustereventrule.yaml', 'crds/eventrule.yaml', 'crds/rbac.yaml']) {
    await applyManifests(kubeAs(endpoint, kube.tokens.admin), readFileSync(join(ROOT, file), 'utf8'), file);
  }
  await waitUntil(
    async () => (await admin('GET', '/apis/k8slistener.io/v1alpha1/clustereventrules')).status === 200,
    {
      what: 'the rule CRDs',
      timeoutMs: 20_000,
    },
  );
  await admin('POST', '/apis/k8slistener.io/v1alpha1/clustereventrules', {
    apiVersion: 'k8slistener.io/v1alpha1',
    kind: 'ClusterEventRule',
    metadata: { name: 'expert-configmaps' },
    spec: {
      match: { sources: ['Change'], kinds: ['ConfigMap'], users: ['expert@org.com'] },
      destinations: [{ type: 'slack', target: 'ops' }],
    },
  });
  writeFileSync(
    join(dir, 'kubeconfig'),
    await serviceAccountKubeconfig(endpoint, kube.tokens.admin, 'k8slistener', 'k8slistener'),
  );
  plugin = await startTestPlugin({ messageType: 'slack', instance: 'p' });
  traefik = await startTraefik({ cache: cacheDir(), dynamicDir: join(dir, 'traefik') });
  writeFileSync(
    join(dir, 'traefik', 'routes.yml'),
    stringify(grpcRoutesConfig([{ messageType: 'slack', servers: [{ url: plugin.url }] }])),
  );
  listener = startProcess({
    name: 'listener',
    command: process.execPath,
    args: [join(ROOT, 'apps/listener/src/main.ts')],
    logFile: join(dir, 'listener.log'),
    env: {
      ...process.env,
      KUBECONFIG: join(dir, 'kubeconfig'),
      ROUTER_ADDRESS: traefik.grpcAddress,
      HTTP_ADDRESS: `127.0.0.1:${httpPort}`,
      WEBHOOK_ADDRESS: `127.0.0.1:${webhookPort}`,
      TLS_CERT_FILE: join(dir, 'tls.crt'),
      TLS_KEY_FILE: join(dir, 'tls.key'),
      WEBHOOK_TOKEN_FILE: join(dir, 'tokens'),
      POD_NAMESPACE: 'k8slistener',
      LEADER_ELECT: 'false',
      LOG_FORMAT: 'json',
    },
  });
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status === 200, {
    what: 'the listener to be ready',
    timeoutMs: 60_000,
    process: listener,
  });
});

test.after(async () => {
  await listener?.stop();
  await traefik?.stop();
  await plugin?.close();
  await kube?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('writes seen through the admission webhook carry their user; others do not match', async () => {
  const as = (user: 'expert@org.com' | 'other@org.com', name: string) =>
    kubeRequest(endpoint, kube.tokens[user], 'POST', '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name },
      data: { a: '1' },
    });
  assert.is((await as('other@org.com', 'by-other')).status, 201);
  assert.is((await as('expert@org.com', 'by-expert')).status, 201);
  await waitUntil(async () => plugin.received.length >= 1, {
    what: 'the Change event to reach the plugin',
    timeoutMs: 20_000,
  });
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(
    plugin.received.map((n) => [
      n.event?.reason,
      n.event?.involvedObject?.name,
      n.event?.actor?.username,
      n.event?.actor?.learnedFrom,
    ]),
    [['Created', 'by-expert', 'expert@org.com', 'admission']],
  );
});

test('a write goes through even when the listener is down (failurePolicy Ignore)', async () => {
  await listener.stop();
  const res = await kubeRequest(
    endpoint,
    kube.tokens['expert@org.com'],
    'POST',
    '/api/v1/namespaces/default/configmaps',
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'while-down' },
    },
  );
  assert.is(res.status, 201);
});

test.run();
