// The elastic plugin as a real process, over real gRPC, against the real OpenSearch 2.19 and
// Elasticsearch 7.10 of the local stack: the documents are read back from the servers themselves.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { credentials, type ServiceError, status } from '@grpc/grpc-js';
import {
  loadContracts,
  type Notification,
  type NotifierClient,
  type NotifyBatchResponse__Output,
} from '@k8slistener/proto';
import {
  freePort,
  type SearchServer,
  selfSignedCert,
  startElasticsearch,
  startOpenSearch,
  waitUntil,
} from '@k8slistener/testkit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  notification,
  type PluginProcess,
  startPluginProcess,
} from '../../../libs/plugin-kit/test/plugin-process.ts';
import { DOCUMENT_PROPERTIES, type FieldMapping } from '../src/index-template.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const PREFIX = 'k8s-it';
const SERVING_TIMEOUT_MS = 60_000;

const [opensearch, elasticsearch] = await Promise.all([startOpenSearch(), startElasticsearch()]);
const servers: Record<'os' | 'es', SearchServer> = { os: opensearch, es: elasticsearch };
const started: PluginProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

async function startElastic(targets: string, env: NodeJS.ProcessEnv = {}): Promise<PluginProcess> {
  const plugin = await startPluginProcess(MAIN, { TARGETS: targets, CHANNEL_TIMEOUT_MS: '5000', ...env });
  started.push(plugin);
  return plugin;
}

async function untilServing(plugin: PluginProcess): Promise<void> {
  await waitUntil(async () => (await plugin.health()) === 'SERVING', {
    what: 'the elastic plugin to report SERVING',
    timeoutMs: SERVING_TIMEOUT_MS,
  });
}

const bothTargets = `os:\n  url: ${opensearch.url}\n  indexPrefix: ${PREFIX}\n  retentionDays: 30\nes:\n  url: ${elasticsearch.url}\n  indexPrefix: ${PREFIX}\n  retentionDays: 30\n`;
let plugin = await startElastic(bothTargets, { MAINTENANCE_INTERVAL_MS: '1000' });
await untilServing(plugin);

test.after(async () => {
  for (const p of started) await p.stop();
  for (const cleanup of cleanups) await cleanup();
  await Promise.all([opensearch.stop(), elasticsearch.stop()]);
});

/** A request to a server, answered as JSON. */
async function rest(server: SearchServer, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${server.url}/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

async function searchIds(server: SearchServer, query: unknown): Promise<string[]> {
  await rest(server, 'POST', `${PREFIX}-*/_refresh`);
  const result = (await rest(server, 'POST', `${PREFIX}-*/_search`, {
    query,
    size: 100,
    sort: ['_doc'],
  })) as {
    hits: { hits: { _id: string }[] };
  };
  return result.hits.hits.map((hit) => hit._id).sort();
}

function leafTypes(properties: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, mapping] of Object.entries(properties)) {
    const m = mapping as { properties?: Record<string, unknown>; type?: string };
    if (m.properties) Object.assign(out, leafTypes(m.properties, `${prefix}${name}.`));
    else out[`${prefix}${name}`] = m.type ?? 'object';
  }
  return out;
}

const hourAgo = new Date(Date.now() - 3_600_000);
const day = (d: Date) =>
  `${d.getUTCFullYear()}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${String(d.getUTCDate()).padStart(2, '0')}`;
const DAILY_INDEX = `${PREFIX}-${day(hourAgo)}`;

function contractDocument(deliveryId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@timestamp': hourAgo.toISOString(),
    cluster: 'prod',
    delivery_id: deliveryId,
    event: {
      id: `ev-${deliveryId}`,
      source: 'Change',
      reason: 'Patched',
      type: 'Normal',
      action: 'Killing',
      verb: 'patch',
      count: 3,
      message: 'Back-off restarting failed container',
      first_timestamp: new Date(hourAgo.getTime() - 60_000).toISOString(),
      last_timestamp: hourAgo.toISOString(),
      reporting_component: 'kube-apiserver',
      reporting_instance: 'node-1',
      audit_id: 'a0b1c2',
      response_code: 200,
      revision: '3',
    },
    object: {
      api_version: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      uid: 'uid-web',
      generation: 2,
      subresource: 'status',
      field_path: 'spec.containers{web}',
      labels: ['app=web', 'app.kubernetes.io/name=web'],
    },
    related: { api_version: 'v1', kind: 'Node', namespace: '', name: 'node-1', uid: 'uid-node' },
    actor: {
      username: 'expert@org.com',
      uid: 'uid-expert',
      groups: ['developers', 'system:authenticated'],
      impersonator: 'admin',
      user_agent: 'kubectl/v1.36.3 (linux/amd64)',
      source_ips: ['127.0.0.1'],
      learned_from: 'audit',
    },
    rule: { kind: 'ClusterEventRule', namespace: '', name: 'everything-to-elastic' },
    ...over,
  };
}

const elasticNotification = (id: string, target: string, document: unknown): Notification =>
  notification(id, target, { elastic: { documentJson: JSON.stringify(document), index: '' } });

for (const name of ['os', 'es'] as const) {
  const server = servers[name];
  const label = `${server.kind} ${server.version}`;

  test(`${label}: the index template is applied with the explicit mapping`, async () => {
    const body = (await rest(server, 'GET', `_index_template/${PREFIX}`)) as {
      index_templates: {
        name: string;
        index_template: {
          index_patterns: string[];
          priority: number;
          template: { mappings: { dynamic: unknown; properties: Record<string, unknown> } };
        };
      }[];
    };
    const [entry] = body.index_templates;
    assert.is(entry?.name, PREFIX);
    assert.equal(entry?.index_template.index_patterns, [`${PREFIX}-*`]);
    assert.is(entry?.index_template.priority, 200);
    assert.is(String(entry?.index_template.template.mappings.dynamic), 'false');
    assert.equal(
      leafTypes(entry?.index_template.template.mappings.properties ?? {}),
      leafTypes(DOCUMENT_PROPERTIES as Record<string, FieldMapping>),
    );
  });

  test(`${label}: a contract document comes back exactly, with the right field types`, async () => {
    const id = `${name}-doc-1`;
    const document = contractDocument(id, { severity: 'not in the schema' });
    const answer = await plugin.notify(elasticNotification(id, name, document));
    assert.equal(answer, {
      ok: {
        deliveryId: id,
        outcome: 'OUTCOME_DELIVERED',
        channelStatus: '201',
        detail: `created in ${DAILY_INDEX}`,
        retryAfter: null,
        code: 0,
      },
    });
    const stored = (await rest(server, 'GET', `${DAILY_INDEX}/_doc/${id}`)) as {
      _source: unknown;
      _version: number;
    };
    assert.equal(stored._source, document);
    assert.is(stored._version, 1);
    const mapping = (await rest(server, 'GET', `${DAILY_INDEX}/_mapping`)) as Record<
      string,
      { mappings: { properties: Record<string, unknown> } }
    >;
    const types = leafTypes(mapping[DAILY_INDEX]?.mappings.properties ?? {});
    assert.equal(types, leafTypes(DOCUMENT_PROPERTIES as Record<string, FieldMapping>));
    assert.is(types.severity, undefined);
  });

  test(`${label}: range on @timestamp, term on namespace, search by actor and label`, async () => {
    const other = `${name}-doc-2`;
    const answer = await plugin.notify(
      elasticNotification(
        other,
        name,
        contractDocument(other, {
          '@timestamp': new Date(hourAgo.getTime() - 86_400_000 * 2).toISOString(),
          object: { kind: 'Pod', namespace: 'billing', name: 'api-1', labels: ['app=api'] },
          actor: { username: 'other@org.com', groups: ['system:authenticated'] },
        }),
      ),
    );
    assert.ok('ok' in answer, JSON.stringify(answer));
    const since = new Date(hourAgo.getTime() - 60_000).toISOString();
    assert.equal(await searchIds(server, { range: { '@timestamp': { gte: since } } }), [`${name}-doc-1`]);
    assert.equal(await searchIds(server, { term: { 'object.namespace': 'billing' } }), [other]);
    assert.equal(await searchIds(server, { term: { 'actor.username': 'expert@org.com' } }), [
      `${name}-doc-1`,
    ]);
    assert.equal(await searchIds(server, { term: { 'object.labels': 'app.kubernetes.io/name=web' } }), [
      `${name}-doc-1`,
    ]);
    assert.equal(await searchIds(server, { match: { 'event.message': 'restarting' } }), [
      `${name}-doc-1`,
      other,
    ]);
    assert.equal(await searchIds(server, { term: { 'actor.source_ips': '127.0.0.0/8' } }), [`${name}-doc-1`]);
  });

  test(`${label}: a wrong field type is a permanent rejection with the server's reason`, async () => {
    const id = `${name}-bad-1`;
    const answer = await plugin.notify(
      elasticNotification(id, name, contractDocument(id, { '@timestamp': 'yesterday' })),
    );
    assert.ok('code' in answer, JSON.stringify(answer));
    assert.is(answer.code, status.INVALID_ARGUMENT);
    const reason = `mapper_parsing_exception: failed to parse field [@timestamp] of type [date] in document with id '${id}'. Preview of field's value: 'yesterday' (caused by illegal_argument_exception: failed to parse date field [yesterday] with format [strict_date_optional_time||epoch_millis])`;
    assert.equal(answer.trailer, {
      deliveryId: id,
      outcome: 'OUTCOME_REJECTED',
      channelStatus: '400',
      detail: reason,
      retryAfter: null,
      code: 0,
    });
    assert.is(answer.details, reason);
    const labelsAsObject = `${name}-bad-2`;
    const second = await plugin.notify(
      elasticNotification(
        labelsAsObject,
        name,
        contractDocument(labelsAsObject, { object: { labels: { app: 'web' } } }),
      ),
    );
    assert.ok('code' in second);
    assert.is(second.code, status.INVALID_ARGUMENT);
    assert.match(
      second.trailer?.detail ?? '',
      /^mapper_parsing_exception: failed to parse field \[object.labels\]/,
    );
  });

  test(`${label}: NotifyBatch answers each item on its own`, async () => {
    const client: NotifierClient = new (loadContracts().k8slistener.v1.Notifier)(
      `127.0.0.1:${plugin.grpcPort}`,
      credentials.createInsecure(),
    );
    const ids = [`${name}-batch-1`, `${name}-batch-2`, `${name}-batch-3`];
    const response = await new Promise<NotifyBatchResponse__Output>((resolve, reject) =>
      client.NotifyBatch(
        {
          notifications: [
            elasticNotification(ids[0] as string, name, contractDocument(ids[0] as string)),
            elasticNotification(
              ids[1] as string,
              name,
              contractDocument(ids[1] as string, { event: { count: 'many' } }),
            ),
            elasticNotification(ids[2] as string, name, contractDocument(ids[2] as string)),
          ],
        },
        (error: ServiceError | null, answer?: NotifyBatchResponse__Output) =>
          error ? reject(error) : resolve(answer as NotifyBatchResponse__Output),
      ),
    );
    client.close();
    assert.equal(
      response.responses.map((r) => [r.deliveryId, r.code, r.outcome, r.channelStatus]),
      [
        [ids[0], status.OK, 'OUTCOME_DELIVERED', '201'],
        [ids[1], status.INVALID_ARGUMENT, 'OUTCOME_REJECTED', '400'],
        [ids[2], status.OK, 'OUTCOME_DELIVERED', '201'],
      ],
    );
    assert.match(
      response.responses[1]?.detail ?? '',
      /^mapper_parsing_exception: failed to parse field \[event.count\]/,
    );
    assert.equal(await searchIds(server, { terms: { _id: ids } }), [ids[0], ids[2]]);
  });

  test(`${label}: retention deletes the daily indices older than retentionDays`, async () => {
    const id = `${name}-old-1`;
    const answer = await plugin.notify(
      elasticNotification(id, name, contractDocument(id, { '@timestamp': '2020-01-01T12:00:00.000Z' })),
    );
    assert.ok('ok' in answer, JSON.stringify(answer));
    assert.is(answer.ok.detail, `created in ${PREFIX}-2020.01.01`);
    await waitUntil(
      async () => {
        const response = await fetch(`${server.url}/${PREFIX}-2020.01.01`, { method: 'HEAD' });
        return response.status === 404;
      },
      { what: `${PREFIX}-2020.01.01 to be deleted by retention`, timeoutMs: 30_000 },
    );
    const indices = (await rest(server, 'GET', `_cat/indices/${PREFIX}-*?format=json&h=index`)) as {
      index: string;
    }[];
    assert.ok(indices.some((row) => row.index === DAILY_INDEX));
  });
}

test('a retried delivery_id never makes a second document, even after the plugin restarts', async () => {
  const ids = { os: 'os-retry-1', es: 'es-retry-1' };
  for (const name of ['os', 'es'] as const) {
    const first = await plugin.notify(elasticNotification(ids[name], name, contractDocument(ids[name])));
    assert.ok('ok' in first && first.ok.outcome === 'OUTCOME_DELIVERED', JSON.stringify(first));
    const again = await plugin.notify({
      ...elasticNotification(ids[name], name, contractDocument(ids[name])),
      attempt: 2,
    });
    assert.ok('ok' in again && again.ok.outcome === 'OUTCOME_DUPLICATE', JSON.stringify(again));
  }
  // A new process has no memory of delivered ids: the retry reaches the server, which overwrites the same _id.
  assert.is(await plugin.stop(), 0);
  plugin = await startElastic(bothTargets);
  await untilServing(plugin);
  for (const name of ['os', 'es'] as const) {
    const server = servers[name];
    const retried = await plugin.notify({
      ...elasticNotification(ids[name], name, contractDocument(ids[name])),
      attempt: 3,
    });
    assert.ok('ok' in retried, JSON.stringify(retried));
    assert.is(retried.ok.outcome, 'OUTCOME_DELIVERED');
    assert.is(retried.ok.detail, `updated in ${DAILY_INDEX}`);
    assert.equal(await searchIds(server, { term: { delivery_id: ids[name] } }), [ids[name]]);
    const stored = (await rest(server, 'GET', `${DAILY_INDEX}/_doc/${ids[name]}`)) as { _version: number };
    assert.is(stored._version, 2);
  }
});

test('NOT_SERVING until the template is applied; then serving through a TLS proxy with a custom CA and basic auth', async () => {
  // An HTTPS front for OpenSearch that refuses template writes until `ready`, like a cluster still electing a master.
  const pair = await selfSignedCert(['127.0.0.1']);
  let ready = false;
  const seen: { method: string; path: string; authorization: string | undefined }[] = [];
  const proxy = createHttpsServer({ cert: pair.cert, key: pair.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
      if (!ready && (req.url ?? '').startsWith('/_index_template/')) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error":{"type":"master_not_discovered_exception","reason":"no master"},"status":503}');
        return;
      }
      const upstream = await fetch(`${opensearch.url}${req.url}`, {
        method: req.method ?? 'GET',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
  const dir = mkdtempSync(join(tmpdir(), 'k8slistener-elastic-it-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'ca.pem'), pair.cert);
  const url = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const tlsPlugin = await startElastic(
    `secure:\n  url: ${url}\n  indexPrefix: k8s-tls\n  username: writer\n  password: s3cret\n  caFile: ${join(dir, 'ca.pem')}\n`,
  );
  await waitUntil(async () => seen.length >= 1, { what: 'the first template attempt', timeoutMs: 10_000 });
  assert.is(await tlsPlugin.health(), 'NOT_SERVING');
  const early = await tlsPlugin.notify(
    elasticNotification('tls-early', 'secure', contractDocument('tls-early')),
  );
  assert.ok('code' in early);
  assert.is(early.code, status.UNAVAILABLE);
  ready = true;
  await untilServing(tlsPlugin);
  const answer = await tlsPlugin.notify(elasticNotification('tls-1', 'secure', contractDocument('tls-1')));
  assert.ok('ok' in answer, JSON.stringify(answer));
  assert.is(answer.ok.detail, `created in k8s-tls-${day(hourAgo)}`);
  const basic = `Basic ${Buffer.from('writer:s3cret').toString('base64')}`;
  assert.ok(seen.every((request) => request.authorization === basic));
  assert.ok(seen.some((request) => request.method === 'POST' && request.path.startsWith('/_bulk?')));
  assert.not.ok(tlsPlugin.output().includes('s3cret'));
  assert.is(await tlsPlugin.stop(), 0);
});

test('a cluster that cannot be reached: NOT_SERVING, and calls answer UNAVAILABLE', async () => {
  const port = await freePort();
  const down = await startElastic(`down:\n  url: http://127.0.0.1:${port}\n  indexPrefix: k8s-down\n`);
  assert.is(await down.health(), 'NOT_SERVING');
  const answer = await down.notify(elasticNotification('down-1', 'down', contractDocument('down-1')));
  assert.ok('code' in answer);
  assert.is(answer.code, status.UNAVAILABLE);
  assert.is(answer.trailer?.outcome, 'OUTCOME_UNAVAILABLE');
  assert.is(await down.stop(), 0);
});

test.run();
