import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Notification } from './generated/k8slistener/v1/Notification.ts';
import { loadContracts } from './load.ts';

test('Notifier service has Notify, NotifyBatch and Info with their paths', () => {
  const service = loadContracts().k8slistener.v1.Notifier.service;
  assert.equal(Object.keys(service).sort(), ['Info', 'Notify', 'NotifyBatch']);
  assert.is(service.Notify.path, '/k8slistener.v1.Notifier/Notify');
  assert.is(service.NotifyBatch.path, '/k8slistener.v1.Notifier/NotifyBatch');
});

test('the standard health service is loaded from proto/', () => {
  const service = loadContracts().grpc.health.v1.Health.service;
  assert.is(service.Check.path, '/grpc.health.v1.Health/Check');
});

test('a Notification round-trips with its oneof, enums as names and 64-bit values as strings', () => {
  const type = loadContracts().k8slistener.v1.Notification;
  const sent: Notification = {
    deliveryId: 'd-1',
    target: 'ops',
    event: {
      id: 'e-1',
      source: 'SOURCE_ROLLOUT',
      type: 'EVENT_TYPE_NORMAL',
      reason: 'RolloutCompleted',
      involvedObject: {
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        generation: '9007199254740993',
        labels: { app: 'web' },
      },
      actor: { username: 'expert@org.com', groups: ['devs', 'system:authenticated'] },
    },
    slack: {
      title: 'web rolled out',
      severity: 'SEVERITY_SUCCESS',
      fields: [{ name: 'Namespace', value: 'shop' }],
    },
  };
  const received = type.deserialize(type.serialize(sent));
  assert.is(received.message, 'slack');
  assert.is(received.telegram, undefined);
  assert.is(received.slack?.severity, 'SEVERITY_SUCCESS');
  assert.is(received.slack?.fields[0]?.value, 'shop');
  assert.is(received.event?.source, 'SOURCE_ROLLOUT');
  assert.is(received.event?.involvedObject?.generation, '9007199254740993');
  assert.equal(received.event?.involvedObject?.labels, { app: 'web' });
  assert.equal(received.event?.actor?.groups, ['devs', 'system:authenticated']);
  // defaults: true fills absent scalars
  assert.is(received.attempt, 0);
  assert.is(received.event?.message, '');
});

test.run();
