import { credentials, type Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { createLogger } from '@k8slistener/log';
import {
  loadContracts,
  type Notification,
  type NotifierClient,
  type NotifyResponse__Output,
  readResponseTrailer,
} from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChannelError } from './channel-error.ts';
import type { PluginDefinition } from './plugin-definition.ts';
import { type RunningPlugin, startPlugin } from './start-plugin.ts';

interface Target {
  channel: string;
}

const lines: Record<string, unknown>[] = [];
const log = createLogger({ name: 'test', format: 'json', write: (line) => lines.push(JSON.parse(line)) });
const delivered: string[] = [];
const batches: string[][] = [];
let gate: Promise<void> | undefined;

/** Answers according to the message title: "fail:<code>", "throw", "slow" (waits for `gate`), else delivered. */
const definition: PluginDefinition<'slack', Target> = {
  messageType: 'slack',
  version: '9.9.9',
  parseTargets: (raw) => {
    const map = raw as Record<string, { channel?: string }>;
    if (Object.values(map).some((t) => !t.channel)) return { errors: ['target "bad": channel: required'] };
    return { targets: new Map(Object.entries(map).map(([k, v]) => [k, { channel: v.channel ?? '' }])) };
  },
  deliver: async (message, target, n) => {
    if (message.title === 'slow') await gate;
    if (message.title === 'throw') throw new TypeError('boom');
    if (message.title === 'rate')
      throw new ChannelError('rate_limited', { channelStatus: '429', retryAfterMs: 3000 });
    if (message.title.startsWith('fail:')) {
      throw new ChannelError(message.title.slice(5) as ChannelError['code'], {
        channelStatus: 'x',
        detail: 'said no',
      });
    }
    delivered.push(`${target.channel}:${n.deliveryId}`);
    return { channelStatus: '200' };
  },
};

const contracts = loadContracts();
const clientFor = (plugin: RunningPlugin): NotifierClient =>
  new contracts.k8slistener.v1.Notifier(`127.0.0.1:${plugin.port}`, credentials.createInsecure());

type CallResult = { ok: NotifyResponse__Output } | { code: status; details: string; trailer: unknown };
const notify = (client: NotifierClient, n: Notification): Promise<CallResult> =>
  new Promise((resolve) =>
    client.Notify(n, (error: ServiceError | null, response?: NotifyResponse__Output) => {
      if (error) {
        resolve({
          code: error.code,
          details: error.details,
          trailer: readResponseTrailer(error.metadata as Metadata),
        });
      } else resolve({ ok: response as NotifyResponse__Output });
    }),
  );

const slack = (id: string, title: string, target = 'ops'): Notification => ({
  deliveryId: id,
  target,
  attempt: 1,
  rule: { kind: 'ClusterEventRule', name: 'r', destinationIndex: 0 },
  slack: { title, text: 'body' },
});

const start = (
  targets: { value: unknown } | { errors: string[] },
  extra: Partial<PluginDefinition<'slack', Target>> = {},
) =>
  startPlugin({
    definition: { ...definition, ...extra },
    targets,
    host: '127.0.0.1',
    log,
    channelTimeoutMs: 1000,
  });

test('delivers, refuses wrong types and unknown targets, maps errors, remembers ids', async () => {
  const plugin = await start({ value: { ops: { channel: 'C1' }, dev: { channel: 'C2' } } });
  const client = clientFor(plugin);
  try {
    assert.equal(await notify(client, slack('d1', 'hello')), {
      ok: {
        deliveryId: 'd1',
        outcome: 'OUTCOME_DELIVERED',
        channelStatus: '200',
        detail: '',
        retryAfter: null,
        code: 0,
      },
    });
    assert.equal(await notify(client, slack('d1', 'hello')), {
      ok: {
        deliveryId: 'd1',
        outcome: 'OUTCOME_DUPLICATE',
        channelStatus: '',
        detail: 'duplicate of an earlier delivery',
        retryAfter: null,
        code: 0,
      },
    });
    assert.equal(delivered, ['C1:d1']);

    const wrong = await notify(client, { deliveryId: 'd2', target: 'ops', telegram: { title: 't' } });
    assert.equal(wrong, {
      code: status.INVALID_ARGUMENT,
      details: 'payload is "telegram"; this plugin delivers "slack"',
      trailer: {
        deliveryId: 'd2',
        outcome: 'OUTCOME_REJECTED',
        channelStatus: 'wrong_type',
        detail: 'payload is "telegram"; this plugin delivers "slack"',
        retryAfter: null,
        code: 0,
      },
    });
    const none = await notify(client, { deliveryId: 'd2', target: 'ops' });
    assert.equal((none as { details: string }).details, 'payload is missing; this plugin delivers "slack"');
    const unknown = await notify(client, slack('d3', 'hello', 'nope'));
    assert.equal(
      [(unknown as { code: status }).code, (unknown as { details: string }).details],
      [status.FAILED_PRECONDITION, 'target "nope" is not configured; configured targets: dev, ops'],
    );
    const noId = await notify(client, slack('', 'hello'));
    assert.equal(
      [(noId as { code: status }).code, (noId as { details: string }).details],
      [status.INVALID_ARGUMENT, 'delivery_id is empty'],
    );

    const rate = await notify(client, slack('d4', 'rate'));
    assert.equal(rate, {
      code: status.RESOURCE_EXHAUSTED,
      details: 'rate limited',
      trailer: {
        deliveryId: 'd4',
        outcome: 'OUTCOME_RATE_LIMITED',
        channelStatus: '429',
        detail: 'rate limited',
        retryAfter: { seconds: '3', nanos: 0 },
        code: 0,
      },
    });
    const codes: [string, status][] = [
      ['unavailable', status.UNAVAILABLE],
      ['rejected', status.FAILED_PRECONDITION],
      ['unauthorized', status.PERMISSION_DENIED],
      ['invalid_payload', status.INVALID_ARGUMENT],
    ];
    for (const [code, grpc] of codes) {
      const result = await notify(client, slack(`f-${code}`, `fail:${code}`));
      assert.is((result as { code: status }).code, grpc, code);
    }
    const bug = await notify(client, slack('d5', 'throw'));
    assert.equal(
      [(bug as { code: status }).code, (bug as { details: string }).details],
      [status.UNAVAILABLE, 'unexpected plugin error: boom'],
    );

    const line = lines.find((l) => l.delivery_id === 'd4');
    assert.equal(
      { ...line, time: undefined },
      {
        time: undefined,
        level: 'warn',
        logger: 'test',
        msg: 'delivery',
        delivery_id: 'd4',
        rule: 'ClusterEventRule r#0',
        target: 'ops',
        attempt: 1,
        outcome: 'rate_limited',
        code: 'RESOURCE_EXHAUSTED',
        channel_status: '429',
        latency_ms: (line as { latency_ms: number }).latency_ms,
        detail: 'rate limited',
      },
    );

    const info = await new Promise((resolve, reject) =>
      client.Info({}, (e: ServiceError | null, v?: unknown) => (e ? reject(e) : resolve(v))),
    );
    assert.equal(info, { messageType: 'slack', version: '9.9.9', targets: ['dev', 'ops'], maxBatchSize: 20 });

    const metrics = await fetch(`http://127.0.0.1:${plugin.metricsPort}/metrics`).then((r) => r.text());
    assert.match(
      metrics,
      'k8slistener_plugin_deliveries_total{message_type="slack",target="ops",outcome="duplicate",code="OK"} 1',
    );
    assert.is((await fetch(`http://127.0.0.1:${plugin.metricsPort}/readyz`)).status, 200);
  } finally {
    client.close();
    await plugin.close();
  }
});

test('NotifyBatch judges each item; above max_batch_size is RESOURCE_EXHAUSTED', async () => {
  const plugin = await start({ value: { ops: { channel: 'C1' } } }, { maxBatchSize: 3 });
  const client = clientFor(plugin);
  const batch = (ns: Notification[]) =>
    new Promise<unknown>((resolve) =>
      client.NotifyBatch(
        { notifications: ns },
        (e: ServiceError | null, v?: { responses: NotifyResponse__Output[] }) =>
          resolve(
            e
              ? { code: e.code, details: e.details }
              : v?.responses.map((r) => [r.deliveryId, r.outcome, r.code]),
          ),
      ),
    );
  try {
    delivered.length = 0;
    assert.equal(await batch([slack('b1', 'x'), slack('b2', 'fail:rejected'), slack('b3', 'x', 'zzz')]), [
      ['b1', 'OUTCOME_DELIVERED', status.OK],
      ['b2', 'OUTCOME_REJECTED', status.FAILED_PRECONDITION],
      ['b3', 'OUTCOME_REJECTED', status.FAILED_PRECONDITION],
    ]);
    assert.equal(delivered, ['C1:b1']);
    assert.equal(await batch([slack('1', 'x'), slack('2', 'x'), slack('3', 'x'), slack('4', 'x')]), {
      code: status.RESOURCE_EXHAUSTED,
      details: "batch of 4 is above this plugin's max_batch_size 3",
    });
  } finally {
    client.close();
    await plugin.close();
  }
});

test('a native deliverBatch gets the checked items in one call; duplicates are answered before it', async () => {
  const deliverBatch: PluginDefinition<'slack', Target>['deliverBatch'] = async (items) => {
    batches.push(items.map((i) => i.notification.deliveryId));
    return items.map((i) =>
      i.message.title === 'bad'
        ? new ChannelError('invalid_payload', { detail: 'mapping' })
        : { channelStatus: '201' },
    );
  };
  const plugin = await start({ value: { ops: { channel: 'C1' } } }, { deliverBatch, maxBatchSize: 10 });
  const client = clientFor(plugin);
  const batch = (ns: Notification[]) =>
    new Promise<unknown>((resolve, reject) =>
      client.NotifyBatch(
        { notifications: ns },
        (e: ServiceError | null, v?: { responses: NotifyResponse__Output[] }) =>
          e
            ? reject(e)
            : resolve(v?.responses.map((r) => [r.deliveryId, r.outcome, r.code, r.channelStatus])),
      ),
    );
  try {
    assert.equal(
      await batch([slack('n1', 'x'), slack('n2', 'bad'), { deliveryId: 'n3', target: 'ops', teams: {} }]),
      [
        ['n1', 'OUTCOME_DELIVERED', status.OK, '201'],
        ['n2', 'OUTCOME_REJECTED', status.INVALID_ARGUMENT, ''],
        ['n3', 'OUTCOME_REJECTED', status.INVALID_ARGUMENT, 'wrong_type'],
      ],
    );
    assert.equal(await batch([slack('n1', 'x'), slack('n2', 'x')]), [
      ['n1', 'OUTCOME_DUPLICATE', status.OK, ''],
      ['n2', 'OUTCOME_DELIVERED', status.OK, '201'],
    ]);
    assert.equal(batches, [['n1', 'n2'], ['n2']]);
  } finally {
    client.close();
    await plugin.close();
  }
});

test('invalid targets: health NOT_SERVING, calls answer UNAVAILABLE config_invalid', async () => {
  const plugin = await start({ value: { bad: {} } });
  const client = clientFor(plugin);
  const health = new contracts.grpc.health.v1.Health(
    `127.0.0.1:${plugin.port}`,
    credentials.createInsecure(),
  );
  try {
    assert.equal(plugin.targets, { errors: ['target "bad": channel: required'] });
    const check = await new Promise((resolve, reject) =>
      health.Check({ service: '' }, (e: ServiceError | null, v?: { status: string }) =>
        e ? reject(e) : resolve(v?.status),
      ),
    );
    assert.is(check, 'NOT_SERVING');
    const result = await notify(client, slack('c1', 'x'));
    assert.equal(
      [(result as { code: status }).code, (result as { details: string }).details],
      [status.UNAVAILABLE, 'plugin targets configuration is invalid: target "bad": channel: required'],
    );
    assert.is((await fetch(`http://127.0.0.1:${plugin.metricsPort}/readyz`)).status, 503);
  } finally {
    health.close();
    client.close();
    await plugin.close();
  }
});

test('drain waits for the in-flight delivery, then stops; health goes NOT_SERVING', async () => {
  const plugin = await start({ value: { ops: { channel: 'C9' } } });
  const client = clientFor(plugin);
  let release: () => void = () => {};
  gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  try {
    delivered.length = 0;
    const inFlight = notify(client, slack('s1', 'slow'));
    // The call must have reached deliver before draining starts.
    while ((await plugin.metrics.inFlight.get()).values[0]?.value !== 1)
      await new Promise((r) => setTimeout(r, 5));
    const drained = plugin.drain(60_000);
    assert.not.ok(plugin.serving());
    release();
    await drained;
    assert.equal(await inFlight, {
      ok: {
        deliveryId: 's1',
        outcome: 'OUTCOME_DELIVERED',
        channelStatus: '200',
        detail: '',
        retryAfter: null,
        code: 0,
      },
    });
    assert.equal(delivered, ['C9:s1']);
  } finally {
    client.close();
    await plugin.close();
  }
});

test('drain past the grace period aborts the delivery, which answers UNAVAILABLE', async () => {
  const waitForAbort: PluginDefinition<'slack', Target>['deliver'] = (_m, _t, _n, { signal }) =>
    new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  const plugin = await start({ value: { ops: { channel: 'C9' } } }, { deliver: waitForAbort });
  const client = clientFor(plugin);
  try {
    const inFlight = notify(client, slack('s2', 'x'));
    while ((await plugin.metrics.inFlight.get()).values[0]?.value !== 1)
      await new Promise((r) => setTimeout(r, 5));
    await plugin.drain(0);
    const result = (await inFlight) as { code: status; trailer: { channelStatus: string } };
    assert.equal([result.code, result.trailer.channelStatus], [status.UNAVAILABLE, 'aborted']);
  } finally {
    client.close();
    await plugin.close();
  }
});

test.run();
