import { ChannelError, channelHttp } from '@k8slistener/plugin-kit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bulkIndex, type IndexResult } from './bulk-index.ts';
import type { ItemRetryPolicy } from './item-retry-policy.ts';
import type { BulkOperation } from './parse-document.ts';

const POLICY: ItemRetryPolicy = { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 1_000, jitter: 0 };

type Answer = Response | Error;

/** A ky client whose fetch answers from a script and records every request. */
function scripted(answers: Answer[]) {
  const requests: { method: string; url: string; contentType: string | null; body: string }[] = [];
  const http = channelHttp({ timeoutMs: 1_000, userAgent: 'test' }).extend({
    prefix: 'http://search.test/base/',
    fetch: async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      requests.push({
        method: request.method,
        url: request.url,
        contentType: request.headers.get('content-type'),
        body: await request.text(),
      });
      const answer = answers.shift();
      if (answer === undefined) throw new Error('no answer scripted');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  return { http, requests };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const item = (status: number, extra: Record<string, unknown> = {}) => ({
  index: { _index: 'k8s-2026.11.24', status, ...extra },
});
const ops: BulkOperation[] = ['a', 'b', 'c'].map((id) => ({
  index: 'k8s-2026.11.24',
  id,
  source: `{"id":"${id}"}`,
}));

async function run(answers: Answer[], operations = ops) {
  const { http, requests } = scripted(answers);
  const sleeps: number[] = [];
  const results = await bulkIndex(operations, {
    http,
    policy: POLICY,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    now: () => Date.parse('2026-11-24T10:00:00Z'),
  });
  return { results, requests, sleeps };
}

const summary = (results: IndexResult[]) =>
  results.map((r) =>
    r instanceof ChannelError
      ? `${r.code} ${r.channelStatus} ${r.detail}`
      : `ok ${r.channelStatus} ${r.detail}`,
  );

test('one _bulk request of index actions; every item indexed', async () => {
  const { results, requests, sleeps } = await run([
    json({
      errors: false,
      items: [item(201, { result: 'created' }), item(200, { result: 'updated' }), item(201)],
    }),
  ]);
  assert.equal(summary(results), [
    'ok 201 created in k8s-2026.11.24',
    'ok 200 updated in k8s-2026.11.24',
    'ok 201 indexed in k8s-2026.11.24',
  ]);
  assert.equal(sleeps, []);
  assert.is(requests.length, 1);
  const [request] = requests;
  assert.is(request?.method, 'POST');
  assert.is(
    request?.url,
    'http://search.test/base/_bulk?filter_path=errors%2Citems.*.status%2Citems.*.result%2Citems.*._index%2Citems.*.error',
  );
  assert.is(request?.contentType, 'application/x-ndjson');
  assert.is(
    request?.body,
    '{"index":{"_index":"k8s-2026.11.24","_id":"a"}}\n{"id":"a"}\n' +
      '{"index":{"_index":"k8s-2026.11.24","_id":"b"}}\n{"id":"b"}\n' +
      '{"index":{"_index":"k8s-2026.11.24","_id":"c"}}\n{"id":"c"}\n',
  );
});

test('only the retryable items are sent again, with backoff; a mapping rejection is answered at once', async () => {
  const rejected = { type: 'es_rejected_execution_exception', reason: 'queue full' };
  const { results, requests, sleeps } = await run([
    json({
      errors: true,
      items: [
        item(201, { result: 'created' }),
        item(429, { error: rejected }),
        item(400, {
          error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [event.count]' },
        }),
      ],
    }),
    json({ errors: false, items: [item(201, { result: 'created' })] }),
  ]);
  assert.equal(summary(results), [
    'ok 201 created in k8s-2026.11.24',
    'ok 201 created in k8s-2026.11.24',
    'invalid_payload 400 mapper_parsing_exception: failed to parse field [event.count]',
  ]);
  assert.equal(sleeps, [100]);
  assert.is(requests[1]?.body, '{"index":{"_index":"k8s-2026.11.24","_id":"b"}}\n{"id":"b"}\n');
});

test('an item still refused after maxAttempts answers with its last error', async () => {
  const full = { type: 'es_rejected_execution_exception', reason: 'queue full' };
  const busy = json({ errors: true, items: [item(429, { error: full })] });
  const { results, requests, sleeps } = await run(
    [
      busy,
      json({
        errors: true,
        items: [item(503, { error: { type: 'unavailable_shards_exception', reason: 'no primary' } })],
      }),
      json({ errors: true, items: [item(429, { error: full })] }),
    ],
    ops.slice(0, 1),
  );
  assert.equal(summary(results), ['rate_limited 429 es_rejected_execution_exception: queue full']);
  assert.is(requests.length, 3);
  assert.equal(sleeps, [100, 200]);
});

test('a failure of the whole request is every document’s answer, without retrying', async () => {
  const refused = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9200'), { code: 'ECONNREFUSED' }),
  });
  const table: [Answer, string][] = [
    [refused, 'unavailable ECONNREFUSED cannot reach the channel (ECONNREFUSED)'],
    [
      json(
        { error: { type: 'security_exception', reason: 'missing authentication credentials' }, status: 401 },
        401,
      ),
      'unauthorized 401 security_exception: missing authentication credentials',
    ],
    [
      json({ error: { type: 'cluster_block_exception', reason: 'blocked' }, status: 503 }, 503),
      'unavailable 503 cluster_block_exception: blocked',
    ],
    [new Response('<html>Bad Gateway</html>', { status: 502 }), 'unavailable 502 HTTP 502'],
    [json({ error: 'too many' }, 429), 'rate_limited 429 too many'],
    [json({ took: 3 }), 'unavailable 200 _bulk response has no items array'],
    [
      new Response('not json', { status: 200 }),
      'unavailable 200 _bulk answered with a body that is not JSON',
    ],
  ];
  for (const [answer, expected] of table) {
    const { results, requests, sleeps } = await run([answer], ops.slice(0, 2));
    assert.equal(summary(results), [expected, expected], expected);
    assert.is(requests.length, 1);
    assert.equal(sleeps, []);
  }
});

test('a whole-request 429 carries the server’s Retry-After', async () => {
  const { results } = await run(
    [new Response('{}', { status: 429, headers: { 'retry-after': '7' } })],
    ops.slice(0, 1),
  );
  const [result] = results;
  assert.ok(result instanceof ChannelError);
  assert.is(result.retryAfterMs, 7_000);
});

test.run();
