import { ChannelError } from '@k8slistener/plugin-kit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SLACK_WEBHOOK_ERRORS, slackAnswer } from './slack-answer.ts';

test('200 is delivered', () => {
  assert.equal(slackAnswer(200, 'ok', undefined), { channelStatus: '200' });
});

test('429 is rate_limited with the Retry-After', () => {
  const error = slackAnswer(429, 'rate_limited', 30_000) as ChannelError;
  assert.equal([error.code, error.channelStatus, error.retryAfterMs], ['rate_limited', '429', 30_000]);
  assert.is((slackAnswer(429, '', undefined) as ChannelError).retryAfterMs, undefined);
});

test('every documented webhook error code', () => {
  const table: [number, string, ChannelError['code']][] = [
    [400, 'invalid_payload', 'invalid_payload'],
    [400, 'invalid_blocks', 'invalid_payload'],
    [400, 'no_text', 'invalid_payload'],
    [400, 'too_many_attachments', 'invalid_payload'],
    [400, 'user_not_found', 'invalid_payload'],
    [403, 'action_prohibited', 'rejected'],
    [403, 'posting_to_general_channel_denied', 'rejected'],
    [403, 'invalid_token', 'unauthorized'],
    [403, 'team_disabled', 'unauthorized'],
    [404, 'channel_not_found', 'rejected'],
    [404, 'no_service', 'unauthorized'],
    [404, 'no_service_id', 'unauthorized'],
    [404, 'no_team', 'unauthorized'],
    [410, 'channel_is_archived', 'rejected'],
    [500, 'rollup_error', 'unavailable'],
  ];
  for (const [status, body, code] of table) {
    const error = slackAnswer(status, `${body}\n`, undefined);
    assert.instance(error, ChannelError, body);
    assert.equal([(error as ChannelError).code, (error as ChannelError).channelStatus], [code, body], body);
    assert.is((error as ChannelError).detail, SLACK_WEBHOOK_ERRORS[body]?.detail);
  }
});

test('unknown answers fall back to the HTTP status; only code-like bodies are quoted', () => {
  const table: [number, string, ChannelError['code'], string, string][] = [
    [503, 'service_unavailable', 'unavailable', '503', 'Slack answered HTTP 503 service_unavailable'],
    [502, '<html>bad gateway</html>', 'unavailable', '502', 'Slack answered HTTP 502'],
    [400, 'something_new', 'invalid_payload', '400', 'Slack answered HTTP 400 something_new'],
    [401, '', 'unauthorized', '401', 'Slack answered HTTP 401'],
  ];
  for (const [status, body, code, channelStatus, detail] of table) {
    const error = slackAnswer(status, body, undefined) as ChannelError;
    assert.equal([error.code, error.channelStatus, error.detail], [code, channelStatus, detail], body);
  }
});

test.run();
