// Starts real OpenSearch 2.19 and Elasticsearch 7.10.2 servers (fetched and
// compiled once into the cache), stores three documents through a composable
// index template and `_bulk`, reads them back, and stops each server by its pid.
//
//   node libs/testkit/test/search.itest.ts
import { existsSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pidAlive } from '../src/managed-process.ts';
import { type SearchServer, startElasticsearch, startOpenSearch } from '../src/search-server.ts';

const INDEX = 'k8s-events-smoke';
const PROPERTIES = {
  '@timestamp': { type: 'date' },
  reason: { type: 'keyword' },
  message: { type: 'text' },
};
const TEMPLATE = {
  index_patterns: ['k8s-events-*'],
  template: {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: { properties: PROPERTIES },
  },
};
const DOCUMENTS: [string, Record<string, string>][] = [
  [
    'evt-1',
    {
      '@timestamp': '2026-11-24T10:00:00.000Z',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
    },
  ],
  [
    'evt-2',
    {
      '@timestamp': '2026-11-24T10:00:01.000Z',
      reason: 'Pulled',
      message: 'Successfully pulled image nginx',
    },
  ],
  [
    'evt-3',
    {
      '@timestamp': '2026-11-24T10:00:02.000Z',
      reason: 'OOMKilled',
      message: 'Container was killed: out of memory',
    },
  ],
];
/** A request that takes longer than this is a hung server. */
const REQUEST_TIMEOUT_MS = 30_000;

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected ad hoc and checked by the assertions
  body: any;
}

async function call(server: SearchServer, method: string, path: string, body?: unknown): Promise<Reply> {
  const ndjson = Array.isArray(body);
  const response = await fetch(`${server.url}${path}`, {
    method,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    ...(body === undefined
      ? {}
      : {
          headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' },
          body: ndjson ? body.map((line) => `${JSON.stringify(line)}\n`).join('') : JSON.stringify(body),
        }),
  });
  return { status: response.status, body: await response.json() };
}

function hitIds(reply: Reply): string[] {
  return (reply.body.hits.hits as { _id: string }[]).map((hit) => hit._id);
}

const SERVERS: [string, () => Promise<SearchServer>, string][] = [
  ['OpenSearch', startOpenSearch, '2.19.1'],
  ['Elasticsearch', startElasticsearch, '7.10.2'],
];

for (const [name, start, version] of SERVERS) {
  test(`${name} ${version}: template, bulk, search and mapping through REST; stopped by pid`, async () => {
    const server = await start();
    try {
      assert.is(server.version, version);
      assert.is(server.url, `http://127.0.0.1:${server.port}`);
      assert.ok(existsSync(server.dataDir));

      const nodes = await call(server, 'GET', '/_nodes/http');
      const [node, ...others] = Object.values(nodes.body.nodes) as { http: { bound_address: string[] } }[];
      assert.is(others.length, 0);
      assert.equal(node?.http.bound_address, [`127.0.0.1:${server.port}`]);

      const template = await call(server, 'PUT', '/_index_template/k8s-events', TEMPLATE);
      assert.equal(template, { status: 200, body: { acknowledged: true } });

      const bulk = await call(
        server,
        'POST',
        '/_bulk?refresh=wait_for',
        DOCUMENTS.flatMap(([id, document]) => [{ index: { _index: INDEX, _id: id } }, document]),
      );
      assert.is(bulk.status, 200);
      assert.is(bulk.body.errors, false);
      assert.equal(
        bulk.body.items.map((item: { index: { _id: string; status: number } }) => [
          item.index._id,
          item.index.status,
        ]),
        [
          ['evt-1', 201],
          ['evt-2', 201],
          ['evt-3', 201],
        ],
      );

      const all = await call(server, 'POST', `/${INDEX}/_search`, {
        query: { match_all: {} },
        sort: [{ '@timestamp': 'asc' }],
        size: 10,
      });
      assert.is(all.status, 200);
      assert.equal(all.body.hits.total, { value: 3, relation: 'eq' });
      assert.equal(
        all.body.hits.hits.map((hit: { _id: string; _source: unknown }) => [hit._id, hit._source]),
        DOCUMENTS,
      );

      // A keyword matches its exact value only; a text field would have been lowercased.
      const exact = await call(server, 'POST', `/${INDEX}/_search`, {
        query: { term: { reason: 'OOMKilled' } },
      });
      assert.equal(hitIds(exact), ['evt-3']);
      const lowercased = await call(server, 'POST', `/${INDEX}/_search`, {
        query: { term: { reason: 'oomkilled' } },
      });
      assert.equal(hitIds(lowercased), []);
      const analysed = await call(server, 'POST', `/${INDEX}/_search`, {
        query: { match: { message: 'PULLED' } },
      });
      assert.equal(hitIds(analysed), ['evt-2']);

      const mapping = await call(server, 'GET', `/${INDEX}/_mapping`);
      assert.equal(mapping, { status: 200, body: { [INDEX]: { mappings: { properties: PROPERTIES } } } });
    } finally {
      await server.stop();
    }
    assert.not.ok(pidAlive(server.pid), `pid ${server.pid} is still alive after stop()`);
    assert.not.ok(existsSync(server.dataDir), `${server.dataDir} is still there after stop()`);
  });
}

test.run();
