import type { ChannelError } from '@k8slistener/plugin-kit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { teamsAnswer } from './teams-answer.ts';

const azure = (code: string, message: string) => JSON.stringify({ error: { code, message } });

test('202 Accepted is success, with the run id; so is 200', () => {
  assert.equal(teamsAnswer(202, '', undefined, '08584X'), {
    channelStatus: '202',
    detail: 'workflow run 08584X',
  });
  assert.equal(teamsAnswer(200, '', undefined, null), { channelStatus: '200' });
});

test('429 with Retry-After', () => {
  const error = teamsAnswer(
    429,
    azure('WorkflowRequestsThrottled', 'Rate limit is exceeded.'),
    5000,
    null,
  ) as ChannelError;
  assert.equal(
    [error.code, error.channelStatus, error.retryAfterMs, error.detail],
    ['rate_limited', '429', 5000, 'WorkflowRequestsThrottled: Rate limit is exceeded.'],
  );
});

test('Azure error codes', () => {
  const table: [number, string, ChannelError['code'], string][] = [
    [400, 'TriggerInputSchemaMismatch', 'invalid_payload', 'TriggerInputSchemaMismatch'],
    [400, 'InvalidRequestContent', 'invalid_payload', 'InvalidRequestContent'],
    [400, 'TriggerRequestMethodNotValid', 'invalid_payload', 'TriggerRequestMethodNotValid'],
    [400, 'MissingApiVersionParameter', 'rejected', 'MissingApiVersionParameter'],
    [401, 'DirectApiAuthorizationRequired', 'unauthorized', 'DirectApiAuthorizationRequired'],
    [401, 'DirectApiInvalidAuthorizationSignature', 'unauthorized', 'DirectApiInvalidAuthorizationSignature'],
    [404, 'WorkflowNotFound', 'rejected', 'WorkflowNotFound'],
    [409, 'WorkflowTriggerIsNotEnabled', 'rejected', 'WorkflowTriggerIsNotEnabled'],
    [500, 'InternalServerError', 'unavailable', '500'],
    [503, 'ServiceUnavailable', 'unavailable', '503'],
    [400, 'SomethingNew', 'invalid_payload', '400'],
  ];
  for (const [status, code, channelCode, channelStatus] of table) {
    const error = teamsAnswer(status, azure(code, 'why'), undefined, null) as ChannelError;
    assert.equal(
      [error.code, error.channelStatus, error.detail],
      [channelCode, channelStatus, `${code}: why`],
      code,
    );
  }
});

test('a body that is not the Azure envelope is judged by status', () => {
  const error = teamsAnswer(502, '<html/>', undefined, null) as ChannelError;
  assert.equal([error.code, error.channelStatus, error.detail], ['unavailable', '502', 'HTTP 502']);
});

test.run();
