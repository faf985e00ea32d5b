// The Slack plugin as a real process, over real gRPC, against the Slack double.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { status } from '@grpc/grpc-js';
import { freePort, type SlackFailMode, startSlackDouble } from '@k8slistener/testkit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { notification, startPluginProcess } from '../../../libs/plugin-kit/test/plugin-process.ts';
import { slackPayload } from '../src/slack-payload.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const CHANNEL_TIMEOUT_MS = 1000;
const SECRET = 'XXXXXXXXXXXXXXXXXXXXXXXX';

const double = await startSlackDouble();
const downPort = await freePort();
const plugin = await startPluginProcess(MAIN, {
  TARGETS: `ops:\n  webhookUrl: ${double.webhookUrl}\ndown:\n  webhookUrl: http://127.0.0.1:${downPort}/services/T1/B1/${SECRET}\n`,
  CHANNEL_TIMEOUT_MS: String(CHANNEL_TIMEOUT_MS),
  DRAIN_TIMEOUT_MS: '10000',
});

const message = {
  title: 'Pod crash-looping',
  text: 'Back-off restarting <failed> container',
  severity: 'SEVERITY_WARNING' as const,
  fields: [{ name: 'Namespace', value: 'shop', short: true }],
  links: [{ title: 'Dashboard', url: 'https://grafana.example.com/d/1' }],
  fallback: 'Pod crash-looping in shop',
  context: 'cluster prod',
};
let seq = 0;
const slack = (target = 'ops', over: Partial<typeof message> = {}) =>
  notification(`slack-it-${++seq}`, target, { slack: { ...message, ...over } });

test.after.each(() => double.reset());

test('health SERVING and Info', async () => {
  assert.is(await plugin.health(), 'SERVING');
  assert.is(await plugin.health('k8slistener.v1.Notifier'), 'SERVING');
  assert.equal(await plugin.info(), {
    messageType: 'slack',
    version: '0.1.0',
    targets: ['down', 'ops'],
    maxBatchSize: 20,
  });
});

test('delivers the Block Kit payload to the webhook; a repeated delivery_id is posted once', async () => {
  const n = slack();
  const first = await plugin.notify(n);
  assert.equal(first, {
    ok: {
      deliveryId: n.deliveryId,
      outcome: 'OUTCOME_DELIVERED',
      channelStatus: '200',
      detail: '',
      retryAfter: null,
      code: 0,
    },
  });
  const again = await plugin.notify({ ...n, attempt: 2 });
  assert.is('ok' in again && again.ok.outcome, 'OUTCOME_DUPLICATE');
  const expected = slackPayload({ ...message, severity: 'SEVERITY_WARNING' });
  assert.ok('value' in expected);
  assert.equal(double.delivered(), [{ path: new URL(double.webhookUrl).pathname, payload: expected.value }]);
  assert.is(double.requests[0]?.headers['content-type'], 'application/json');
});

test('every documented webhook error ends with its gRPC code and the Slack code in the trailer', async () => {
  const table: [SlackFailMode, status, string][] = [
    ['invalid_payload', status.INVALID_ARGUMENT, 'invalid_payload'],
    ['user_not_found', status.INVALID_ARGUMENT, 'user_not_found'],
    ['no_text', status.INVALID_ARGUMENT, 'no_text'],
    ['too_many_attachments', status.INVALID_ARGUMENT, 'too_many_attachments'],
    ['invalid_blocks', status.INVALID_ARGUMENT, 'invalid_blocks'],
    ['action_prohibited', status.FAILED_PRECONDITION, 'action_prohibited'],
    ['posting_to_general_channel_denied', status.FAILED_PRECONDITION, 'posting_to_general_channel_denied'],
    ['invalid_token', status.PERMISSION_DENIED, 'invalid_token'],
    ['team_disabled', status.PERMISSION_DENIED, 'team_disabled'],
    ['channel_not_found', status.FAILED_PRECONDITION, 'channel_not_found'],
    ['no_service', status.PERMISSION_DENIED, 'no_service'],
    ['no_service_id', status.PERMISSION_DENIED, 'no_service_id'],
    ['no_team', status.PERMISSION_DENIED, 'no_team'],
    ['channel_is_archived', status.FAILED_PRECONDITION, 'channel_is_archived'],
    ['rollup_error', status.UNAVAILABLE, 'rollup_error'],
    ['server_error', status.UNAVAILABLE, 'rollup_error'],
    ['unavailable', status.UNAVAILABLE, '503'],
  ];
  for (const [mode, code, channelStatus] of table) {
    double.fail(mode, 1);
    const n = slack();
    const result = await plugin.notify(n);
    assert.ok('code' in result, mode);
    if (!('code' in result)) continue;
    assert.is(result.code, code, mode);
    assert.is(result.trailer?.channelStatus, channelStatus, mode);
    assert.is(result.trailer?.deliveryId, n.deliveryId, mode);
    assert.is(
      result.trailer?.outcome,
      code === status.UNAVAILABLE ? 'OUTCOME_UNAVAILABLE' : 'OUTCOME_REJECTED',
      mode,
    );
    // A failed delivery is not remembered: the retry is posted.
    assert.is('ok' in (await plugin.notify(n)) ? 'delivered' : 'failed', 'delivered', mode);
  }
  assert.is(double.requests.length, table.length * 2);
});

test("429 is RESOURCE_EXHAUSTED with the double's Retry-After", async () => {
  double.rateLimit(7, 1);
  const n = slack();
  const result = await plugin.notify(n);
  assert.equal(result, {
    code: status.RESOURCE_EXHAUSTED,
    details: 'Slack rate limited the webhook',
    trailer: {
      deliveryId: n.deliveryId,
      outcome: 'OUTCOME_RATE_LIMITED',
      channelStatus: '429',
      detail: 'Slack rate limited the webhook',
      retryAfter: { seconds: '7', nanos: 0 },
      code: 0,
    },
  });
});

test('a channel slower than CHANNEL_TIMEOUT_MS is UNAVAILABLE "timeout"; a dropped connection UNAVAILABLE', async () => {
  double.slow(CHANNEL_TIMEOUT_MS * 3);
  const slow = await plugin.notify(slack());
  assert.equal(
    ['code' in slow && slow.code, 'code' in slow && slow.trailer?.channelStatus],
    [status.UNAVAILABLE, 'timeout'],
  );
  double.slow(0);
  double.fail('drop', 1);
  const dropped = await plugin.notify(slack());
  assert.is('code' in dropped && dropped.code, status.UNAVAILABLE);
});

test('a channel that is down (connection refused) is UNAVAILABLE ECONNREFUSED', async () => {
  const result = await plugin.notify(slack('down'));
  assert.equal(
    ['code' in result && result.code, 'code' in result && result.trailer?.channelStatus],
    [status.UNAVAILABLE, 'ECONNREFUSED'],
  );
});

test('a wrong payload type, an unknown target and a non-http link are refused before Slack is called', async () => {
  const wrong = await plugin.notify(notification('w1', 'ops', { telegram: { title: 'x' } }));
  assert.equal(
    ['code' in wrong && wrong.code, 'code' in wrong && wrong.details],
    [status.INVALID_ARGUMENT, 'payload is "telegram"; this plugin delivers "slack"'],
  );
  const unknown = await plugin.notify(slack('nowhere'));
  assert.equal(
    ['code' in unknown && unknown.code, 'code' in unknown && unknown.details],
    [status.FAILED_PRECONDITION, 'target "nowhere" is not configured; configured targets: down, ops'],
  );
  const link = await plugin.notify(slack('ops', { links: [{ title: 'x', url: 'javascript:alert(1)' }] }));
  assert.equal(
    ['code' in link && link.code, 'code' in link && link.details],
    [status.INVALID_ARGUMENT, 'links[0].url: expected an absolute http(s) URL'],
  );
  assert.is(double.requests.length, 0);
});

test('one log line per delivery, never the webhook secret', async () => {
  const n = slack();
  await plugin.notify(n);
  const line = plugin.logs.find((l) => l.delivery_id === n.deliveryId && l.msg === 'delivery');
  assert.equal(
    [line?.target, line?.outcome, line?.channel_status, line?.attempt, typeof line?.latency_ms],
    ['ops', 'delivered', '200', 1, 'number'],
  );
  assert.not.ok(plugin.output().includes(SECRET));
  const metrics = await fetch(`http://127.0.0.1:${plugin.metricsPort}/metrics`).then((r) => r.text());
  assert.match(
    metrics,
    /k8slistener_plugin_deliveries_total\{message_type="slack",target="ops",outcome="delivered",code="OK"\} \d+/,
  );
});

test('SIGTERM drains the in-flight delivery, then exits 0', async () => {
  double.slow(600);
  const n = slack();
  const inFlight = plugin.notify(n);
  while (double.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
  const exit = plugin.stop();
  assert.equal(await inFlight, {
    ok: {
      deliveryId: n.deliveryId,
      outcome: 'OUTCOME_DELIVERED',
      channelStatus: '200',
      detail: '',
      retryAfter: null,
      code: 0,
    },
  });
  assert.is(await exit, 0);
});

test('invalid targets: the process serves with health NOT_SERVING and answers UNAVAILABLE', async () => {
  const broken = await startPluginProcess(MAIN, { TARGETS: 'ops:\n  webhookUrl: not-a-url\n' });
  try {
    assert.is(await broken.health(), 'NOT_SERVING');
    const result = await broken.notify(slack());
    assert.equal(
      ['code' in result && result.code, 'code' in result && result.details],
      [
        status.UNAVAILABLE,
        'plugin targets configuration is invalid: target "ops": webhookUrl: expected an absolute http(s) URL',
      ],
    );
  } finally {
    assert.is(await broken.stop(), 0);
  }
});

test('an invalid setting stops the process at once with exit code 2, naming the setting', () => {
  const result = spawnSync(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, GRPC_PORT: 'grpc', CHANNEL_TIMEOUT_MS: '0', TARGETS: 'x: {}' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.is(result.status, 2);
  assert.is(
    result.stderr,
    'k8slistener slack: GRPC_PORT must be a whole number from 0 to 65535; got "grpc"\n' +
      'k8slistener slack: CHANNEL_TIMEOUT_MS must be a whole number from 1 to 600000; got "0"\n',
  );
});

test.after(async () => {
  await plugin.stop();
  await double.close();
});

test.run();
