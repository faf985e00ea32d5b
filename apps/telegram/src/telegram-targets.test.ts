import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { telegramTargets } from './telegram-targets.ts';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';

test('reads targets with defaults', () => {
  assert.equal(
    telegramTargets({
      ops: { botToken: TOKEN, chatId: -1001234567890 },
      topic: {
        botToken: TOKEN,
        chatId: '@ops_alerts',
        messageThreadId: 42,
        apiUrl: 'http://bot-api:8081/',
        linkPreview: true,
      },
    }),
    {
      targets: new Map([
        [
          'ops',
          {
            botToken: TOKEN,
            chatId: '-1001234567890',
            apiUrl: 'https://api.telegram.org',
            linkPreview: false,
          },
        ],
        [
          'topic',
          {
            botToken: TOKEN,
            chatId: '@ops_alerts',
            messageThreadId: 42,
            apiUrl: 'http://bot-api:8081',
            linkPreview: true,
          },
        ],
      ]),
    },
  );
  const own = telegramTargets({ ops: { botToken: TOKEN, chatId: 1 } }, 'http://127.0.0.1:9');
  assert.is('targets' in own && own.targets.get('ops')?.apiUrl, 'http://127.0.0.1:9');
});

test('errors name target and field, never the token', () => {
  const table: [unknown, string[]][] = [
    [{ ops: {} }, ['target "ops": botToken: required', 'target "ops": chatId: required']],
    [
      { ops: { botToken: 'secret-without-id', chatId: 'general' } },
      [
        'target "ops": botToken: expected "<bot id>:<secret>" as BotFather issues it',
        'target "ops": chatId: expected a numeric chat id or @channelname',
      ],
    ],
    [
      { ops: { botToken: TOKEN, chatId: 1, messageThreadId: 0, apiUrl: 'bot-api:8081', linkPreview: 'no' } },
      [
        'target "ops": messageThreadId: expected a whole number from 1 to 2147483647',
        'target "ops": apiUrl: expected an absolute http(s) URL',
        'target "ops": linkPreview: expected true or false',
      ],
    ],
  ];
  for (const [raw, errors] of table) {
    const result = telegramTargets(raw);
    assert.equal(result, { errors }, JSON.stringify(raw));
    assert.not.ok(JSON.stringify(result).includes('AAHdq'));
  }
});

test('the example Secret in k8s/ holds valid targets', () => {
  const manifest = parse(readFileSync(new URL('../k8s/secret.example.yaml', import.meta.url), 'utf8')) as {
    stringData: { 'targets.yaml': string };
  };
  const result = telegramTargets(parse(manifest.stringData['targets.yaml']));
  assert.ok('targets' in result, JSON.stringify(result));
});

test.run();
