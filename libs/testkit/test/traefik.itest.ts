import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { loadContracts, type NotifierClient, type PluginInfo__Output } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { cacheDir } from '../src/cache-dir.ts';
import { pidAlive, waitUntil } from '../src/managed-process.ts';
import { startTestPlugin, type TestPlugin } from '../src/test-plugin.ts';
import { grpcRoutesConfig, startTraefik, type TraefikStack } from '../src/traefik.ts';
import { builtScriptPaths } from '../src/traefik-webui.ts';

let traefik: TraefikStack;
let a: TestPlugin;
let b: TestPlugin;
let client: NotifierClient;
let dynamicDir: string;

function info(messageType: string | undefined): Promise<PluginInfo__Output> {
  const metadata = new Metadata();
  if (messageType !== undefined) metadata.set('x-message-type', messageType);
  return new Promise((resolve, reject) =>
    client.Info({}, metadata, { deadline: Date.now() + 5000 }, (error, response) =>
      error || !response ? reject(error) : resolve(response),
    ),
  );
}

test.before(async () => {
  dynamicDir = mkdtempSync(join(tmpdir(), 'traefik-dynamic-'));
  [a, b] = await Promise.all([
    startTestPlugin({ messageType: 'test', instance: 'a' }),
    startTestPlugin({ messageType: 'test', instance: 'b' }),
  ]);
  traefik = await startTraefik({ cache: cacheDir(), dynamicDir });
  // 3:1 weights, so the balancing is visible in the counts.
  writeFileSync(
    join(dynamicDir, 'plugins.yml'),
    stringify(
      grpcRoutesConfig([
        {
          messageType: 'test',
          servers: [
            { url: a.url, weight: 3 },
            { url: b.url, weight: 1 },
          ],
        },
      ]),
    ),
  );
  await waitUntil(
    async () => {
      const res = await fetch(`${traefik.apiUrl}/api/http/services/plugin-test@file`);
      if (!res.ok) return false;
      const service = (await res.json()) as { serverStatus?: Record<string, string> };
      return Object.values(service.serverStatus ?? {}).filter((s) => s === 'UP').length === 2;
    },
    {
      what: 'Traefik to load the routes and see both plugin instances healthy',
      timeoutMs: 20_000,
      process: traefik.process,
    },
  );
  const Notifier = loadContracts().k8slistener.v1.Notifier;
  client = new Notifier(traefik.grpcAddress, credentials.createInsecure());
});

test.after(async () => {
  client?.close();
  await traefik?.stop();
  await Promise.all([a?.close(), b?.close()]);
  rmSync(dynamicDir, { recursive: true, force: true });
});

test('routes a real gRPC call by x-message-type to the plugin instances, balanced by weight', async () => {
  const answers: string[] = [];
  for (let i = 0; i < 40; i++) answers.push((await info('test')).version);
  assert.is(answers.length, 40);
  assert.is(answers.filter((v) => v === 'a').length, 30);
  assert.is(answers.filter((v) => v === 'b').length, 10);
});

test('a message type with no route is UNIMPLEMENTED (Traefik answers 404)', async () => {
  try {
    await info('nope');
    assert.unreachable('expected an error');
  } catch (error) {
    assert.is((error as ServiceError).code, status.UNIMPLEMENTED);
  }
});

test('a call without the header is not routed', async () => {
  try {
    await info(undefined);
    assert.unreachable('expected an error');
  } catch (error) {
    assert.is((error as ServiceError).code, status.UNIMPLEMENTED);
  }
});

test('the API shows the router and its rule', async () => {
  const router = (await (await fetch(`${traefik.apiUrl}/api/http/routers/plugin-test@file`)).json()) as {
    rule: string;
    status: string;
    service: string;
  };
  assert.is(router.rule, 'Header(`x-message-type`, `test`)');
  assert.is(router.status, 'enabled');
  assert.is(router.service, 'plugin-test');
});

test('the dashboard is the built web UI: its page loads a JavaScript bundle Traefik serves', async () => {
  const page = await fetch(`${traefik.apiUrl}/dashboard/`);
  assert.is(page.status, 200);
  assert.is(page.headers.get('content-type'), 'text/html; charset=utf-8');
  const html = await page.text();
  assert.ok(html.includes('<title>Traefik Proxy</title>'), html);
  assert.ok(html.includes('<div id="root"></div>'), html);
  // Traefik rendered the page as its template, with where the API is.
  assert.ok(html.includes('window.APIUrl = "\\/api\\/"'), html);
  // With the module's placeholder there is no index.html (Traefik answers 500); an unbuilt one loads /src/index.tsx.
  const scripts = builtScriptPaths(html);
  assert.is(scripts.length, 1, html);
  assert.match(scripts[0] ?? '', /^assets\/index-[\w-]+\.js$/);
  const bundle = await fetch(`${traefik.apiUrl}/dashboard/${scripts[0]}`);
  assert.is(bundle.status, 200);
  assert.is(bundle.headers.get('content-type'), 'text/javascript; charset=utf-8');
  const code = await bundle.text();
  // The React app with its routers page.
  assert.ok(code.includes('/http/routers'));
  assert.ok(code.includes('createRoot'));
});

test('stop ends the Traefik process', async () => {
  const pid = traefik.process.pid;
  await traefik.stop();
  assert.is(pidAlive(pid), false);
});

test.run();
