import { status } from '@grpc/grpc-js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChannelError } from './channel-error.ts';
import { deliveredResponse, duplicateResponse, failureStatus } from './notify-status.ts';

test('each ChannelError code ends with one gRPC status and outcome', () => {
  const table: [ChannelError['code'], status, string][] = [
    ['rate_limited', status.RESOURCE_EXHAUSTED, 'OUTCOME_RATE_LIMITED'],
    ['unavailable', status.UNAVAILABLE, 'OUTCOME_UNAVAILABLE'],
    ['invalid_payload', status.INVALID_ARGUMENT, 'OUTCOME_REJECTED'],
    ['rejected', status.FAILED_PRECONDITION, 'OUTCOME_REJECTED'],
    ['unknown_target', status.FAILED_PRECONDITION, 'OUTCOME_REJECTED'],
    ['unauthorized', status.PERMISSION_DENIED, 'OUTCOME_REJECTED'],
  ];
  for (const [code, grpc, outcome] of table) {
    const failure = failureStatus(new ChannelError(code, { channelStatus: 'x', detail: 'why' }), 'd-1');
    assert.is(failure.code, grpc, code);
    assert.equal(failure.response, { deliveryId: 'd-1', outcome, channelStatus: 'x', detail: 'why' }, code);
  }
});

test('retry_after is carried as a Duration when the channel gave one', () => {
  const failure = failureStatus(
    new ChannelError('rate_limited', { channelStatus: '429', retryAfterMs: 2500 }),
    'd',
  );
  assert.equal(failure.response.retryAfter, { seconds: '2', nanos: 500_000_000 });
});

test('delivered and duplicate answers', () => {
  assert.equal(deliveredResponse('d', '200'), {
    deliveryId: 'd',
    outcome: 'OUTCOME_DELIVERED',
    channelStatus: '200',
    detail: '',
  });
  assert.equal(duplicateResponse('d'), {
    deliveryId: 'd',
    outcome: 'OUTCOME_DUPLICATE',
    channelStatus: '',
    detail: 'duplicate of an earlier delivery',
  });
});

test.run();
