import { Metadata, status } from '@grpc/grpc-js';
import { responseTrailer, toDuration } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classify } from './classify.ts';
import { defaultRetryPolicy } from './retry-policy.ts';

function grpcError(code: status, details: string, metadata = new Metadata()) {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

const table: [string, status, string, 'retry' | 'permanent', string][] = [
  [
    'plugin or router down',
    status.UNAVAILABLE,
    'No connection established',
    'retry',
    'router or plugin unavailable: No connection established',
  ],
  [
    'Traefik 502/503',
    status.UNAVAILABLE,
    'Received HTTP status code 503',
    'retry',
    'router or plugin unavailable: Received HTTP status code 503',
  ],
  [
    'deadline',
    status.DEADLINE_EXCEEDED,
    'Deadline exceeded',
    'retry',
    'deadline exceeded: Deadline exceeded',
  ],
  ['rate-limited', status.RESOURCE_EXHAUSTED, 'slow down', 'retry', 'rate-limited: slow down'],
  ['aborted', status.ABORTED, '', 'retry', 'aborted'],
  [
    'no route yet (Traefik 404)',
    status.UNIMPLEMENTED,
    'Received HTTP status code 404',
    'retry',
    'no route for this type yet: Received HTTP status code 404',
  ],
  [
    'cancelled by the plugin',
    status.CANCELLED,
    'Cancelled on client',
    'retry',
    'cancelled by the other side: Cancelled on client',
  ],
  [
    'Traefik 500 when the plugin died mid-call',
    status.UNKNOWN,
    'Received HTTP status code 500',
    'retry',
    'unknown error (a proxy answers a call whose backend died with HTTP 500): Received HTTP status code 500',
  ],
  [
    'Traefik resetting the stream when the plugin died (seen in the kill test)',
    status.INTERNAL,
    'Received RST_STREAM with code 2 (Internal server error)',
    'retry',
    'stream reset on the way (proxy hop): Received RST_STREAM with code 2 (Internal server error)',
  ],
  [
    'proxy reset code 0',
    status.INTERNAL,
    'Received RST_STREAM with code 0',
    'retry',
    'stream reset on the way (proxy hop): Received RST_STREAM with code 0',
  ],
  [
    'proxy reset code 2',
    status.INTERNAL,
    'Received RST_STREAM with code 2 triggered by internal client error: Protocol error',
    'retry',
    'stream reset on the way (proxy hop): Received RST_STREAM with code 2 triggered by internal client error: Protocol error',
  ],
  [
    'TLS alert reset',
    status.INTERNAL,
    'Received RST_STREAM with code 2 triggered by internal client error: SSL alert number 40',
    'permanent',
    'internal error: Received RST_STREAM with code 2 triggered by internal client error: SSL alert number 40',
  ],
  [
    'undecodable response',
    status.INTERNAL,
    'Response message parsing error',
    'permanent',
    'internal error: Response message parsing error',
  ],
  [
    'invalid payload',
    status.INVALID_ARGUMENT,
    'not a slack message',
    'permanent',
    'invalid payload: not a slack message',
  ],
  [
    'unknown target',
    status.FAILED_PRECONDITION,
    'no target "ops"',
    'permanent',
    'unknown target: no target "ops"',
  ],
  [
    'credentials refused',
    status.PERMISSION_DENIED,
    'invalid_token',
    'permanent',
    'permission denied: invalid_token',
  ],
  ['unauthenticated', status.UNAUTHENTICATED, '', 'permanent', 'unauthenticated'],
  ['not found', status.NOT_FOUND, 'x', 'permanent', 'not found: x'],
  ['out of range', status.OUT_OF_RANGE, 'x', 'permanent', 'out of range: x'],
];
for (const [name, code, details, kind, reason] of table) {
  test(`classify: ${name} → ${kind}`, () => {
    assert.equal(classify(grpcError(code, details)), { kind, code, reason });
  });
}

test('classify reads the channel answer and retry_after from the response trailer', () => {
  const response = {
    deliveryId: 'd-1',
    outcome: 'OUTCOME_RATE_LIMITED' as const,
    channelStatus: '429',
    detail: 'rate_limited',
    retryAfter: toDuration(2500),
  };
  const verdict = classify(grpcError(status.RESOURCE_EXHAUSTED, 'rate_limited', responseTrailer(response)));
  assert.is(verdict.kind, 'retry');
  assert.is(verdict.retryAfterMs, 2500);
  assert.is(verdict.response?.channelStatus, '429');
  assert.is(verdict.response?.outcome, 'OUTCOME_RATE_LIMITED');
  assert.is(verdict.response?.deliveryId, 'd-1');
});

test('a permanent answer keeps the channel answer for the dead letter', () => {
  const trailer = responseTrailer({
    outcome: 'OUTCOME_REJECTED',
    channelStatus: '400',
    detail: 'invalid_blocks',
  });
  const verdict = classify(grpcError(status.INVALID_ARGUMENT, 'invalid_blocks', trailer));
  assert.is(verdict.kind, 'permanent');
  assert.is(verdict.response?.detail, 'invalid_blocks');
  assert.is(verdict.retryAfterMs, undefined);
});

test('the retryable codes come from the policy', () => {
  const policy = { ...defaultRetryPolicy, retryableCodes: [status.UNAVAILABLE] };
  assert.is(classify(grpcError(status.UNIMPLEMENTED, ''), policy).kind, 'permanent');
  assert.is(classify(grpcError(status.UNAVAILABLE, ''), policy).kind, 'retry');
});

test('anything that is not a gRPC error is permanent UNKNOWN', () => {
  assert.equal(classify(new TypeError('bad')), {
    kind: 'permanent',
    code: status.UNKNOWN,
    reason: 'not a gRPC error: bad',
  });
  assert.is(classify('text').reason, 'not a gRPC error: text');
  assert.is(classify({ code: 99 }).kind, 'permanent');
});

test.run();
