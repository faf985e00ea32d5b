// The delivery path against the real thing: a real Traefik routing on
// x-message-type to test plugins running as real processes, which are killed,
// started late, rate-limit and refuse. Outcomes are asserted (ids, counts,
// order, dead letters), not timings, except the lower bound retry_after sets.
import { createLogger } from '@k8slistener/log';
import { cacheDir, freePort, startTraefik, type TraefikStack, waitUntil } from '@k8slistener/testkit';
import { Registry } from 'prom-client';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createDelivery,
  type Delivery,
  type DeliveryItem,
  defaultRetryPolicy,
  type SettledResult,
} from '../src/index.ts';
import { startPluginProcess, tempDir, waitForRoute, writeRoute } from './fixtures/plugin-processes.ts';

// Short waits keep the test quick; the policy's shape is the production one.
const TEST_POLICY = { ...defaultRetryPolicy, initialBackoffMs: 50, maxBackoffMs: 500, maxElapsedMs: 90_000 };
const SETTLE_TIMEOUT_MS = 90_000;

const work = tempDir('k8slistener-delivery-itest-');
let traefik: TraefikStack;
const cleanups: (() => Promise<void> | void)[] = [];

test.before(async () => {
  traefik = await startTraefik({ cache: cacheDir(), dynamicDir: `${work.path}/dynamic` });
});

test.after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await traefik?.stop();
  work.remove();
});

function harness() {
  const settled: SettledResult[] = [];
  const lines: Record<string, unknown>[] = [];
  const registry = new Registry();
  const delivery: Delivery = createDelivery({
    routerAddress: traefik.grpcAddress,
    policy: TEST_POLICY,
    log: createLogger({
      name: 'itest',
      format: 'json',
      level: 'debug',
      write: (l) => lines.push(JSON.parse(l)),
    }),
    registry,
    concurrencyPerType: 4,
    callDeadlineMs: 5000,
    onSettled: (r) => settled.push(r),
  });
  cleanups.push(() => delivery.close());
  const settledCount = (n: number) =>
    waitUntil(async () => settled.length >= n, {
      what: `${n} deliveries settled`,
      timeoutMs: SETTLE_TIMEOUT_MS,
    });
  return { delivery, settled, lines, registry, settledCount };
}

function item(type: string, id: string, key: string): DeliveryItem {
  return {
    type,
    orderingKey: key,
    notification: {
      deliveryId: id,
      event: { id: `ev-${id}` },
      rule: { kind: 'ClusterEventRule', name: 'itest', destinationIndex: 0 },
      target: 'itest-target',
      slack: { text: id },
      message: 'slack',
    },
  };
}

test('a plugin killed mid-stream and restarted on its port: nothing lost, order per object kept', async () => {
  const type = 'killtest';
  const port = await freePort();
  const env = { PLUGIN_DELAY_MS: '50' };
  const first = await startPluginProcess({ port, type, env, workDir: work.path });
  cleanups.push(() => first.stop());
  writeRoute(traefik.dynamicDir, type, [port]);
  await waitForRoute(traefik.apiUrl, type, [port]);
  const h = harness();
  const KEYS = 6;
  const ids = Array.from({ length: 60 }, (_, i) => `k${String(i).padStart(2, '0')}`);
  for (const [i, id] of ids.entries()) await h.delivery.enqueue(item(type, id, `obj-${i % KEYS}`));

  await waitUntil(async () => first.received().length >= 10, {
    what: '10 received',
    timeoutMs: 30_000,
    intervalMs: 20,
  });
  await first.kill();
  const beforeKill = first.received();
  assert.ok(beforeKill.length < ids.length, 'killed mid-stream, not after the end');
  const second = await startPluginProcess({ port, type, env, workDir: work.path });
  cleanups.push(() => second.stop());
  await h.settledCount(ids.length);

  assert.equal(h.delivery.deadLetters(), []);
  assert.equal(h.settled.map((s) => s.deliveryId).sort(), ids, 'every delivery settled exactly once');
  assert.ok(h.settled.every((s) => s.outcome === 'delivered' || s.outcome === 'duplicate'));
  const received = [...beforeKill, ...second.received()];
  assert.equal([...new Set(received.map((r) => r.received))].sort(), ids, 'every id reached a plugin');
  for (let k = 0; k < KEYS; k++) {
    const expected = ids.filter((_, i) => i % KEYS === k);
    const firstSeen = [...new Set(received.map((r) => r.received).filter((id) => expected.includes(id)))];
    assert.equal(firstSeen, expected, `obj-${k} delivered in order`);
  }
  assert.ok(h.delivery.stats().retries > 0, 'the kill caused retries');
  assert.ok(
    h.lines.some((l) => l.level === 'warn' && l.verdict === 'retry'),
    'failed attempts are logged at warn as retries',
  );
});

test('no plugin of a type yet (no route): deliveries wait and arrive once it is up', async () => {
  const type = 'latetest';
  const h = harness();
  const ids = ['l1', 'l2', 'l3', 'l4', 'l5'];
  for (const id of ids) await h.delivery.enqueue(item(type, id, 'obj-late'));
  await waitUntil(async () => h.delivery.stats().retries >= 3, { what: '3 retries', timeoutMs: 30_000 });
  assert.equal(h.settled, [], 'nothing settles while there is no plugin');
  const failed = h.lines.filter((l) => l.level === 'warn');
  assert.ok(
    failed.every(
      (l) =>
        l.code === 'UNIMPLEMENTED' &&
        l.reason === 'no route for this type yet: Received HTTP status code 404',
    ),
    JSON.stringify(failed[0]),
  );

  const port = await freePort();
  const plugin = await startPluginProcess({ port, type, workDir: work.path });
  cleanups.push(() => plugin.stop());
  writeRoute(traefik.dynamicDir, type, [port]);
  await h.settledCount(ids.length);
  assert.equal(
    h.settled.map((s) => [s.deliveryId, s.outcome]),
    ids.map((id) => [id, 'delivered']),
  );
  assert.equal(
    plugin.received().map((r) => r.received),
    ids,
  );
  assert.equal(h.delivery.deadLetters(), []);
});

test('a rate-limited plugin: its retry_after is honoured', async () => {
  const type = 'ratetest';
  const port = await freePort();
  const RETRY_AFTER_MS = 1000;
  const plugin = await startPluginProcess({
    port,
    type,
    mode: 'rate-limit',
    env: { PLUGIN_RATE_LIMIT_COUNT: '2', PLUGIN_RETRY_AFTER_MS: String(RETRY_AFTER_MS) },
    workDir: work.path,
  });
  cleanups.push(() => plugin.stop());
  writeRoute(traefik.dynamicDir, type, [port]);
  await waitForRoute(traefik.apiUrl, type, [port]);
  const h = harness();
  await h.delivery.enqueue(item(type, 'r1', 'obj-rate'));
  await h.settledCount(1);
  assert.equal(h.settled, [{ deliveryId: 'r1', eventId: 'ev-r1', type, outcome: 'delivered', attempts: 3 }]);
  const received = plugin.received();
  assert.equal(
    received.map((r) => [r.received, r.attempt]),
    [
      ['r1', 1],
      ['r1', 2],
      ['r1', 3],
    ],
  );
  const [a, b, c] = received.map((r) => r.at);
  assert.ok(
    (b ?? 0) - (a ?? 0) >= RETRY_AFTER_MS,
    `second attempt ${(b ?? 0) - (a ?? 0)} ms after the first`,
  );
  assert.ok(
    (c ?? 0) - (b ?? 0) >= RETRY_AFTER_MS,
    `third attempt ${(c ?? 0) - (b ?? 0)} ms after the second`,
  );
  const warns = h.lines.filter((l) => l.level === 'warn');
  assert.equal(
    warns.map((l) => [l.code, l.channelStatus, l.retryAfterMs]),
    [
      ['RESOURCE_EXHAUSTED', '429', RETRY_AFTER_MS],
      ['RESOURCE_EXHAUSTED', '429', RETRY_AFTER_MS],
    ],
  );
});

test('a permanent error: no retry, one dead letter', async () => {
  const type = 'permtest';
  const port = await freePort();
  const plugin = await startPluginProcess({ port, type, mode: 'permanent', workDir: work.path });
  cleanups.push(() => plugin.stop());
  writeRoute(traefik.dynamicDir, type, [port]);
  await waitForRoute(traefik.apiUrl, type, [port]);
  const h = harness();
  await h.delivery.enqueue(item(type, 'p1', 'obj-perm'));
  await h.settledCount(1);
  assert.equal(h.settled, [
    { deliveryId: 'p1', eventId: 'ev-p1', type, outcome: 'dead-letter', attempts: 1 },
  ]);
  assert.equal(
    plugin.received().map((r) => r.received),
    ['p1'],
  );
  const letters = h.delivery.deadLetters();
  assert.is(letters.length, 1);
  assert.is(letters[0]?.codeName, 'INVALID_ARGUMENT');
  assert.is(letters[0]?.response?.channelStatus, '400');
  assert.is(letters[0]?.response?.detail, 'not an itest message');
  assert.is(letters[0]?.notification.deliveryId, 'p1');
  assert.is(letters[0]?.attempts, 1);
  assert.equal(
    h.lines.filter((l) => l.level === 'error').map((l) => [l.msg, l.deliveryId, l.code]),
    [['dead letter: delivery given up', 'p1', 'INVALID_ARGUMENT']],
  );
  assert.match(
    await h.registry.metrics(),
    `k8slistener_dead_letters_total{message_type="${type}",code="INVALID_ARGUMENT"} 1`,
  );
  assert.is(h.delivery.stats().retries, 0);
});

test.run();
