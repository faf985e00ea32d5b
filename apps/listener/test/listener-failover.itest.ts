// Two real listener processes with leader election, the real API server, the
// real Traefik and a test plugin: each event is delivered once while both run;
// a graceful hand-over (SIGTERM) loses nothing and repeats nothing; a leader
// killed mid-stream loses nothing and repeats at most once, with the same
// delivery_id, so a plugin drops the repeat.
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
import { stringify } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'apps/listener/src/main.ts');

let kube: KubernetesStack;
let endpoint: KubeEndpoint;
let traefik: TraefikStack;
let plugin: TestPlugin;
let dir: string;
let kubeconfigFile: string;
const listeners = new Map<string, { process: ManagedProcess; port: number }>();
let eventCounter = 0;

const admin = (method: string, path: string, body?: unknown) =>
  kubeRequest(endpoint, kube.tokens.admin, method, path, body);

async function applyYamlFile(file: string): Promise<void> {
  await applyManifests(admin, readFileSync(join(ROOT, file), 'utf8'), file);
}

async function startListener(name: string): Promise<void> {
  const port = listeners.get(name)?.port ?? (await freePort());
  const process_ = startProcess({
    name: `listener-${name}`,
    command: process.execPath,
    args: [MAIN],
    logFile: join(dir, `listener-${name}.log`),
    env: {
      ...process.env,
      KUBECONFIG: kubeconfigFile,
      ROUTER_ADDRESS: traefik.grpcAddress,
      CLUSTER_NAME: 'failover',
      HTTP_ADDRESS: `127.0.0.1:${port}`,
      POD_NAMESPACE: 'k8slistener',
      POD_NAME: `listener-${name}`,
      LOG_FORMAT: 'json',
      DRAIN_TIMEOUT_MS: '10000',
    },
  });
  listeners.set(name, { process: process_, port });
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, {
    what: `listener ${name} to answer`,
    timeoutMs: 60_000,
    process: process_,
  });
}

async function leader(): Promise<string> {
  let found = '';
  await waitUntil(
    async () => {
      for (const [name, l] of listeners) {
        if (!l.process.alive()) continue;
        const status = (await (await fetch(`http://127.0.0.1:${l.port}/status`)).json()) as {
          leader: boolean;
        };
        const ready = (await fetch(`http://127.0.0.1:${l.port}/readyz`)).ok;
        if (status.leader && ready) found = name;
      }
      return found !== '';
    },
    { what: 'a ready leader', timeoutMs: 60_000 },
  );
  return found;
}

async function createTicks(count: number, onEach?: (i: number) => Promise<void>): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `tick-${++eventCounter}`;
    names.push(name);
    const res = await admin('POST', '/apis/events.k8s.io/v1/namespaces/default/events', {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name },
      eventTime: new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
      reportingController: 'itest/ticker',
      reportingInstance: 'itest',
      action: 'Tick',
      reason: 'ItestTick',
      note: name,
      type: 'Normal',
      regarding: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'clock' },
    });
    if (res.status !== 201) throw new Error(`creating ${name}: ${res.status} ${res.body}`);
    await onEach?.(i);
  }
  return names;
}

function deliveriesOf(names: readonly string[]): Map<string, Notification__Output[]> {
  const byName = new Map<string, Notification__Output[]>(names.map((n) => [n, []]));
  for (const n of plugin.received) byName.get(n.event?.message ?? '')?.push(n);
  return byName;
}

async function allArrived(names: readonly string[], what: string): Promise<void> {
  await waitUntil(async () => [...deliveriesOf(names).values()].every((d) => d.length > 0), {
    what,
    timeoutMs: 90_000,
  });
  // Give repeats, if any, time to show.
  await new Promise((r) => setTimeout(r, 3000));
}

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'listener-failover-'));
  kube = await startKubernetes({ cache: cacheDir() });
  endpoint = { server: kube.server, ca: kube.caPem };
  await admin('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'k8slistener' },
  });
  await applyYamlFile('crds/clustereventrule.yaml');
  await applyYamlFile('crds/eventrule.yaml');
  await applyYamlFile('crds/rbac.yaml');
  await waitUntil(
    async () => (await admin('GET', '/apis/k8slistener.io/v1alpha1/clustereventrules')).status === 200,
    {
      what: 'the rule CRDs',
      timeoutMs: 20_000,
    },
  );
  const rule = await admin('POST', '/apis/k8slistener.io/v1alpha1/clustereventrules', {
    apiVersion: 'k8slistener.io/v1alpha1',
    kind: 'ClusterEventRule',
    metadata: { name: 'ticks' },
    spec: { match: { reasons: ['ItestTick'] }, destinations: [{ type: 'slack', target: 'ticks' }] },
  });
  if (rule.status !== 201) throw new Error(rule.body);
  kubeconfigFile = join(dir, 'listener.kubeconfig');
  writeFileSync(
    kubeconfigFile,
    await serviceAccountKubeconfig(endpoint, kube.tokens.admin, 'k8slistener', 'k8slistener'),
  );
  plugin = await startTestPlugin({ messageType: 'slack', instance: 'p' });
  traefik = await startTraefik({ cache: cacheDir(), dynamicDir: join(dir, 'traefik') });
  writeFileSync(
    join(dir, 'traefik', 'routes.yml'),
    stringify(grpcRoutesConfig([{ messageType: 'slack', servers: [{ url: plugin.url }] }])),
  );
  await startListener('a');
  await startListener('b');
});

test.after(async () => {
  for (const l of listeners.values()) await l.process.stop();
  await traefik?.stop();
  await plugin?.close();
  await kube?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('two listeners: one leads, and each event is delivered exactly once', async () => {
  await leader();
  const names = await createTicks(20);
  await allArrived(names, '20 ticks');
  const counts = [...deliveriesOf(names).values()].map((d) => d.length);
  assert.equal(counts, Array(20).fill(1));
});

test('a graceful hand-over (SIGTERM) loses nothing and repeats nothing', async () => {
  const first = await leader();
  const names = await createTicks(20, async (i) => {
    if (i === 7) await listeners.get(first)?.process.stop();
  });
  const second = await leader();
  assert.is.not(second, first);
  await allArrived(names, '20 ticks across a graceful hand-over');
  const counts = [...deliveriesOf(names).values()].map((d) => d.length);
  assert.equal(counts, Array(20).fill(1));
  await startListener(first); // back as a standby
});

test('a leader killed mid-stream: nothing lost; a repeat at most once, with the same delivery_id', async () => {
  const first = await leader();
  const names = await createTicks(20, async (i) => {
    if (i === 7) {
      // SIGKILL: no drain, no checkpoint save, no lease release.
      const victim = listeners.get(first)?.process;
      if (victim) process.kill(victim.pid, 'SIGKILL');
    }
  });
  const second = await leader();
  assert.is.not(second, first);
  await allArrived(names, '20 ticks across a crash');
  for (const [name, deliveries] of deliveriesOf(names)) {
    assert.ok(
      deliveries.length >= 1 && deliveries.length <= 2,
      `${name} delivered ${deliveries.length} times`,
    );
    assert.is(new Set(deliveries.map((d) => d.deliveryId)).size, 1, `${name} kept one delivery_id`);
  }
});

test.run();
