// The Telegram plugin as a real process, over real gRPC, against the Bot API double.
import { fileURLToPath } from 'node:url';
import { status } from '@grpc/grpc-js';
import {
  EXAMPLE_TELEGRAM_TOKEN,
  freePort,
  startTelegramDouble,
  type TelegramFailMode,
} from '@k8slistener/testkit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { failureOf, notification, startPluginProcess } from '../../../libs/plugin-kit/test/plugin-process.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const CHANNEL_TIMEOUT_MS = 1000;
const SECRET = EXAMPLE_TELEGRAM_TOKEN.split(':')[1] as string;

const double = await startTelegramDouble({ tokens: [EXAMPLE_TELEGRAM_TOKEN] });
const downPort = await freePort();
const plugin = await startPluginProcess(MAIN, {
  // The API base comes from TELEGRAM_API_URL for "ops" and from the target for "down".
  TELEGRAM_API_URL: double.apiUrl,
  TARGETS: [
    'ops:',
    `  botToken: "${EXAMPLE_TELEGRAM_TOKEN}"`,
    '  chatId: -1001234567890',
    'topic:',
    `  botToken: "${EXAMPLE_TELEGRAM_TOKEN}"`,
    '  chatId: "@ops_alerts"',
    '  messageThreadId: 42',
    'down:',
    `  botToken: "${EXAMPLE_TELEGRAM_TOKEN}"`,
    '  chatId: 1',
    `  apiUrl: http://127.0.0.1:${downPort}`,
    '',
  ].join('\n'),
  CHANNEL_TIMEOUT_MS: String(CHANNEL_TIMEOUT_MS),
});

const message = {
  title: 'Pod <web-1> crash-looping',
  text: 'Back-off restarting failed container & giving up',
  severity: 'SEVERITY_ERROR' as const,
  fields: [{ name: 'Namespace', value: 'shop', short: true }],
  links: [{ title: 'Dashboard', url: 'https://grafana.example.com/d/1?a=1&b=2' }],
  silent: true,
};
let seq = 0;
const telegram = (target = 'ops', over: Partial<typeof message> = {}) =>
  notification(`tg-it-${++seq}`, target, { telegram: { ...message, ...over } });

test.after.each(() => double.reset());

test('health SERVING and Info', async () => {
  assert.is(await plugin.health(), 'SERVING');
  assert.equal(await plugin.info(), {
    messageType: 'telegram',
    version: '0.1.0',
    targets: ['down', 'ops', 'topic'],
    maxBatchSize: 20,
  });
});

test('sends HTML that Telegram parses into exactly the expected text and entities; posted once', async () => {
  const n = telegram();
  assert.equal(await plugin.notify(n), {
    ok: {
      deliveryId: n.deliveryId,
      outcome: 'OUTCOME_DELIVERED',
      channelStatus: '200',
      detail: 'message_id 1',
      retryAfter: null,
      code: 0,
    },
  });
  const again = await plugin.notify(n);
  assert.is('ok' in again && again.ok.outcome, 'OUTCOME_DUPLICATE');
  const sent = double.sent();
  assert.is(sent.length, 1);
  const text =
    '🚨 Pod <web-1> crash-looping\n\nBack-off restarting failed container & giving up\n\nNamespace: shop\n\nDashboard';
  assert.is(sent[0]?.text, text);
  assert.equal(
    sent[0]?.entities?.map((e) => [e.type, text.slice(e.offset, e.offset + e.length), e.url]),
    [
      ['bold', 'Pod <web-1> crash-looping', undefined],
      ['bold', 'Namespace:', undefined],
      ['text_link', 'Dashboard', 'https://grafana.example.com/d/1?a=1&b=2'],
    ],
  );
  const request = double.requests[0];
  assert.is(request?.path, `/bot${EXAMPLE_TELEGRAM_TOKEN}/sendMessage`);
  assert.equal(request?.json, {
    chat_id: -1001234567890,
    text:
      '🚨 <b>Pod &lt;web-1&gt; crash-looping</b>\n\nBack-off restarting failed container &amp; giving up\n\n' +
      '<b>Namespace:</b> shop\n\n<a href="https://grafana.example.com/d/1?a=1&amp;b=2">Dashboard</a>',
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    disable_notification: true,
  });
});

test('a forum topic gets message_thread_id', async () => {
  await plugin.notify(telegram('topic'));
  const json = double.requests[0]?.json as { chat_id: unknown; message_thread_id: unknown };
  assert.equal([json.chat_id, json.message_thread_id], ['@ops_alerts', 42]);
});

test('a text above 4,096 characters is cut and still accepted', async () => {
  const result = await plugin.notify(telegram('ops', { text: '<b>'.repeat(2000) }));
  assert.ok('ok' in result, JSON.stringify(result));
  const sent = double.sent()[0];
  assert.ok(sent !== undefined && [...sent.text].length <= 4096);
  assert.ok(sent?.text.includes('<b><b>'));
});

test('every Bot API error the double knows ends with its gRPC code', async () => {
  const table: [TelegramFailMode, status, string][] = [
    ['chat_not_found', status.FAILED_PRECONDITION, 'Bad Request: chat not found'],
    ['message_too_long', status.INVALID_ARGUMENT, 'Bad Request: message is too long'],
    ['message_text_empty', status.INVALID_ARGUMENT, 'Bad Request: message text is empty'],
    [
      'cant_parse_entities',
      status.INVALID_ARGUMENT,
      'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 0',
    ],
    [
      'chat_migrated',
      status.FAILED_PRECONDITION,
      "Bad Request: group chat was upgraded to a supergroup chat; set the target's chatId to -1001234567890",
    ],
    [
      'unauthorized',
      status.PERMISSION_DENIED,
      'Unauthorized: the Bot API does not accept this bot token (check botToken and apiUrl)',
    ],
    ['bot_blocked', status.FAILED_PRECONDITION, 'Forbidden: bot was blocked by the user'],
    ['bot_kicked', status.FAILED_PRECONDITION, 'Forbidden: bot was kicked from the group chat'],
    ['not_channel_member', status.FAILED_PRECONDITION, 'Forbidden: bot is not a member of the channel chat'],
    ['user_deactivated', status.FAILED_PRECONDITION, 'Forbidden: user is deactivated'],
    [
      'not_found',
      status.PERMISSION_DENIED,
      'Not Found: the Bot API does not accept this bot token (check botToken and apiUrl)',
    ],
    ['server_error', status.UNAVAILABLE, 'Internal Server Error'],
    ['bad_gateway', status.UNAVAILABLE, 'Bad Gateway'],
    ['unavailable', status.UNAVAILABLE, 'Service Unavailable'],
  ];
  for (const [mode, code, detail] of table) {
    double.fail(mode, 1);
    const result = await plugin.notify(telegram());
    assert.equal(
      failureOf(result).filter((_, i) => i !== 1),
      [code, detail],
      mode,
    );
  }
  assert.is(double.requests.length, table.length);
});

test('429 is RESOURCE_EXHAUSTED with parameters.retry_after', async () => {
  double.rateLimit(9, 1);
  const n = telegram();
  assert.equal(await plugin.notify(n), {
    code: status.RESOURCE_EXHAUSTED,
    details: 'Too Many Requests: retry after 9',
    trailer: {
      deliveryId: n.deliveryId,
      outcome: 'OUTCOME_RATE_LIMITED',
      channelStatus: '429',
      detail: 'Too Many Requests: retry after 9',
      retryAfter: { seconds: '9', nanos: 0 },
      code: 0,
    },
  });
});

test('slow Bot API → UNAVAILABLE timeout; dropped connection and refused connection → UNAVAILABLE', async () => {
  double.slow(CHANNEL_TIMEOUT_MS * 3);
  assert.equal(failureOf(await plugin.notify(telegram())).slice(0, 2), [status.UNAVAILABLE, 'timeout']);
  double.slow(0);
  double.fail('drop', 1);
  assert.is(failureOf(await plugin.notify(telegram()))[0], status.UNAVAILABLE);
  assert.equal(failureOf(await plugin.notify(telegram('down'))).slice(0, 2), [
    status.UNAVAILABLE,
    'ECONNREFUSED',
  ]);
});

test('wrong payload type and unknown target are refused; the token never reaches the logs', async () => {
  const wrong = await plugin.notify(notification('w', 'ops', { slack: { title: 'x' } }));
  assert.equal(failureOf(wrong), [
    status.INVALID_ARGUMENT,
    'wrong_type',
    'payload is "slack"; this plugin delivers "telegram"',
  ]);
  const unknown = await plugin.notify(telegram('nope'));
  assert.equal(failureOf(unknown).slice(0, 2), [status.FAILED_PRECONDITION, 'unknown_target']);
  assert.is(double.requests.length, 0);
  assert.not.ok(plugin.output().includes(SECRET));
});

test('SIGTERM drains the in-flight delivery, then exits 0', async () => {
  double.slow(600);
  const n = telegram();
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
