import { Metadata } from '@grpc/grpc-js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RESPONSE_TRAILER_KEY, readResponseTrailer, responseTrailer } from './response-trailer.ts';
import { durationMs, toDuration } from './time.ts';

test('a NotifyResponse survives the trailer round trip', () => {
  const trailer = responseTrailer({
    deliveryId: 'd-7',
    outcome: 'OUTCOME_RATE_LIMITED',
    channelStatus: '429',
    detail: 'Too Many Requests: retry after 3',
    retryAfter: toDuration(3000),
  });
  const read = readResponseTrailer(trailer);
  assert.is(read?.deliveryId, 'd-7');
  assert.is(read?.outcome, 'OUTCOME_RATE_LIMITED');
  assert.is(read?.channelStatus, '429');
  assert.is(durationMs(read?.retryAfter), 3000);
});

test('no trailer, a text value or garbage bytes read as undefined', () => {
  assert.is(readResponseTrailer(undefined), undefined);
  assert.is(readResponseTrailer(new Metadata()), undefined);
  const garbage = new Metadata();
  garbage.set(RESPONSE_TRAILER_KEY, Buffer.from([0xff, 0xff, 0xff]));
  assert.is(readResponseTrailer(garbage), undefined);
});

test.run();
