import { createLogger } from '@k8slistener/log';
import { ChannelError, type DeliveryContext } from '@k8slistener/plugin-kit';
import type { Notification__Output } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SetTimer } from './batcher.ts';
import { ElasticPlugin } from './elastic-plugin.ts';
import type { ElasticTarget } from './elastic-target.ts';
import { indexTemplate } from './index-template.ts';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const log = createLogger({ name: 'elastic-test', level: 'error', format: 'json' });

interface Seen {
  method: string;
  path: string;
  body: string;
}

/** A search server in a function: records requests and answers with `route`. */
function harness(route: (seen: Seen) => Response | undefined) {
  const requests: Seen[] = [];
  const timers: { callback: () => void; cancelled: boolean }[] = [];
  const setTimer: SetTimer = (callback) => {
    const entry = { callback, cancelled: false };
    timers.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  const sleeps: number[] = [];
  const plugin = new ElasticPlugin({
    settings: {
      bulkMaxDocs: 10,
      bulkMaxBytes: 1_000_000,
      bulkMaxWaitMs: 20,
      itemMaxAttempts: 2,
      maintenanceIntervalMs: 3_600_000,
    },
    timeoutMs: 1_000,
    log,
    now: () => NOW,
    setTimer,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    fetch: async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const seen = {
        method: request.method,
        path: `${url.pathname}${url.search}`,
        body: await request.text(),
      };
      requests.push(seen);
      return route(seen) ?? new Response('{"error":"unexpected"}', { status: 500 });
    },
  });
  const fireTimers = () => {
    for (const entry of timers.splice(0)) if (!entry.cancelled) entry.callback();
  };
  return { plugin, requests, sleeps, fireTimers };
}

const target: ElasticTarget = {
  name: 'prod',
  url: 'http://search.test',
  indexPrefix: 'k8s',
  auth: { kind: 'none' },
  replicas: 0,
  retentionDays: 7,
};
const ok = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
const acknowledged = () => ok({ acknowledged: true });

/** Answers each _bulk item 201, except documents whose source says "bad". */
function bulkAnswer(seen: Seen): Response {
  const lines = seen.body.trim().split('\n');
  const items = [];
  for (let i = 0; i < lines.length; i += 2) {
    const action = JSON.parse(lines[i] as string) as { index: { _index: string; _id: string } };
    items.push(
      (lines[i + 1] ?? '').includes('"bad"')
        ? {
            index: {
              _index: action.index._index,
              status: 400,
              error: { type: 'mapper_parsing_exception', reason: `bad document ${action.index._id}` },
            },
          }
        : { index: { _index: action.index._index, status: 201, result: 'created' } },
    );
  }
  return ok({ errors: false, items });
}

function route(seen: Seen): Response | undefined {
  if (seen.method === 'PUT' && seen.path === '/_index_template/k8s') return acknowledged();
  if (seen.method === 'POST' && seen.path.startsWith('/_bulk?')) return bulkAnswer(seen);
  return undefined;
}

function notification(deliveryId: string, document: Record<string, unknown>): Notification__Output {
  return {
    deliveryId,
    target: 'prod',
    attempt: 1,
    event: null,
    rule: null,
    createdAt: null,
    message: 'elastic',
    elastic: { documentJson: JSON.stringify(document), index: '' },
  } as unknown as Notification__Output;
}

const context = (): DeliveryContext => ({ signal: new AbortController().signal, log, timeoutMs: 1_000 });
const doc = (extra: Record<string, unknown> = {}) => ({ '@timestamp': '2026-11-23T08:00:00.000Z', ...extra });

async function deliver(plugin: ElasticPlugin, n: Notification__Output) {
  const message = n.elastic;
  if (!message) throw new Error('no elastic message');
  try {
    return await plugin.definition.deliver(message, target, n, context());
  } catch (error) {
    return ChannelError.from(error);
  }
}

test('prepare puts the template and retries with backoff until the server takes it', async () => {
  let failures = 2;
  const { plugin, requests, sleeps } = harness((seen) => {
    if (seen.path === '/_index_template/k8s' && failures-- > 0) {
      return new Response('{"error":{"type":"master_not_discovered_exception","reason":"no master"}}', {
        status: 503,
      });
    }
    return route(seen);
  });
  assert.is(await plugin.prepare([target], new AbortController().signal), true);
  assert.equal(sleeps, [1_000, 2_000]);
  assert.is(requests.length, 3);
  assert.equal(
    requests.map((r) => `${r.method} ${r.path}`),
    ['PUT /_index_template/k8s', 'PUT /_index_template/k8s', 'PUT /_index_template/k8s'],
  );
  assert.equal(JSON.parse(requests[2]?.body ?? ''), indexTemplate({ indexPrefix: 'k8s', replicas: 0 }));
});

test('prepare gives up when the signal aborts', async () => {
  const { plugin } = harness(() => new Response('{}', { status: 503 }));
  const stop = new AbortController();
  stop.abort();
  assert.is(await plugin.prepare([target], stop.signal), false);
});

test('concurrent deliveries share one _bulk after maxWaitMs, and each hears its own item', async () => {
  const { plugin, requests, fireTimers } = harness(route);
  await plugin.prepare([target], new AbortController().signal);
  requests.length = 0;
  const first = deliver(plugin, notification('d-1', doc({ cluster: 'prod' })));
  const second = deliver(plugin, notification('d-2', doc({ cluster: 'bad' })));
  await new Promise((resolve) => setImmediate(resolve));
  assert.is(requests.length, 0);
  fireTimers();
  const [one, two] = await Promise.all([first, second]);
  assert.equal(one, { channelStatus: '201', detail: 'created in k8s-2026.11.23' });
  assert.ok(two instanceof ChannelError);
  assert.is(two.code, 'invalid_payload');
  assert.is(two.detail, 'mapper_parsing_exception: bad document d-2');
  assert.is(requests.length, 1);
  assert.is(
    requests[0]?.body,
    '{"index":{"_index":"k8s-2026.11.23","_id":"d-1"}}\n{"@timestamp":"2026-11-23T08:00:00.000Z","cluster":"prod","delivery_id":"d-1"}\n' +
      '{"index":{"_index":"k8s-2026.11.23","_id":"d-2"}}\n{"@timestamp":"2026-11-23T08:00:00.000Z","cluster":"bad","delivery_id":"d-2"}\n',
  );
});

test('a delivery before prepare applies the template first', async () => {
  const { plugin, requests, fireTimers } = harness(route);
  const result = deliver(plugin, notification('d-1', doc()));
  await new Promise((resolve) => setImmediate(resolve));
  fireTimers();
  assert.equal(await result, { channelStatus: '201', detail: 'created in k8s-2026.11.23' });
  assert.equal(
    requests.map((r) => `${r.method} ${r.path.split('?')[0]}`),
    ['PUT /_index_template/k8s', 'POST /_bulk'],
  );
});

test('without the template nothing is indexed: the delivery is UNAVAILABLE with the server’s reason', async () => {
  const { plugin, requests } = harness(
    () =>
      new Response('{"error":{"type":"security_exception","reason":"no manage_index_templates"}}', {
        status: 403,
      }),
  );
  const result = await deliver(plugin, notification('d-1', doc()));
  assert.ok(result instanceof ChannelError);
  assert.is(result.code, 'unauthorized');
  assert.is(result.detail, 'PUT _index_template/k8s: security_exception: no manage_index_templates');
  assert.equal(
    requests.map((r) => r.method),
    ['PUT'],
  );
});

test('a NotifyBatch is sent at once, without waiting for the timer', async () => {
  const { plugin, requests } = harness(route);
  await plugin.prepare([target], new AbortController().signal);
  requests.length = 0;
  const items = ['b-1', 'b-2', 'b-3'].map((id) => {
    const n = notification(id, doc(id === 'b-2' ? { cluster: 'bad' } : {}));
    return {
      message: n.elastic as NonNullable<typeof n.elastic>,
      target,
      targetName: 'prod',
      notification: n,
    };
  });
  const deliverBatch = plugin.definition.deliverBatch;
  assert.ok(deliverBatch);
  const results = await deliverBatch(items, context());
  assert.equal(
    results.map((r) => (r instanceof ChannelError ? `${r.code}: ${r.detail}` : r.detail)),
    [
      'created in k8s-2026.11.23',
      'invalid_payload: mapper_parsing_exception: bad document b-2',
      'created in k8s-2026.11.23',
    ],
  );
  assert.is(requests.length, 1);
});

test('a document the plugin cannot store is refused before any request', async () => {
  const { plugin, requests } = harness(route);
  const n = notification('d-1', {});
  const result = await deliver(plugin, n);
  assert.ok(result instanceof ChannelError);
  assert.is(result.code, 'invalid_payload');
  assert.is(result.channelStatus, 'invalid_document');
  assert.is(result.detail, 'document_json: "@timestamp" is required');
  assert.is(requests.length, 0);
});

test('maintenance re-applies the template and deletes the expired daily indices by name', async () => {
  const { plugin, requests } = harness((seen) => {
    if (seen.method === 'GET' && seen.path.startsWith('/_cat/indices/k8s-*?')) {
      return ok([
        { index: 'k8s-2026.11.24' },
        { index: 'k8s-2026.11.10' },
        { index: 'k8s-2026.11.16' },
        { index: 'k8s-x' },
      ]);
    }
    if (seen.method === 'DELETE') return acknowledged();
    return route(seen);
  });
  await plugin.prepare([target], new AbortController().signal);
  requests.length = 0;
  await plugin.maintain();
  assert.equal(
    requests.map((r) => `${r.method} ${r.path}`),
    [
      'PUT /_index_template/k8s',
      'GET /_cat/indices/k8s-*?format=json&h=index&expand_wildcards=open%2Cclosed',
      'DELETE /k8s-2026.11.10,k8s-2026.11.16',
    ],
  );
});

test.run();
