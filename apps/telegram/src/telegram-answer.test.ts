import { ChannelError } from '@k8slistener/plugin-kit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { telegramAnswer } from './telegram-answer.ts';

const failure = (code: number, description: string, parameters?: Record<string, number>) =>
  JSON.stringify({ ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });

test('ok:true is delivered with the message id', () => {
  assert.equal(telegramAnswer(200, JSON.stringify({ ok: true, result: { message_id: 7 } })), {
    channelStatus: '200',
    detail: 'message_id 7',
  });
});

test('429 honours parameters.retry_after', () => {
  const error = telegramAnswer(
    429,
    failure(429, 'Too Many Requests: retry after 12', { retry_after: 12 }),
  ) as ChannelError;
  assert.equal(
    [error.code, error.channelStatus, error.retryAfterMs, error.detail],
    ['rate_limited', '429', 12_000, 'Too Many Requests: retry after 12'],
  );
});

test('documented and observed errors', () => {
  const table: [number, string, ChannelError['code']][] = [
    [400, 'Bad Request: chat not found', 'rejected'],
    [400, 'Bad Request: message thread not found', 'rejected'],
    [400, 'Bad Request: message is too long', 'invalid_payload'],
    [400, 'Bad Request: message text is empty', 'invalid_payload'],
    [400, `Bad Request: can't parse entities: Unsupported start tag "p" at byte offset 0`, 'invalid_payload'],
    [400, 'Bad Request: something new', 'invalid_payload'],
    [401, 'Unauthorized', 'unauthorized'],
    [403, 'Forbidden: bot was blocked by the user', 'rejected'],
    [403, 'Forbidden: bot was kicked from the group chat', 'rejected'],
    [403, 'Forbidden: bot is not a member of the channel chat', 'rejected'],
    [403, 'Forbidden: user is deactivated', 'rejected'],
    [403, 'Forbidden: something new', 'unauthorized'],
    [404, 'Not Found', 'unauthorized'],
    [500, 'Internal Server Error', 'unavailable'],
    [502, 'Bad Gateway', 'unavailable'],
    [503, 'Service Unavailable', 'unavailable'],
  ];
  for (const [status, description, code] of table) {
    const error = telegramAnswer(status, failure(status, description));
    assert.instance(error, ChannelError, description);
    assert.equal(
      [(error as ChannelError).code, (error as ChannelError).channelStatus],
      [code, String(status)],
      description,
    );
  }
});

test('a migrated group names the new chat id', () => {
  const error = telegramAnswer(
    400,
    failure(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
      migrate_to_chat_id: -1001234567890,
    }),
  ) as ChannelError;
  assert.equal(
    [error.code, error.detail],
    [
      'rejected',
      "Bad Request: group chat was upgraded to a supergroup chat; set the target's chatId to -1001234567890",
    ],
  );
});

test('an answer that is not Bot API JSON is judged by its status', () => {
  const error = telegramAnswer(502, '<html>Bad Gateway</html>') as ChannelError;
  assert.equal([error.code, error.channelStatus, error.detail], ['unavailable', '502', 'HTTP 502']);
});

test.run();
