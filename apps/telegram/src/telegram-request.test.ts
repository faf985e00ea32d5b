import type { TelegramMessage__Output } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_MESSAGE_CHARS, sendMessageRequest, type TelegramDestination } from './telegram-request.ts';

const destination: TelegramDestination = { chatId: '-1001234567890', linkPreview: false };
const message = (over: Partial<TelegramMessage__Output> = {}): TelegramMessage__Output => ({
  title: 'Pod crash-looping',
  text: 'Back-off restarting failed container',
  severity: 'SEVERITY_WARNING',
  fields: [],
  links: [],
  silent: false,
  ...over,
});
const value = (m: TelegramMessage__Output, d = destination) => {
  const result = sendMessageRequest(m, d);
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.value;
};
/** What Telegram shows: the text with tags removed and entities decoded. */
const shown = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

test('the full layout, HTML parse mode, previews off, numeric chat id', () => {
  assert.equal(
    value(
      message({
        fields: [
          { name: 'Namespace', value: 'shop', short: true },
          { name: 'Pod', value: 'web-1', short: true },
        ],
        links: [
          { title: 'Dashboard', url: 'https://grafana.example.com/d/1?a=1&b=2' },
          { title: 'Logs', url: 'https://logs.example.com/' },
        ],
      }),
    ),
    {
      chat_id: -1001234567890,
      text:
        '⚠️ <b>Pod crash-looping</b>\n\nBack-off restarting failed container\n\n<b>Namespace:</b> shop\n<b>Pod:</b> web-1\n\n' +
        '<a href="https://grafana.example.com/d/1?a=1&amp;b=2">Dashboard</a> · <a href="https://logs.example.com/">Logs</a>',
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      disable_notification: false,
    },
  );
});

test('forum topic, @channel, silent, link preview on request', () => {
  const request = value(message({ silent: true }), {
    chatId: '@ops_alerts',
    messageThreadId: 42,
    linkPreview: true,
  });
  assert.equal(
    [request.chat_id, request.message_thread_id, request.disable_notification, request.link_preview_options],
    ['@ops_alerts', 42, true, { is_disabled: false }],
  );
});

test('severity emoji', () => {
  const table: [TelegramMessage__Output['severity'], string][] = [
    ['SEVERITY_UNSPECIFIED', 'ℹ️'],
    ['SEVERITY_INFO', 'ℹ️'],
    ['SEVERITY_SUCCESS', '✅'],
    ['SEVERITY_WARNING', '⚠️'],
    ['SEVERITY_ERROR', '🚨'],
  ];
  for (const [severity, emoji] of table)
    assert.ok(value(message({ severity })).text.startsWith(`${emoji} <b>`), severity);
});

test('untrusted text is escaped everywhere', () => {
  const request = value(
    message({
      title: '<b>x</b>',
      text: 'a & <a href="http://evil.test">b</a>',
      fields: [{ name: '<i>', value: '&amp;', short: false }],
      links: [{ title: '<u>go</u>', url: 'https://x.test/"><script>' }],
    }),
  );
  assert.is(
    request.text,
    '⚠️ <b>&lt;b&gt;x&lt;/b&gt;</b>\n\na &amp; &lt;a href="http://evil.test"&gt;b&lt;/a&gt;\n\n<b>&lt;i&gt;:</b> &amp;amp;\n\n' +
      '<a href="https://x.test/&quot;&gt;&lt;script&gt;">&lt;u&gt;go&lt;/u&gt;</a>',
  );
});

test('the 4,096-character limit: the text is cut, title, fields and links stay', () => {
  const request = value(
    message({
      text: '<&>'.repeat(3000),
      fields: [{ name: 'Namespace', value: 'shop', short: true }],
      links: [{ title: 'Dashboard', url: 'https://x.test/' }],
    }),
  );
  const visible = shown(request.text);
  assert.ok(visible.length <= MAX_MESSAGE_CHARS, String(visible.length));
  assert.ok(visible.length >= MAX_MESSAGE_CHARS - 2, String(visible.length));
  assert.ok(visible.startsWith('⚠️ Pod crash-looping\n\n<&><&>'));
  assert.ok(visible.endsWith('…\n\nNamespace: shop\n\nDashboard'));
});

test('too many fields: dropped from the end until the message fits', () => {
  const fields = Array.from({ length: 200 }, (_, i) => ({
    name: `f${i}`,
    value: 'v'.repeat(100),
    short: false,
  }));
  const request = value(message({ text: 'body', fields }));
  const visible = shown(request.text);
  assert.ok(visible.length <= MAX_MESSAGE_CHARS, String(visible.length));
  assert.ok(visible.includes('f0: '));
  assert.not.ok(visible.includes('f199: '));
});

test('refuses non-http links and messages with nothing to show', () => {
  const table: [Partial<TelegramMessage__Output>, string[]][] = [
    [
      { links: [{ title: 'x', url: 'tg://resolve?domain=x' }] },
      ['links[0].url: expected an absolute http(s) URL'],
    ],
    [{ title: '', text: ' ', fields: [] }, ['message has no title, text or fields']],
  ];
  for (const [over, errors] of table)
    assert.equal(sendMessageRequest(message(over), destination), { errors });
});

test.run();
