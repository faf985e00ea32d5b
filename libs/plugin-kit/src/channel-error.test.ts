import { HTTPError, NetworkError, type NormalizedOptions, TimeoutError } from 'ky';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChannelError } from './channel-error.ts';

const request = new Request('http://127.0.0.1:1/hook');
const httpError = (status: number, headers: Record<string, string> = {}) =>
  new HTTPError(new Response(null, { status, headers }), request, {} as NormalizedOptions);

const socketError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

test('from: a ChannelError passes through unchanged', () => {
  const error = new ChannelError('rejected', { channelStatus: 'channel_not_found' });
  assert.is(ChannelError.from(error), error);
});

test('from: socket errors, directly or along the cause chain, are unavailable with their code', () => {
  for (const code of [
    'ECONNREFUSED',
    'ECONNRESET',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ETIMEDOUT',
    'UND_ERR_SOCKET',
    'ConnectionRefused',
  ]) {
    const direct = ChannelError.from(socketError(code));
    assert.is(direct.code, 'unavailable', code);
    assert.is(direct.channelStatus, code);
    const wrapped = new TypeError('fetch failed', { cause: socketError(code) });
    const viaKy = ChannelError.from(new NetworkError(request, { cause: wrapped }));
    assert.is(viaKy.code, 'unavailable', code);
    assert.is(viaKy.channelStatus, code);
    assert.is(viaKy.detail, `cannot reach the channel (${code})`);
  }
});

test('from: a NetworkError without a known code is unavailable "network"', () => {
  const error = ChannelError.from(new NetworkError(request, { cause: new Error('weird') }));
  assert.equal([error.code, error.channelStatus], ['unavailable', 'network']);
});

test("from: ky's TimeoutError is unavailable with channelStatus timeout", () => {
  const error = ChannelError.from(new TimeoutError(request));
  assert.equal(
    [error.code, error.channelStatus, error.detail],
    ['unavailable', 'timeout', 'the channel did not answer in time'],
  );
});

test('from: an abort is unavailable "aborted"; anything else is unavailable "internal" and keeps cause', () => {
  const abort = ChannelError.from(new DOMException('stop', 'AbortError'));
  assert.equal([abort.code, abort.channelStatus], ['unavailable', 'aborted']);
  const bug = new TypeError('x is undefined');
  const error = ChannelError.from(bug);
  assert.equal(
    [error.code, error.channelStatus, error.detail],
    ['unavailable', 'internal', 'unexpected plugin error: x is undefined'],
  );
  assert.is(error.cause, bug);
  assert.is(ChannelError.from('a string').detail, 'unexpected plugin error: a string');
});

test("from: ky's HTTPError maps by status and reads Retry-After", () => {
  const limited = ChannelError.from(httpError(429, { 'retry-after': '7' }));
  assert.equal([limited.code, limited.channelStatus, limited.retryAfterMs], ['rate_limited', '429', 7000]);
  assert.is(ChannelError.from(httpError(503)).code, 'unavailable');
  assert.is(ChannelError.from(httpError(403)).code, 'unauthorized');
});

test('fromHttpStatus: the generic table', () => {
  const table: [number, string][] = [
    [429, 'rate_limited'],
    [408, 'unavailable'],
    [425, 'unavailable'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [504, 'unavailable'],
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [404, 'rejected'],
    [410, 'rejected'],
    [400, 'invalid_payload'],
    [413, 'invalid_payload'],
    [422, 'invalid_payload'],
    [302, 'rejected'],
  ];
  for (const [status, code] of table) {
    const error = ChannelError.fromHttpStatus(status);
    assert.is(error.code, code, String(status));
    assert.is(error.channelStatus, String(status));
    assert.is(error.detail, `HTTP ${status}`);
  }
  assert.is(ChannelError.fromHttpStatus(429, { retryAfterMs: 1500 }).retryAfterMs, 1500);
  assert.is(ChannelError.fromHttpStatus(503, { retryAfterMs: 1500 }).retryAfterMs, undefined);
});

test('the message says code and detail', () => {
  const error = new ChannelError('rejected', { detail: 'channel is archived' });
  assert.is(error.message, 'rejected: channel is archived');
  assert.is(error.name, 'ChannelError');
  assert.is(new ChannelError('rate_limited').detail, 'rate limited');
});

test.run();
