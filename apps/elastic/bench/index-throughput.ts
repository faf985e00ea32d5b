#!/usr/bin/env node
// Indexing throughput of the elastic plugin into the real OpenSearch 2.19: documents per second from
// the first call to the last answer, over real gRPC, each answer meaning "durably indexed".
//
//   node apps/elastic/bench/index-throughput.ts [--docs 5000] [--concurrency 64] [--batch 0]
//
// --batch 0 sends one Notify per document from `concurrency` callers at once (the plugin batches
// them into _bulk requests); --batch N sends NotifyBatch calls of N documents instead.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import {
  loadContracts,
  type Notification,
  type NotifierClient,
  type NotifyBatchResponse__Output,
  type NotifyResponse__Output,
} from '@k8slistener/proto';
import { startOpenSearch, waitUntil } from '@k8slistener/testkit';
import { startPluginProcess } from '../../../libs/plugin-kit/test/plugin-process.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const PREFIX = 'k8s-bench';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '64' },
    batch: { type: 'string', default: '0' },
  },
});
const docs = Number(values.docs);
const concurrency = Number(values.concurrency);
const batch = Number(values.batch);
if (
  ![docs, concurrency].every((n) => Number.isInteger(n) && n > 0) ||
  !(Number.isInteger(batch) && batch >= 0)
) {
  process.stderr.write('usage: index-throughput.ts [--docs N>0] [--concurrency N>0] [--batch N>=0]\n');
  process.exit(2);
}

function document(i: number): Notification {
  const id = `bench-${i}`;
  const now = new Date().toISOString();
  return {
    deliveryId: id,
    target: 'bench',
    attempt: 1,
    rule: { kind: 'ClusterEventRule', name: 'bench', destinationIndex: 0 },
    elastic: {
      index: '',
      documentJson: JSON.stringify({
        '@timestamp': now,
        cluster: 'bench',
        delivery_id: id,
        event: {
          id: `ev-${i}`,
          source: 'Event',
          reason: 'BackOff',
          type: 'Warning',
          count: (i % 7) + 1,
          message: `Back-off restarting failed container web in pod web-${i % 100}`,
          last_timestamp: now,
          reporting_component: 'kubelet',
          reporting_instance: `node-${i % 5}`,
        },
        object: {
          api_version: 'v1',
          kind: 'Pod',
          namespace: `ns-${i % 10}`,
          name: `web-${i % 100}`,
          uid: `uid-${i % 100}`,
          labels: ['app=web', 'app.kubernetes.io/name=web', `pod-template-hash=${i % 3}`],
        },
        rule: { kind: 'ClusterEventRule', name: 'bench' },
      }),
    },
  };
}

const opensearch = await startOpenSearch();
let plugin: Awaited<ReturnType<typeof startPluginProcess>> | undefined;
let client: NotifierClient | undefined;
try {
  plugin = await startPluginProcess(MAIN, {
    TARGETS: `bench:\n  url: ${opensearch.url}\n  indexPrefix: ${PREFIX}\n`,
    LOG_LEVEL: 'warn',
  });
  const running = plugin;
  await waitUntil(async () => (await running.health()) === 'SERVING', {
    what: 'plugin SERVING',
    timeoutMs: 60_000,
  });
  client = new (loadContracts().k8slistener.v1.Notifier)(
    `127.0.0.1:${plugin.grpcPort}`,
    credentials.createInsecure(),
  );
  const notifier = client;
  const notify = (n: Notification) =>
    new Promise<NotifyResponse__Output>((resolve, reject) =>
      notifier.Notify(n, (error: ServiceError | null, response?: NotifyResponse__Output) =>
        error ? reject(error) : resolve(response as NotifyResponse__Output),
      ),
    );
  const notifyBatch = (notifications: Notification[]) =>
    new Promise<NotifyBatchResponse__Output>((resolve, reject) =>
      notifier.NotifyBatch(
        { notifications },
        (error: ServiceError | null, response?: NotifyBatchResponse__Output) =>
          error ? reject(error) : resolve(response as NotifyBatchResponse__Output),
      ),
    );

  // Warm-up: connections, JIT, the first daily index.
  await notify(document(-1));

  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < docs) {
      if (batch === 0) {
        const response = await notify(document(next++)).catch(() => undefined);
        if (response?.outcome !== 'OUTCOME_DELIVERED') failed++;
      } else {
        const items: Notification[] = [];
        while (items.length < batch && next < docs) items.push(document(next++));
        const response = await notifyBatch(items).catch(() => undefined);
        failed +=
          items.length - (response?.responses.filter((r) => r.outcome === 'OUTCOME_DELIVERED').length ?? 0);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;

  await fetch(`${opensearch.url}/${PREFIX}-*/_refresh`, { method: 'POST' });
  const count = (await (await fetch(`${opensearch.url}/${PREFIX}-*/_count`)).json()) as { count: number };
  const mode =
    batch === 0 ? `Notify x${concurrency} concurrent` : `NotifyBatch of ${batch} x${concurrency} concurrent`;
  process.stdout.write(
    `${(docs / seconds).toFixed(0)} docs/s  (${docs} documents in ${seconds.toFixed(2)} s, ${mode}, ` +
      `OpenSearch ${opensearch.version}; ${failed} failed; ${count.count - 1} in the index)\n`,
  );
} finally {
  client?.close();
  await plugin?.stop();
  await opensearch.stop();
}
