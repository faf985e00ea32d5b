// The listener for real: a real API server with controllers and kwok, the
// audit webhook pointing at the listener, the shipped CRDs, RBAC, audit policy
// and example rules, the real Traefik, and test plugins behind it. The listener
// runs as its own process with the least-privilege ServiceAccount of crds/rbac.yaml.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Notification__Output } from '@k8slistener/proto';
import {
  applyManifests,
  cacheDir,
  freePort,
  grpcRoutesConfig,
  type KubeEndpoint,
  type KubernetesStack,
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
const MAIN = join(ROOT, 'apps/listener/src/main.ts');
const WEBHOOK_TOKEN = 'itest-audit-token-0123456789';

let kube: KubernetesStack;
let endpoint: KubeEndpoint;
let traefik: TraefikStack;
let listener: ManagedProcess;
let httpPort: number;
let dir: string;
const plugins: Record<string, TestPlugin> = {};

const as =
  (user: 'admin' | 'expert@org.com' | 'other@org.com') =>
  (method: string, path: string, body?: unknown, type?: string) =>
    kubeRequest(endpoint, kube.tokens[user], method, path, body, type);
const admin = as('admin');

async function must(
  res: Promise<{ status: number; body: string }>,
  ok: number[] = [200, 201],
): Promise<void> {
  const r = await res;
  if (!ok.includes(r.status)) throw new Error(`unexpected ${r.status}: ${r.body}`);
}

async function applyYamlFile(file: string): Promise<void> {
  await applyManifests(admin, readFileSync(join(ROOT, file), 'utf8'), file);
}

function received(type: string, rule?: string): Notification__Output[] {
  return (plugins[type]?.received ?? []).filter((n) => rule === undefined || n.rule?.name === rule);
}

function describe(n: Notification__Output): string {
  const e = n.event;
  return `${e?.reason} ${e?.involvedObject?.kind} ${e?.involvedObject?.namespace}/${e?.involvedObject?.name} g${e?.involvedObject?.generation} by ${e?.actor?.username || '-'}`;
}

async function ruleReady(
  path: string,
): Promise<{ status: string; message: string; observedGeneration: number }> {
  let condition: { status: string; message: string; observedGeneration: number } | undefined;
  await waitUntil(
    async () => {
      const res = await admin('GET', path);
      condition = (
        res.json as {
          status?: {
            conditions?: { type: string; status: string; message: string; observedGeneration: number }[];
          };
        }
      ).status?.conditions?.find((c) => c.type === 'Ready');
      return condition !== undefined;
    },
    { what: `a Ready condition on ${path}`, timeoutMs: 20_000 },
  );
  if (!condition) throw new Error('no condition');
  return condition;
}

async function createEvent(
  namespace: string,
  name: string,
  type: string,
  reason: string,
  note: string,
): Promise<void> {
  await must(
    admin('POST', `/apis/events.k8s.io/v1/namespaces/${namespace}/events`, {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      // MicroTime wants six fractional digits.
      eventTime: new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
      reportingController: 'itest/controller',
      reportingInstance: 'itest',
      action: 'Testing',
      reason,
      note,
      type,
      regarding: { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'settings' },
    }),
  );
}

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'listener-itest-'));
  const tls = await selfSignedCert(['127.0.0.1']);
  writeFileSync(join(dir, 'tls.crt'), tls.cert);
  writeFileSync(join(dir, 'tls.key'), tls.key);
  writeFileSync(join(dir, 'tokens'), `${WEBHOOK_TOKEN}\n`);
  const webhookPort = await freePort();
  httpPort = await freePort();
  kube = await startKubernetes({
    cache: cacheDir(),
    controllers: true,
    audit: {
      url: `https://127.0.0.1:${webhookPort}/audit`,
      caPem: tls.cert,
      token: WEBHOOK_TOKEN,
      policy: parse(readFileSync(join(ROOT, 'apps/listener/k8s/audit-policy.yaml'), 'utf8')) as object,
    },
  });
  endpoint = { server: kube.server, ca: kube.caPem };
  for (const ns of ['k8slistener', 'shop', 'other']) {
    await must(
      admin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }),
      [201, 409],
    );
  }
  await applyYamlFile('crds/eventrule.yaml');
  await applyYamlFile('crds/clustereventrule.yaml');
  await applyYamlFile('crds/rbac.yaml');
  await applyYamlFile('crds/rbac-labels.yaml');
  await waitUntil(
    async () => (await admin('GET', '/apis/k8slistener.io/v1alpha1/clustereventrules')).status === 200,
    {
      what: 'the rule CRDs to serve',
      timeoutMs: 20_000,
    },
  );
  for (const example of [
    'all-events-to-elastic',
    'deployment-completed-to-slack',
    'expert-deployments-to-telegram',
  ]) {
    await applyYamlFile(`crds/examples/${example}.yaml`);
  }
  // The listener acts as its ServiceAccount, with exactly the permissions crds/rbac.yaml grants.
  writeFileSync(
    join(dir, 'listener.kubeconfig'),
    await serviceAccountKubeconfig(endpoint, kube.tokens.admin, 'k8slistener', 'k8slistener'),
  );

  for (const type of ['slack', 'telegram', 'teams', 'elastic'])
    plugins[type] = await startTestPlugin({ messageType: type, instance: type });
  const dynamicDir = join(dir, 'traefik');
  traefik = await startTraefik({ cache: cacheDir(), dynamicDir });
  writeFileSync(
    join(dynamicDir, 'routes.yml'),
    stringify(
      grpcRoutesConfig(
        Object.entries(plugins).map(([type, p]) => ({ messageType: type, servers: [{ url: p.url }] })),
      ),
    ),
  );

  listener = startProcess({
    name: 'listener',
    // LISTENER_RUNTIME=node_modules/.bin/bun runs the same test against the listener on Bun.
    command: process.env.LISTENER_RUNTIME ?? process.execPath,
    args: [MAIN],
    logFile: join(dir, 'listener.log'),
    env: {
      ...process.env,
      KUBECONFIG: join(dir, 'listener.kubeconfig'),
      ROUTER_ADDRESS: traefik.grpcAddress,
      CLUSTER_NAME: 'itest',
      HTTP_ADDRESS: `127.0.0.1:${httpPort}`,
      WEBHOOK_ADDRESS: `127.0.0.1:${webhookPort}`,
      TLS_CERT_FILE: join(dir, 'tls.crt'),
      TLS_KEY_FILE: join(dir, 'tls.key'),
      WEBHOOK_TOKEN_FILE: join(dir, 'tokens'),
      POD_NAMESPACE: 'k8slistener',
      POD_NAME: 'listener-a',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
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
  for (const p of Object.values(plugins)) await p.close();
  await kube?.stop();
  if (process.env.KEEP_ITEST_DIR) process.stdout.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
});

test('the example rules are Ready with their generation', async () => {
  for (const name of [
    'all-events-to-elastic',
    'deployment-completed-to-slack',
    'expert-deployments-to-telegram',
  ]) {
    const condition = await ruleReady(`/apis/k8slistener.io/v1alpha1/clustereventrules/${name}`);
    assert.is(condition.status, 'True', `${name}: ${condition.message}`);
    assert.is(condition.observedGeneration, 1);
  }
});

test('a Deployment rolled out by expert@org.com, then by other@org.com: the examples send exactly what they promise', async () => {
  const expert = as('expert@org.com');
  await must(
    expert('POST', '/apis/apps/v1/namespaces/shop/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'web:1' }] },
        },
      },
    }),
  );
  await waitUntil(async () => received('slack').length >= 1, {
    what: 'Slack to hear of the first rollout',
    timeoutMs: 60_000,
  });
  await must(
    as('other@org.com')(
      'PATCH',
      '/apis/apps/v1/namespaces/shop/deployments/web',
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } } },
      'application/strategic-merge-patch+json',
    ),
  );
  await waitUntil(async () => received('slack').length >= 2, {
    what: 'Slack to hear of the second rollout',
    timeoutMs: 60_000,
  });
  // Let anything that should not come have its chance to arrive.
  await new Promise((r) => setTimeout(r, 4000));

  assert.equal(received('slack').map(describe), [
    'RolloutCompleted Deployment shop/web g1 by expert@org.com',
    'RolloutCompleted Deployment shop/web g2 by other@org.com',
  ]);
  const slack = received('slack')[0];
  assert.is(slack?.message, 'slack');
  assert.is(slack?.target, 'deployments');
  assert.is(slack?.slack?.title, 'Deployment shop/web rolled out');

  assert.equal(received('telegram').map(describe).sort(), [
    'Created Deployment shop/web g1 by expert@org.com',
    'RolloutCompleted Deployment shop/web g1 by expert@org.com',
    'RolloutStarted Deployment shop/web g1 by expert@org.com',
  ]);
  assert.ok(received('telegram').every((n) => n.target === 'oncall' && n.message === 'telegram'));

  const elastic = received('elastic');
  const reasons = new Set(elastic.map((n) => n.event?.reason));
  for (const reason of [
    'Created',
    'Patched',
    'RolloutStarted',
    'RolloutCompleted',
    'ScalingReplicaSet',
    'SuccessfulCreate',
  ]) {
    assert.ok(reasons.has(reason), `elastic got a ${reason} event (got ${[...reasons].join(', ')})`);
  }
  assert.is(new Set(elastic.map((n) => n.deliveryId)).size, elastic.length, 'no delivery twice');
  assert.ok(
    elastic.every(
      (n) =>
        n.message === 'elastic' && JSON.parse(n.elastic?.documentJson ?? '{}').delivery_id === n.deliveryId,
    ),
  );
  assert.is(received('teams').length, 0);
});

test('a namespaced EventRule sees only its own namespace; rules change live', async () => {
  await must(
    admin('POST', '/apis/k8slistener.io/v1alpha1/namespaces/shop/eventrules', {
      apiVersion: 'k8slistener.io/v1alpha1',
      kind: 'EventRule',
      metadata: { name: 'shop-warnings', namespace: 'shop' },
      spec: {
        match: { types: ['Warning'], reasons: ['ItestProblem'] },
        destinations: [{ type: 'teams', target: 'shop' }],
      },
    }),
  );
  assert.is(
    (await ruleReady('/apis/k8slistener.io/v1alpha1/namespaces/shop/eventrules/shop-warnings')).status,
    'True',
  );
  await createEvent('other', 'problem-other', 'Warning', 'ItestProblem', 'in the other namespace');
  await createEvent('shop', 'problem-shop', 'Warning', 'ItestProblem', 'in the shop namespace');
  await waitUntil(async () => received('teams').length >= 1, {
    what: 'Teams to hear of the shop problem',
    timeoutMs: 20_000,
  });
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(
    received('teams').map((n) => [
      n.event?.involvedObject?.namespace,
      n.event?.message,
      n.rule?.kind,
      n.rule?.namespace,
    ]),
    [['shop', 'in the shop namespace', 'EventRule', 'shop']],
  );

  // Change it live: now Normal events only.
  await must(
    admin(
      'PATCH',
      '/apis/k8slistener.io/v1alpha1/namespaces/shop/eventrules/shop-warnings',
      { spec: { match: { types: ['Normal'] } } },
      'application/merge-patch+json',
    ),
  );
  await waitUntil(
    async () =>
      (await ruleReady('/apis/k8slistener.io/v1alpha1/namespaces/shop/eventrules/shop-warnings'))
        .observedGeneration === 2,
    {
      what: 'the changed rule to be observed',
      timeoutMs: 20_000,
    },
  );
  await createEvent('shop', 'problem-shop-2', 'Warning', 'ItestProblem', 'a second warning');
  await createEvent('shop', 'fine-shop', 'Normal', 'ItestProblem', 'all fine now');
  await waitUntil(async () => received('teams').length >= 2, {
    what: 'Teams to hear of the Normal event',
    timeoutMs: 20_000,
  });
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(
    received('teams').map((n) => n.event?.message),
    ['in the shop namespace', 'all fine now'],
  );
});

test('a bad rule gets a condition naming the field, and the others keep working', async () => {
  await must(
    admin('POST', '/apis/k8slistener.io/v1alpha1/clustereventrules', {
      apiVersion: 'k8slistener.io/v1alpha1',
      kind: 'ClusterEventRule',
      metadata: { name: 'broken' },
      spec: { match: { messageRegex: '([' }, destinations: [{ type: 'slack', target: 'x' }] },
    }),
  );
  const condition = await ruleReady('/apis/k8slistener.io/v1alpha1/clustereventrules/broken');
  assert.is(condition.status, 'False');
  assert.ok(condition.message.includes('spec.match.messageRegex'), condition.message);
  const before = received('elastic').length;
  await createEvent('shop', 'after-broken', 'Normal', 'ItestAfterBroken', 'still flowing');
  await waitUntil(async () => received('elastic').some((n) => n.event?.reason === 'ItestAfterBroken'), {
    what: 'the elastic rule to keep working',
    timeoutMs: 20_000,
  });
  assert.ok(received('elastic').length > before);
  assert.not.ok(received('slack').some((n) => n.rule?.name === 'broken'));
});

test("a label selector matches Kubernetes Events by their object's labels", async () => {
  await must(
    admin('POST', '/apis/k8slistener.io/v1alpha1/clustereventrules', {
      apiVersion: 'k8slistener.io/v1alpha1',
      kind: 'ClusterEventRule',
      metadata: { name: 'web-pod-events' },
      spec: {
        match: { sources: ['Event'], kinds: ['Pod'], labelSelector: { matchLabels: { app: 'web' } } },
        destinations: [{ type: 'slack', target: 'web' }],
      },
    }),
  );
  assert.is(
    (await ruleReady('/apis/k8slistener.io/v1alpha1/clustereventrules/web-pod-events')).status,
    'True',
  );
  // A third replica: the scheduler reports the new pod (labelled app=web) with a Scheduled event.
  await must(
    admin(
      'PATCH',
      '/apis/apps/v1/namespaces/shop/deployments/web',
      { spec: { replicas: 3 } },
      'application/merge-patch+json',
    ),
  );
  await waitUntil(async () => received('slack', 'web-pod-events').length >= 1, {
    what: 'an event about a web pod to match by label',
    timeoutMs: 30_000,
  });
  const matched = received('slack', 'web-pod-events');
  assert.ok(
    matched.every(
      (n) => n.event?.involvedObject?.kind === 'Pod' && n.event.involvedObject.labels?.app === 'web',
    ),
  );
  assert.ok(
    matched.some((n) => n.event?.reason === 'Scheduled'),
    matched.map(describe).join('; '),
  );
});

test('the status endpoint shows the leader and the rules; SIGTERM drains and exits 0', async () => {
  const status = (await (await fetch(`http://127.0.0.1:${httpPort}/status`)).json()) as {
    leader: boolean;
    rules: Record<string, string>;
  };
  assert.is(status.leader, true);
  assert.is(status.rules['ClusterEventRule/broken'], 'invalid');
  assert.is(status.rules['EventRule/shop/shop-warnings'], 'ready');
  const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  assert.ok(/k8slistener_events_seen_total\{source="rollout"\} \d+/.test(metrics));
  await listener.stop();
  assert.not.ok(listener.alive());
  const log = readFileSync(join(dir, 'listener.log'), 'utf8');
  assert.ok(log.includes('"msg":"stopped"'), 'the listener logged a clean stop');
  assert.not.ok(log.includes(WEBHOOK_TOKEN), 'the webhook token never reaches the log');
});

test.run();
