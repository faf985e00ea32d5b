import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deliveryId } from './delivery-id.ts';

test('stable for the same event, rule and destination; different otherwise', () => {
  const id = deliveryId('event:u1:3', 'ClusterEventRule/all', 0);
  assert.is(id, deliveryId('event:u1:3', 'ClusterEventRule/all', 0));
  assert.is(id.length, 32);
  assert.ok(/^[0-9a-f]{32}$/.test(id));
  const others = [
    deliveryId('event:u1:4', 'ClusterEventRule/all', 0),
    deliveryId('event:u1:3', 'ClusterEventRule/other', 0),
    deliveryId('event:u1:3', 'ClusterEventRule/all', 1),
  ];
  assert.is(new Set([id, ...others]).size, 4);
});

test('fields cannot run into each other', () => {
  assert.is.not(deliveryId('a', 'b\n1', 2), deliveryId('a\nb', '1', 2));
});

test.run();
