// The Teams plugin as a real process, over real gRPC, against the Workflows webhook double.
import { fileURLToPath } from 'node:url';
import { status } from '@grpc/grpc-js';
import { freePort, startTeamsDouble, type TeamsFailMode } from '@k8slistener/testkit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { failureOf, notification, startPluginProcess } from '../../../libs/plugin-kit/test/plugin-process.ts';
import { adaptiveCard } from '../src/adaptive-card.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const CHANNEL_TIMEOUT_MS = 1000;
const WORKFLOW = { id: 'abcdef0123456789abcdef0123456789', sig: 'signature-secret' };

const double = await startTeamsDouble({ workflows: [WORKFLOW] });
const downPort = await freePort();
const wrongSig = double.workflowUrl({ id: WORKFLOW.id, sig: 'wrong-signature' });
const plugin = await startPluginProcess(MAIN, {
  TARGETS: JSON.stringify({
    ops: { webhookUrl: double.webhookUrl },
    forged: { webhookUrl: wrongSig },
    down: {
      webhookUrl: `http://127.0.0.1:${downPort}/workflows/x/triggers/manual/paths/invoke?api-version=1&sig=s`,
    },
  }),
  CHANNEL_TIMEOUT_MS: String(CHANNEL_TIMEOUT_MS),
});

const message = {
  title: 'Deployment shop/web rolled out',
  text: 'Rollout completed: 3 of 3 replicas updated.',
  severity: 'SEVERITY_SUCCESS' as const,
  fields: [{ name: 'Namespace', value: 'shop', short: true }],
  links: [{ title: 'Dashboard', url: 'https://grafana.example.com/d/1' }],
  context: 'cluster prod · by expert@org.com',
};
let seq = 0;
const teams = (target = 'ops') => notification(`teams-it-${++seq}`, target, { teams: message });

test.after.each(() => double.reset());

test('health SERVING and Info', async () => {
  assert.is(await plugin.health(), 'SERVING');
  assert.equal(await plugin.info(), {
    messageType: 'teams',
    version: '0.1.0',
    targets: ['down', 'forged', 'ops'],
    maxBatchSize: 20,
  });
});

test('202 Accepted is DELIVERED; the workflow received exactly our card; posted once', async () => {
  const n = teams();
  assert.equal(await plugin.notify(n), {
    ok: {
      deliveryId: n.deliveryId,
      outcome: 'OUTCOME_DELIVERED',
      channelStatus: '202',
      detail: 'workflow run 08584000000000000000000001CU00',
      retryAfter: null,
      code: 0,
    },
  });
  const again = await plugin.notify(n);
  assert.is('ok' in again && again.ok.outcome, 'OUTCOME_DUPLICATE');
  const expected = adaptiveCard({ ...message });
  assert.ok('value' in expected);
  assert.equal(double.delivered(), [{ workflowId: WORKFLOW.id, cards: [expected.value] }]);
});

test('every workflow error the double knows ends with its gRPC code', async () => {
  const table: [TeamsFailMode, status, string][] = [
    ['bad_request', status.INVALID_ARGUMENT, 'TriggerInputSchemaMismatch'],
    ['unauthorized', status.PERMISSION_DENIED, 'DirectApiAuthorizationRequired'],
    ['invalid_signature', status.PERMISSION_DENIED, 'DirectApiInvalidAuthorizationSignature'],
    ['workflow_not_found', status.FAILED_PRECONDITION, 'WorkflowNotFound'],
    ['flow_disabled', status.FAILED_PRECONDITION, 'WorkflowTriggerIsNotEnabled'],
    ['server_error', status.UNAVAILABLE, '500'],
    ['unavailable', status.UNAVAILABLE, '503'],
  ];
  for (const [mode, code, channelStatus] of table) {
    double.fail(mode, 1);
    assert.equal(failureOf(await plugin.notify(teams())).slice(0, 2), [code, channelStatus], mode);
  }
  // And for real: a wrong signature in the target's URL.
  assert.equal(failureOf(await plugin.notify(teams('forged'))), [
    status.PERMISSION_DENIED,
    'DirectApiInvalidAuthorizationSignature',
    'DirectApiInvalidAuthorizationSignature: The provided authorization signature is not valid.',
  ]);
  assert.is(double.requests.length, table.length + 1);
});

test('429 is RESOURCE_EXHAUSTED with the Retry-After', async () => {
  double.rateLimit(4, 1);
  const n = teams();
  const result = await plugin.notify(n);
  assert.equal(result, {
    code: status.RESOURCE_EXHAUSTED,
    details: 'WorkflowRequestsThrottled: Rate limit is exceeded. Try again in 4 seconds.',
    trailer: {
      deliveryId: n.deliveryId,
      outcome: 'OUTCOME_RATE_LIMITED',
      channelStatus: '429',
      detail: 'WorkflowRequestsThrottled: Rate limit is exceeded. Try again in 4 seconds.',
      retryAfter: { seconds: '4', nanos: 0 },
      code: 0,
    },
  });
});

test('slow workflow → UNAVAILABLE timeout; dropped and refused connections → UNAVAILABLE', async () => {
  double.slow(CHANNEL_TIMEOUT_MS * 3);
  assert.equal(failureOf(await plugin.notify(teams())).slice(0, 2), [status.UNAVAILABLE, 'timeout']);
  double.slow(0);
  double.fail('drop', 1);
  assert.is(failureOf(await plugin.notify(teams()))[0], status.UNAVAILABLE);
  assert.equal(failureOf(await plugin.notify(teams('down'))).slice(0, 2), [
    status.UNAVAILABLE,
    'ECONNREFUSED',
  ]);
});

test('wrong payload type and unknown target are refused; the signature never reaches the logs', async () => {
  assert.equal(
    failureOf(await plugin.notify(notification('w', 'ops', { elastic: { documentJson: '{}' } }))),
    [status.INVALID_ARGUMENT, 'wrong_type', 'payload is "elastic"; this plugin delivers "teams"'],
  );
  assert.equal(failureOf(await plugin.notify(teams('nope'))).slice(0, 2), [
    status.FAILED_PRECONDITION,
    'unknown_target',
  ]);
  assert.is(double.requests.length, 0);
  assert.not.ok(plugin.output().includes(WORKFLOW.sig));
});

test('SIGTERM drains the in-flight delivery, then exits 0', async () => {
  double.slow(600);
  const n = teams();
  const inFlight = plugin.notify(n);
  while (double.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
  const exit = plugin.stop();
  const result = await inFlight;
  assert.is('ok' in result && result.ok.outcome, 'OUTCOME_DELIVERED');
  assert.is(await exit, 0);
});

test.after(async () => {
  await plugin.stop();
  await double.close();
});

test.run();
