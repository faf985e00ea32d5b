import { createLogger } from '@k8slistener/log';
import { Counter, Registry } from 'prom-client';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type StatusServer, startStatusServer } from './status-server.ts';

const log = createLogger({ name: 't', level: 'error', format: 'json', write: () => {} });
let server: StatusServer;
let ready: { ready: true } | { ready: false; reason: string } = {
  ready: false,
  reason: 'rules not loaded yet',
};
let base: string;

test.before(async () => {
  const registry = new Registry();
  new Counter({ name: 'k8slistener_test_total', help: 'test', registers: [registry] }).inc(3);
  server = await startStatusServer({
    host: '127.0.0.1',
    port: 0,
    registry,
    log,
    healthy: () => true,
    ready: () => ready,
    status: () => ({ leader: true, deadLetters: [] }),
  });
  base = `http://127.0.0.1:${server.port}`;
});
test.after(() => server.close());

test('/metrics serves the registry in the Prometheus text format', async () => {
  const res = await fetch(`${base}/metrics`);
  assert.is(res.status, 200);
  assert.ok((await res.text()).includes('k8slistener_test_total 3'));
});

test('/readyz says why it is not ready, then ok', async () => {
  let res = await fetch(`${base}/readyz`);
  assert.is(res.status, 503);
  assert.is(await res.text(), 'not ready: rules not loaded yet\n');
  ready = { ready: true };
  res = await fetch(`${base}/readyz`);
  assert.is(res.status, 200);
});

test('/healthz and /status', async () => {
  assert.is((await fetch(`${base}/healthz`)).status, 200);
  assert.equal(await (await fetch(`${base}/status`)).json(), { leader: true, deadLetters: [] });
  assert.is((await fetch(`${base}/nope`)).status, 404);
  assert.is((await fetch(`${base}/status`, { method: 'POST' })).status, 405);
});

test.run();
