// Throughput and latency of the delivery path: createDelivery → real Traefik
// (routing on x-message-type) → a test plugin in its own process.
//
//   node libs/delivery/bench/delivery.ts            (BENCH_COUNT=5000 BENCH_KEYS=100 BENCH_CONCURRENCY=16)
//
// Saturated run: BENCH_COUNT deliveries enqueued as fast as backpressure
// allows; events/s is settled count over wall time, p50/p99 are enqueue →
// settled (queue wait included, so they grow with the backlog). Unloaded run:
// BENCH_UNLOADED deliveries one at a time, the latency of the path itself.
import { createLogger } from '@k8slistener/log';
import { cacheDir, freePort, startTraefik, waitUntil } from '@k8slistener/testkit';
import { Registry } from 'prom-client';
import { createDelivery, type DeliveryItem } from '../src/index.ts';
import { startPluginProcess, tempDir, waitForRoute, writeRoute } from '../test/fixtures/plugin-processes.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 5000);
const KEYS = Number(process.env.BENCH_KEYS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WARMUP = 200;
const UNLOADED = Number(process.env.BENCH_UNLOADED ?? 500);
const TYPE = 'bench';

function item(id: string, key: string): DeliveryItem {
  return {
    type: TYPE,
    orderingKey: key,
    notification: {
      deliveryId: id,
      event: { id: `ev-${id}`, reason: 'BackOff', message: 'Back-off restarting failed container' },
      rule: { kind: 'ClusterEventRule', name: 'bench', destinationIndex: 0 },
      target: 'bench',
      slack: { text: `event ${id}` },
      message: 'slack',
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const work = tempDir('k8slistener-delivery-bench-');
const traefik = await startTraefik({ cache: cacheDir(), dynamicDir: `${work.path}/dynamic` });
const port = await freePort();
const plugin = await startPluginProcess({ port, type: TYPE, env: { PLUGIN_QUIET: '1' }, workDir: work.path });
try {
  writeRoute(traefik.dynamicDir, TYPE, [port]);
  await waitForRoute(traefik.apiUrl, TYPE, [port]);
  const enqueuedAt = new Map<string, number>();
  const latencies: number[] = [];
  let settled = 0;
  let failed = 0;
  const waiters = new Map<string, () => void>();
  const delivery = createDelivery({
    routerAddress: traefik.grpcAddress,
    log: createLogger({ name: 'bench', format: 'json', level: 'error', write: () => {} }),
    registry: new Registry(),
    concurrencyPerType: CONCURRENCY,
    onSettled: (r) => {
      settled++;
      if (r.outcome === 'dead-letter') failed++;
      const started = enqueuedAt.get(r.deliveryId);
      if (started !== undefined && r.deliveryId.startsWith('d-')) latencies.push(performance.now() - started);
      waiters.get(r.deliveryId)?.();
    },
  });
  for (let i = 0; i < WARMUP; i++) await delivery.enqueue(item(`warm-${i}`, `k${i % KEYS}`));
  await waitUntil(async () => settled >= WARMUP, { what: 'warm-up', timeoutMs: 60_000, intervalMs: 10 });
  settled = 0;
  const start = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const id = `d-${i}`;
    enqueuedAt.set(id, performance.now());
    await delivery.enqueue(item(id, `k${i % KEYS}`));
  }
  await waitUntil(async () => settled >= COUNT, {
    what: `${COUNT} settled`,
    timeoutMs: 600_000,
    intervalMs: 5,
  });
  const seconds = (performance.now() - start) / 1000;
  // One at a time: the latency of the path itself, with no queue in front of it.
  const unloaded: number[] = [];
  for (let i = 0; i < UNLOADED; i++) {
    const id = `u-${i}`;
    const done = new Promise<void>((resolve) => waiters.set(id, resolve));
    const t0 = performance.now();
    await delivery.enqueue(item(id, 'k0'));
    await done;
    unloaded.push(performance.now() - t0);
  }
  unloaded.sort((a, b) => a - b);
  await delivery.drain(5000);
  delivery.close();
  latencies.sort((a, b) => a - b);
  console.log(
    `delivery bench: ${COUNT} deliveries, ${KEYS} objects, concurrency ${CONCURRENCY}, through Traefik to a plugin process`,
  );
  console.log(`events/s: ${(COUNT / seconds).toFixed(0)}`);
  console.log(
    `p50: ${percentile(latencies, 50).toFixed(2)} ms  (enqueue → settled, saturated: queue wait included)`,
  );
  console.log(`p99: ${percentile(latencies, 99).toFixed(2)} ms`);
  console.log(
    `unloaded (${UNLOADED} one at a time): p50 ${percentile(unloaded, 50).toFixed(2)} ms, p99 ${percentile(unloaded, 99).toFixed(2)} ms`,
  );
  if (failed > 0) console.log(`dead letters: ${failed}`);
} finally {
  await plugin.stop();
  await traefik.stop();
  work.remove();
}
