import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type BulkItem, bulkItems, bulkItemVerdict } from './bulk-item-verdict.ts';

const error = (type: string, reason: string) => ({ type, reason });

test('each item status becomes indexed, retry or a failure with the server’s reason', () => {
  const table: [BulkItem, string, string | undefined, string][] = [
    [
      { status: 201, result: 'created', index: 'k8s-2026.11.24' },
      'indexed',
      undefined,
      'created in k8s-2026.11.24',
    ],
    [
      { status: 200, result: 'updated', index: 'k8s-2026.11.24' },
      'indexed',
      undefined,
      'updated in k8s-2026.11.24',
    ],
    [{ status: 201 }, 'indexed', undefined, 'indexed'],
    [
      { status: 429, error: error('es_rejected_execution_exception', 'rejected execution') },
      'retry',
      'rate_limited',
      'es_rejected_execution_exception: rejected execution',
    ],
    [
      { status: 503, error: error('unavailable_shards_exception', 'primary shard is not active') },
      'retry',
      'unavailable',
      'unavailable_shards_exception: primary shard is not active',
    ],
    [{ status: 500 }, 'retry', 'unavailable', 'HTTP 500'],
    [{ status: 502 }, 'retry', 'unavailable', 'HTTP 502'],
    [{ status: 504 }, 'retry', 'unavailable', 'HTTP 504'],
    [{ status: 507 }, 'retry', 'unavailable', 'HTTP 507'],
    [
      { status: 400, error: error('mapper_parsing_exception', 'failed to parse field [event.count]') },
      'failed',
      'invalid_payload',
      'mapper_parsing_exception: failed to parse field [event.count]',
    ],
    [
      { status: 400, error: error('illegal_argument_exception', 'Limit of total fields') },
      'failed',
      'invalid_payload',
      'illegal_argument_exception: Limit of total fields',
    ],
    [{ status: 413 }, 'failed', 'invalid_payload', 'HTTP 413'],
    [
      {
        status: 403,
        error: error('cluster_block_exception', 'index [k8s] blocked by: [FORBIDDEN/12/index read-only]'),
      },
      'failed',
      'unavailable',
      'cluster_block_exception: index [k8s] blocked by: [FORBIDDEN/12/index read-only]',
    ],
    [
      { status: 403, error: error('security_exception', 'action [indices:data/write/bulk] is unauthorized') },
      'failed',
      'unauthorized',
      'security_exception: action [indices:data/write/bulk] is unauthorized',
    ],
    [{ status: 401 }, 'failed', 'unauthorized', 'HTTP 401'],
    [
      { status: 404, error: error('index_not_found_exception', 'no such index [k8s-2026.11.24]') },
      'failed',
      'rejected',
      'index_not_found_exception: no such index [k8s-2026.11.24]',
    ],
  ];
  for (const [item, kind, code, detail] of table) {
    const verdict = bulkItemVerdict(item);
    const label = JSON.stringify(item);
    assert.is(verdict.kind, kind, label);
    if (verdict.kind === 'indexed') {
      assert.equal(verdict.delivered, { channelStatus: String(item.status), detail }, label);
    } else {
      assert.is(verdict.error.code, code, label);
      assert.is(verdict.error.channelStatus, String(item.status), label);
      assert.is(verdict.error.detail, detail, label);
    }
  }
});

test('bulk response items are read in order', () => {
  const body = {
    errors: true,
    items: [
      { index: { _index: 'a', status: 201, result: 'created' } },
      { index: { _index: 'a', status: 400, error: { type: 'x', reason: 'y' } } },
    ],
  };
  assert.equal(bulkItems(body, 2), {
    value: [
      { status: 201, result: 'created', index: 'a' },
      { status: 400, index: 'a', error: { type: 'x', reason: 'y' } },
    ],
  });
});

test('a body that is not a bulk response for these operations is refused', () => {
  const table: [unknown, number, string][] = [
    [null, 1, '_bulk response has no items array'],
    [{ took: 1 }, 1, '_bulk response has no items array'],
    [{ items: [] }, 1, '_bulk response has 0 items for 1 operations'],
    [{ items: [{ create: { status: 201 } }] }, 1, '_bulk response item 0 has no index action with a status'],
    [{ items: [{ index: { status: '201' } }] }, 1, '_bulk response item 0 has no index action with a status'],
  ];
  for (const [body, expected, message] of table) {
    assert.equal(bulkItems(body, expected), { errors: [message] }, JSON.stringify(body));
  }
});

test.run();
