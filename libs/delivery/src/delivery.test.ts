import { status } from '@grpc/grpc-js';
import { createLogger } from '@k8slistener/log';
import {
  type Notification,
  type NotifyResponse,
  type NotifyResponse__Output,
  responseTrailer,
  toDuration,
} from '@k8slistener/proto';
import { Registry } from 'prom-client';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDelivery, type DeliveryOptions, type SettledResult } from './delivery.ts';
import { QueueClosedError } from './keyed-queue.ts';
import { defaultRetryPolicy } from './retry-policy.ts';
import type { NotifyTransport } from './router-transport.ts';

type Answer = { code: status; response?: NotifyResponse } | 'hang';

interface Sent {
  type: string;
  deliveryId: string;
  attempt: number;
  createdAt: unknown;
  deadlineMs: number;
}

/** A transport that answers from a script per delivery id (default: delivered) and records calls. */
function scripted(script: Record<string, Answer[]> = {}) {
  const sent: Sent[] = [];
  let closed = false;
  const transport: NotifyTransport = {
    notify(type, n: Notification, deadlineMs, signal) {
      const deliveryId = n.deliveryId ?? '';
      sent.push({ type, deliveryId, attempt: n.attempt ?? 0, createdAt: n.createdAt, deadlineMs });
      const answer = script[deliveryId]?.shift() ?? { code: status.OK };
      if (answer === 'hang')
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () =>
            reject(
              Object.assign(new Error('cancelled'), {
                code: status.CANCELLED,
                details: 'Cancelled on client',
              }),
            ),
          ),
        );
      if (answer.code === status.OK) {
        return Promise.resolve({
          deliveryId,
          outcome: 'OUTCOME_DELIVERED',
          channelStatus: '200',
          detail: '',
          retryAfter: null,
          code: 0,
          ...answer.response,
        } as NotifyResponse__Output);
      }
      const metadata = responseTrailer(answer.response ?? { deliveryId, outcome: 'OUTCOME_UNAVAILABLE' });
      return Promise.reject(
        Object.assign(new Error(status[answer.code]), {
          code: answer.code,
          details: answer.response?.detail ?? '',
          metadata,
        }),
      );
    },
    close() {
      closed = true;
    },
  };
  return { transport, sent, isClosed: () => closed };
}

function harness(script: Record<string, Answer[]> = {}, extra: Partial<DeliveryOptions> = {}) {
  const { transport, sent, isClosed } = scripted(script);
  let now = Date.parse('2026-01-01T00:00:00Z');
  const waits: number[] = [];
  const lines: Record<string, unknown>[] = [];
  const settled: SettledResult[] = [];
  const registry = new Registry();
  const delivery = createDelivery({
    routerAddress: 'unused:0',
    log: createLogger({
      name: 'test',
      format: 'json',
      level: 'debug',
      write: (l) => lines.push(JSON.parse(l)),
    }),
    registry,
    transport,
    clock: () => now,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      if (ms >= 1_000_000) {
        // "forever": only an abort ends it
        await new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
      waits.push(ms);
      now += ms;
    },
    onSettled: (r) => settled.push(r),
    ...extra,
  });
  return { delivery, sent, waits, lines, settled, registry, isClosed, advance: (ms: number) => (now += ms) };
}

function item(id: string, key = 'obj-1', type = 'slack') {
  return {
    type,
    orderingKey: key,
    notification: {
      deliveryId: id,
      event: { id: `ev-${id}` },
      rule: { kind: 'EventRule', namespace: 'team-a', name: 'crashes', destinationIndex: 0 },
      target: 'ops',
      slack: { text: `hello ${id}` },
      message: 'slack' as const,
    },
  };
}

test('a delivered notification settles once, logged at info with the plugin answer', async () => {
  const h = harness();
  await h.delivery.enqueue(item('d1'));
  assert.ok(await h.delivery.drain(1000));
  assert.equal(h.settled, [
    { deliveryId: 'd1', eventId: 'ev-d1', type: 'slack', outcome: 'delivered', attempts: 1 },
  ]);
  assert.is(h.sent.length, 1);
  assert.is(h.sent[0]?.type, 'slack');
  assert.is(h.sent[0]?.attempt, 1);
  assert.is(h.sent[0]?.deadlineMs, 15_000);
  assert.ok(h.sent[0]?.createdAt, 'createdAt is stamped on the first attempt');
  const line = h.lines.find((l) => l.msg === 'delivery attempt');
  assert.equal(
    { ...line, time: undefined },
    {
      time: undefined,
      level: 'info',
      logger: 'test',
      msg: 'delivery attempt',
      deliveryId: 'd1',
      rule: 'EventRule:team-a/crashes#0',
      type: 'slack',
      target: 'ops',
      attempt: 1,
      code: 'OK',
      outcome: 'OUTCOME_DELIVERED',
      channelStatus: '200',
      detail: '',
      latencyMs: 0,
    },
  );
});

test('transient failures are retried with the policy backoff, same delivery id, attempt counted up', async () => {
  const h = harness({ d1: [{ code: status.UNAVAILABLE }, { code: status.UNIMPLEMENTED }] });
  await h.delivery.enqueue(item('d1'));
  await h.delivery.drain(1000);
  assert.equal(
    h.sent.map((s) => [s.deliveryId, s.attempt]),
    [
      ['d1', 1],
      ['d1', 2],
      ['d1', 3],
    ],
  );
  assert.equal(h.waits, [500, 1000]);
  assert.equal(
    h.settled.map((s) => [s.outcome, s.attempts]),
    [['delivered', 3]],
  );
  const warns = h.lines.filter((l) => l.level === 'warn');
  assert.equal(
    warns.map((l) => [l.attempt, l.code, l.verdict, l.nextAttemptInMs]),
    [
      [1, 'UNAVAILABLE', 'retry', 500],
      [2, 'UNIMPLEMENTED', 'retry', 1000],
    ],
  );
  assert.is(h.delivery.stats().retries, 2);
  assert.match(
    await h.registry.metrics(),
    'k8slistener_delivery_retries_total{message_type="slack",code="UNAVAILABLE"} 1',
  );
});

test("a rate-limited answer waits the channel's retry_after", async () => {
  const h = harness(
    {
      d1: [
        {
          code: status.RESOURCE_EXHAUSTED,
          response: { outcome: 'OUTCOME_RATE_LIMITED', channelStatus: '429', retryAfter: toDuration(3000) },
        },
      ],
    },
    { random: () => 0 },
  );
  await h.delivery.enqueue(item('d1'));
  await h.delivery.drain(1000);
  assert.equal(h.waits, [3000]);
  const warn = h.lines.find((l) => l.level === 'warn');
  assert.is(warn?.retryAfterMs, 3000);
  assert.is(warn?.channelStatus, '429');
});

test('a permanent error is not retried and becomes one dead letter with everything to replay it', async () => {
  const h = harness({
    d1: [
      {
        code: status.INVALID_ARGUMENT,
        response: {
          deliveryId: 'd1',
          outcome: 'OUTCOME_REJECTED',
          channelStatus: '400',
          detail: 'invalid_blocks',
        },
      },
    ],
  });
  await h.delivery.enqueue(item('d1'));
  await h.delivery.drain(1000);
  assert.is(h.sent.length, 1);
  assert.equal(h.waits, []);
  assert.equal(
    h.settled.map((s) => [s.outcome, s.attempts]),
    [['dead-letter', 1]],
  );
  const [letter, ...more] = h.delivery.deadLetters();
  assert.is(more.length, 0);
  assert.is(letter?.deliveryId, 'd1');
  assert.is(letter?.eventId, 'ev-d1');
  assert.is(letter?.type, 'slack');
  assert.is(letter?.orderingKey, 'obj-1');
  assert.is(letter?.code, status.INVALID_ARGUMENT);
  assert.is(letter?.codeName, 'INVALID_ARGUMENT');
  assert.is(letter?.reason, 'invalid payload: invalid_blocks');
  assert.is(letter?.response?.channelStatus, '400');
  assert.is(letter?.attempts, 1);
  assert.is(letter?.notification.slack?.text, 'hello d1');
  assert.is(letter?.firstAttemptAt, '2026-01-01T00:00:00.000Z');
  const error = h.lines.find((l) => l.level === 'error');
  assert.is(error?.msg, 'dead letter: delivery given up');
  assert.is((error?.notification as { deliveryId?: string } | undefined)?.deliveryId, 'd1');
  const metrics = await h.registry.metrics();
  assert.match(metrics, 'k8slistener_dead_letters_total{message_type="slack",code="INVALID_ARGUMENT"} 1');
  assert.match(metrics, 'k8slistener_deliveries_total{message_type="slack",outcome="dead_letter"} 1');
});

test('a delivery that keeps failing gives up after maxElapsedMs', async () => {
  const failures = Array.from({ length: 50 }, () => ({ code: status.UNAVAILABLE }));
  const h = harness(
    { d1: failures },
    {
      policy: {
        ...defaultRetryPolicy,
        initialBackoffMs: 1000,
        maxBackoffMs: 4000,
        maxElapsedMs: 10_000,
        jitter: 0,
      },
    },
  );
  await h.delivery.enqueue(item('d1'));
  await h.delivery.drain(1000);
  // waits 1, 2, 4 (7 s); the next 4 s would end at 11 s > 10 s
  assert.equal(h.waits, [1000, 2000, 4000]);
  assert.equal(
    h.settled.map((s) => [s.outcome, s.attempts]),
    [['dead-letter', 4]],
  );
  assert.is(h.delivery.deadLetters()[0]?.lastAttemptAt, '2026-01-01T00:00:07.000Z');
});

test('a duplicate answer settles as duplicate', async () => {
  const h = harness({ d1: [{ code: status.OK, response: { outcome: 'OUTCOME_DUPLICATE' } }] });
  await h.delivery.enqueue(item('d1'));
  await h.delivery.drain(1000);
  assert.equal(
    h.settled.map((s) => s.outcome),
    ['duplicate'],
  );
});

test('deliveries of one object stay in order while an earlier one is retried; other objects go ahead', async () => {
  const h = harness({ a1: [{ code: status.UNAVAILABLE }, { code: status.UNAVAILABLE }] });
  await h.delivery.enqueue(item('a1', 'A'));
  await h.delivery.enqueue(item('a2', 'A'));
  await h.delivery.enqueue(item('b1', 'B'));
  await h.delivery.drain(1000);
  const order = h.sent.map((s) => s.deliveryId);
  assert.ok(order.indexOf('a2') > order.lastIndexOf('a1'), `a2 after every a1 attempt: ${order}`);
  assert.ok(order.indexOf('b1') < order.lastIndexOf('a1'), `b1 did not wait for A: ${order}`);
  assert.equal(
    h.settled.map((s) => s.deliveryId),
    ['b1', 'a1', 'a2'],
  );
});

test('a full queue holds enqueue until a delivery settles (backpressure), never drops', async () => {
  const gate: (() => void)[] = [];
  const sent: string[] = [];
  const transport: NotifyTransport = {
    notify: (_type, n) =>
      new Promise((resolve) => {
        sent.push(n.deliveryId ?? '');
        gate.push(() =>
          resolve({ deliveryId: n.deliveryId ?? '', outcome: 'OUTCOME_DELIVERED' } as NotifyResponse__Output),
        );
      }),
    close: () => {},
  };
  const h = harness({}, { transport, queueCapacityPerType: 2, concurrencyPerType: 2 });
  await h.delivery.enqueue(item('d1', 'k1'));
  await h.delivery.enqueue(item('d2', 'k2'));
  let third = false;
  const pending = h.delivery.enqueue(item('d3', 'k3')).then(() => (third = true));
  await new Promise((r) => setImmediate(r));
  assert.is(third, false);
  assert.is(h.delivery.stats().types.slack?.blocked, 1);
  assert.match(await h.registry.metrics(), 'k8slistener_delivery_queue_depth{message_type="slack"} 2');
  gate.shift()?.();
  await pending;
  assert.is(third, true);
  while (gate.length < 2) await new Promise((r) => setImmediate(r));
  for (const open of gate.splice(0)) open();
  assert.ok(await h.delivery.drain(1000));
  assert.equal(sent, ['d1', 'd2', 'd3']);
  assert.is(h.settled.length, 3);
});

test('types have separate queues: a stuck type does not block another', async () => {
  const h = harness({ s1: ['hang'] }, { queueCapacityPerType: 1 });
  await h.delivery.enqueue(item('s1', 'k', 'slack'));
  await h.delivery.enqueue(item('t1', 'k', 'telegram'));
  assert.is(await h.delivery.drain(50), false);
  assert.equal(
    h.settled.map((s) => s.deliveryId),
    ['t1'],
  );
});

test('drain stops intake; on timeout unsettled deliveries are abandoned without being settled', async () => {
  const h = harness({ d1: ['hang'] });
  await h.delivery.enqueue(item('d1'));
  await h.delivery.enqueue(item('d2'));
  assert.is(await h.delivery.drain(100), false);
  const error = await h.delivery.enqueue(item('d3')).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(error, QueueClosedError);
  await new Promise((r) => setImmediate(r));
  assert.equal(h.settled, [], 'neither d1 (in flight) nor d2 (queued behind it) is reported settled');
  assert.equal(
    h.sent.map((s) => s.deliveryId),
    ['d1'],
    'd2 never started',
  );
  assert.is(h.delivery.deadLetters().length, 0);
});

test('drain also ends a retry backoff in progress at its timeout', async () => {
  const h = harness(
    { d1: [{ code: status.UNAVAILABLE }] },
    {
      policy: {
        ...defaultRetryPolicy,
        initialBackoffMs: 2_000_000,
        maxBackoffMs: 2_000_000,
        maxElapsedMs: 10_000_000,
      },
    },
  );
  await h.delivery.enqueue(item('d1'));
  assert.is(await h.delivery.drain(100), false);
  await new Promise((r) => setImmediate(r));
  assert.equal(h.settled, []);
});

test('close stops at once and closes the client', async () => {
  const h = harness({ d1: ['hang'] });
  await h.delivery.enqueue(item('d1'));
  h.delivery.close();
  await new Promise((r) => setImmediate(r));
  assert.ok(h.isClosed());
  assert.equal(h.settled, []);
});

test('bad options are refused with the option named', () => {
  const base = { routerAddress: 'x:1', log: createLogger({ name: 't', format: 'json', write: () => {} }) };
  assert.throws(
    () =>
      createDelivery({
        ...base,
        registry: new Registry(),
        queueCapacityPerType: 0,
        policy: { ...defaultRetryPolicy, jitter: 2 },
        transport: scripted().transport,
      }),
    (e: Error) =>
      e.message ===
      'invalid delivery options: jitter must be a number from 0 to 1; got 2; queueCapacityPerType must be an integer ≥ 1; got 0',
  );
});

test.run();
