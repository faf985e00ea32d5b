import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  EXAMPLE_TELEGRAM_TOKEN,
  MAX_MESSAGE_CHARS,
  startTelegramDouble,
  TELEGRAM_CHAT_RATE_LIMIT,
  type TelegramDouble,
  type TelegramDoubleOptions,
  type TelegramMessage,
} from './telegram.ts';

/** The Bot API answer shape; `result` typed as the Message sendMessage returns. */
interface ApiAnswer {
  readonly ok: boolean;
  readonly result: TelegramMessage;
  readonly error_code?: number;
  readonly description?: string;
  readonly parameters?: Readonly<Record<string, number>>;
}

const NOW_MS = Date.UTC(2026, 10, 24, 14, 2, 11);
const DATE = Math.floor(NOW_MS / 1000);
const BOT = { id: 123456789, is_bot: true, first_name: 'Double Bot', username: 'double_123456789_bot' };

async function withTelegram(
  options: TelegramDoubleOptions,
  run: (telegram: TelegramDouble) => Promise<void>,
) {
  const telegram = await startTelegramDouble({ now: () => NOW_MS, ...options });
  try {
    await run(telegram);
  } finally {
    await telegram.close();
  }
}

async function callApi(
  telegram: TelegramDouble,
  method: string,
  params: unknown,
  token = EXAMPLE_TELEGRAM_TOKEN,
) {
  const response = await fetch(`${telegram.apiUrl}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    retryAfterHeader: response.headers.get('retry-after'),
    body: (await response.json()) as ApiAnswer,
  };
}

test('sendMessage answers a realistic Message with incrementing ids', () =>
  withTelegram({}, async (telegram) => {
    const first = await callApi(telegram, 'sendMessage', { chat_id: 42, text: 'pod crashed' });
    assert.equal([first.status, first.contentType], [200, 'application/json']);
    assert.equal(first.body, {
      ok: true,
      result: {
        message_id: 1,
        from: BOT,
        chat: { id: 42, type: 'private', first_name: 'Test' },
        date: DATE,
        text: 'pod crashed',
      },
    });
    const second = await callApi(telegram, 'sendMessage', { chat_id: '42', text: 'again' });
    assert.is(second.body.result.message_id, 2);
    const group = await callApi(telegram, 'sendMessage', { chat_id: -1001234567890, text: 'to a group' });
    assert.equal(
      [group.body.result.message_id, group.body.result.chat],
      [1, { id: -1001234567890, type: 'supergroup', title: 'Test supergroup' }],
    );
    assert.equal(
      telegram.sent().map((m) => [m.chat.id, m.message_id, m.text]),
      [
        [42, 1, 'pod crashed'],
        [42, 2, 'again'],
        [-1001234567890, 1, 'to a group'],
      ],
    );
  }));

test('HTML parse mode returns the plain text and its entities', () =>
  withTelegram({}, async (telegram) => {
    const answer = await callApi(telegram, 'sendMessage', {
      chat_id: 42,
      text: ' <b>web-1</b> is <a href="https://k8s.example/pod">down</a> &amp; restarting\n',
      parse_mode: 'HTML',
    });
    assert.equal(answer.body.result.text, 'web-1 is down & restarting');
    assert.equal(answer.body.result.entities, [
      { type: 'bold', offset: 0, length: 5 },
      { type: 'text_link', offset: 9, length: 4, url: 'https://k8s.example/pod' },
    ]);
  }));

test('a channel post carries sender_chat instead of from', () =>
  withTelegram({}, async (telegram) => {
    const answer = await callApi(telegram, 'sendMessage', { chat_id: '@alerts', text: 'x' });
    const channel = { id: -1001000000001, type: 'channel', title: 'alerts', username: 'alerts' };
    assert.equal(answer.body.result, {
      message_id: 1,
      sender_chat: channel,
      chat: channel,
      date: DATE,
      text: 'x',
    });
  }));

test('form-urlencoded and query-string parameters work like JSON', () =>
  withTelegram({}, async (telegram) => {
    const form = await fetch(`${telegram.apiUrl}/bot${EXAMPLE_TELEGRAM_TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: '7', text: '<i>form</i>', parse_mode: 'HTML' }).toString(),
    });
    const formBody = (await form.json()) as ApiAnswer;
    assert.equal(
      [form.status, formBody.result.text, formBody.result.entities],
      [200, 'form', [{ type: 'italic', offset: 0, length: 4 }]],
    );
    const query = await fetch(
      `${telegram.apiUrl}/bot${EXAMPLE_TELEGRAM_TOKEN}/SENDMESSAGE?chat_id=7&text=query`,
    );
    assert.equal([query.status, ((await query.json()) as ApiAnswer).result.text], [200, 'query']);
  }));

test('getMe describes the bot behind the token', () =>
  withTelegram({}, async (telegram) => {
    const answer = await callApi(telegram, 'getMe', {});
    assert.equal(answer.body, {
      ok: true,
      result: {
        ...BOT,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      },
    });
  }));

test('bad requests get the Bot API error, status and description', () =>
  withTelegram({}, async (telegram) => {
    const cases: [string, unknown, number, string][] = [
      ['sendMessage', { text: 'x' }, 400, 'Bad Request: chat_id is empty'],
      ['sendMessage', { chat_id: 42 }, 400, 'Bad Request: message text is empty'],
      ['sendMessage', { chat_id: 42, text: '' }, 400, 'Bad Request: message text is empty'],
      ['sendMessage', { chat_id: 42, text: ' \n ' }, 400, 'Bad Request: message text is empty'],
      [
        'sendMessage',
        { chat_id: 42, text: '<b></b>', parse_mode: 'HTML' },
        400,
        'Bad Request: message text is empty',
      ],
      ['sendMessage', { chat_id: 'general', text: 'x' }, 400, 'Bad Request: chat not found'],
      [
        'sendMessage',
        { chat_id: 42, text: 'x', parse_mode: 'BBCode' },
        400,
        'Bad Request: unsupported parse_mode',
      ],
      [
        'sendMessage',
        { chat_id: 42, text: 'x'.repeat(MAX_MESSAGE_CHARS + 1) },
        400,
        'Bad Request: message is too long',
      ],
      [
        'sendMessage',
        { chat_id: 42, text: '<p>para</p>', parse_mode: 'HTML' },
        400,
        'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 0',
      ],
      [
        'sendMessage',
        { chat_id: 42, text: 'a <b>b', parse_mode: 'html' },
        400,
        'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
      ],
      ['sendPhoto', { chat_id: 42 }, 404, 'Not Found'],
    ];
    for (const [method, params, status, description] of cases) {
      const answer = await callApi(telegram, method, params);
      assert.equal(
        [answer.status, answer.body],
        [status, { ok: false, error_code: status, description }],
        description,
      );
    }
    assert.equal(telegram.sent(), []);
  }));

test('the length limit counts characters after entity parsing', () =>
  withTelegram({}, async (telegram) => {
    const markup = `<b>${'x'.repeat(MAX_MESSAGE_CHARS)}</b>`;
    assert.is(
      (await callApi(telegram, 'sendMessage', { chat_id: 42, text: markup, parse_mode: 'HTML' })).status,
      200,
    );
    const emoji = '😀'.repeat(MAX_MESSAGE_CHARS);
    assert.is((await callApi(telegram, 'sendMessage', { chat_id: 42, text: emoji })).status, 200);
  }));

test('tokens: malformed is 404, unknown is 401 Unauthorized', () =>
  withTelegram({ tokens: [EXAMPLE_TELEGRAM_TOKEN] }, async (telegram) => {
    const cases: [string, number, string][] = [
      ['not-a-token', 404, 'Not Found'],
      ['%E0%A4%A', 404, 'Not Found'],
      ['987654321:AAAnotTheRightOne', 401, 'Unauthorized'],
    ];
    for (const [token, status, description] of cases) {
      const answer = await callApi(telegram, 'getMe', {}, token);
      assert.equal(
        [answer.status, answer.body],
        [status, { ok: false, error_code: status, description }],
        token,
      );
    }
    assert.is((await callApi(telegram, 'getMe', {})).status, 200);
    const outside = await fetch(`${telegram.apiUrl}/nothing`);
    assert.equal(
      [outside.status, await outside.json()],
      [404, { ok: false, error_code: 404, description: 'Not Found' }],
    );
  }));

test('with registered chats, others are not found', () =>
  withTelegram(
    {
      chats: [
        { id: -100777, type: 'supergroup', title: 'Ops' },
        { id: -100888, type: 'channel', title: 'Feed', username: 'feed' },
      ],
    },
    async (telegram) => {
      const known = await callApi(telegram, 'sendMessage', { chat_id: -100777, text: 'x' });
      assert.equal(
        [known.status, known.body.result.chat],
        [200, { id: -100777, type: 'supergroup', title: 'Ops' }],
      );
      const byName = await callApi(telegram, 'sendMessage', { chat_id: '@feed', text: 'x' });
      assert.equal([byName.status, byName.body.result.chat.id], [200, -100888]);
      for (const chatId of [42, '@other']) {
        const answer = await callApi(telegram, 'sendMessage', { chat_id: chatId, text: 'x' });
        assert.equal(
          [answer.status, answer.body.description],
          [400, 'Bad Request: chat not found'],
          String(chatId),
        );
      }
    },
  ));

test('every documented error can be forced', () =>
  withTelegram({}, async (telegram) => {
    const cases: [Parameters<typeof telegram.fail>[0], number, string, unknown][] = [
      ['chat_not_found', 400, 'Bad Request: chat not found', undefined],
      ['message_too_long', 400, 'Bad Request: message is too long', undefined],
      ['message_text_empty', 400, 'Bad Request: message text is empty', undefined],
      [
        'cant_parse_entities',
        400,
        'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 0',
        undefined,
      ],
      [
        'chat_migrated',
        400,
        'Bad Request: group chat was upgraded to a supergroup chat',
        { migrate_to_chat_id: -1001234567890 },
      ],
      ['unauthorized', 401, 'Unauthorized', undefined],
      ['bot_blocked', 403, 'Forbidden: bot was blocked by the user', undefined],
      ['bot_kicked', 403, 'Forbidden: bot was kicked from the group chat', undefined],
      ['not_channel_member', 403, 'Forbidden: bot is not a member of the channel chat', undefined],
      ['user_deactivated', 403, 'Forbidden: user is deactivated', undefined],
      ['not_found', 404, 'Not Found', undefined],
      ['server_error', 500, 'Internal Server Error', undefined],
      ['bad_gateway', 502, 'Bad Gateway', undefined],
      ['unavailable', 503, 'Service Unavailable', undefined],
    ];
    for (const [mode, status, description, parameters] of cases) {
      telegram.fail(mode, 1);
      const answer = await callApi(telegram, 'sendMessage', { chat_id: 42, text: 'x' });
      const expected = { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) };
      assert.equal(
        [answer.status, answer.contentType, answer.body],
        [status, 'application/json', expected],
        mode,
      );
    }
    assert.is((await callApi(telegram, 'sendMessage', { chat_id: 42, text: 'x' })).status, 200);
  }));

test('rateLimit answers 429 with parameters.retry_after', () =>
  withTelegram({}, async (telegram) => {
    telegram.rateLimit(17, 1);
    const limited = await callApi(telegram, 'sendMessage', { chat_id: 42, text: 'x' });
    assert.equal(
      [limited.status, limited.retryAfterHeader, limited.body],
      [
        429,
        null,
        {
          ok: false,
          error_code: 429,
          description: 'Too Many Requests: retry after 17',
          parameters: { retry_after: 17 },
        },
      ],
    );
    assert.is((await callApi(telegram, 'sendMessage', { chat_id: 42, text: 'x' })).status, 200);
  }));

test('the automatic limit counts per chat', () => {
  let nowMs = NOW_MS;
  return withTelegram({ now: () => nowMs, autoRateLimit: TELEGRAM_CHAT_RATE_LIMIT }, async (telegram) => {
    assert.is((await callApi(telegram, 'sendMessage', { chat_id: 1, text: 'x' })).status, 200);
    assert.is((await callApi(telegram, 'sendMessage', { chat_id: 2, text: 'x' })).status, 200);
    const limited = await callApi(telegram, 'sendMessage', { chat_id: '1', text: 'x' });
    assert.equal([limited.status, limited.body.parameters], [429, { retry_after: 1 }]);
    nowMs += 1000;
    assert.is((await callApi(telegram, 'sendMessage', { chat_id: 1, text: 'x' })).status, 200);
  });
});

test('drop, slow, HTTP control and reset', () =>
  withTelegram({}, async (telegram) => {
    await fetch(`${telegram.origin}/_double/control`, {
      method: 'POST',
      body: JSON.stringify([
        { action: 'fail', mode: 'drop', count: 1 },
        { action: 'fail', mode: 'bot_blocked', count: 1 },
      ]),
    });
    await callApi(telegram, 'sendMessage', { chat_id: 42, text: 'x' }).then(
      () => assert.unreachable('a dropped request must not be answered'),
      () => undefined,
    );
    assert.is((await callApi(telegram, 'sendMessage', { chat_id: 42, text: 'x' })).status, 403);
    telegram.slow(50);
    assert.is((await callApi(telegram, 'sendMessage', { chat_id: 42, text: 'x' })).body.result.message_id, 1);
    assert.equal(
      telegram.requests.map((r) => r.answer).map((a) => ('dropped' in a ? 'dropped' : a.status)),
      ['dropped', 403, 200],
    );
    const reset = await fetch(`${telegram.origin}/_double/reset`, { method: 'POST' });
    assert.is(reset.status, 200);
    assert.equal(telegram.requests, []);
    assert.is((await callApi(telegram, 'sendMessage', { chat_id: 42, text: 'x' })).body.result.message_id, 1);
  }));

test.run();
