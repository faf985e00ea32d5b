import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  EXAMPLE_SLACK_WEBHOOK_PATH,
  SLACK_WEBHOOK_RATE_LIMIT,
  type SlackDoubleOptions,
  startSlackDouble,
} from './slack.ts';

const HOOK = '/services/T0001/B0001/s3cr3t';

async function withSlack(
  options: SlackDoubleOptions,
  run: (slack: Awaited<ReturnType<typeof startSlackDouble>>) => Promise<void>,
) {
  const slack = await startSlackDouble(options);
  try {
    await run(slack);
  } finally {
    await slack.close();
  }
}

async function post(url: string, body: unknown, contentType = 'application/json') {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: await response.text(),
    contentType: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    reason: response.headers.get('x-double-reason'),
  };
}

test('a valid message is answered 200 text/html "ok" and recorded as delivered', () =>
  withSlack({}, async (slack) => {
    assert.is(slack.webhookUrl, slack.origin + EXAMPLE_SLACK_WEBHOOK_PATH);
    const answer = await post(slack.webhookUrl, { text: 'pod web-1 crashed' });
    assert.equal([answer.status, answer.contentType, answer.body], [200, 'text/html', 'ok']);
    assert.equal(slack.delivered(), [
      { path: EXAMPLE_SLACK_WEBHOOK_PATH, payload: { text: 'pod web-1 crashed' } },
    ]);
    assert.equal(slack.requests[0]?.json, { text: 'pod web-1 crashed' });
  }));

test('the legacy payload= form is accepted', () =>
  withSlack({}, async (slack) => {
    const answer = await post(
      slack.webhookUrl,
      `payload=${encodeURIComponent('{"text":"form"}')}`,
      'application/x-www-form-urlencoded',
    );
    assert.equal([answer.status, answer.body], [200, 'ok']);
    assert.equal(slack.delivered()[0]?.payload, { text: 'form' });
  }));

test('bad payloads are refused with the error code Slack sends, and are not delivered', () =>
  withSlack({}, async (slack) => {
    const cases: [unknown, number, string][] = [
      ['{oops', 400, 'invalid_payload'],
      [{}, 400, 'no_text'],
      [{ attachments: Array.from({ length: 101 }, () => ({ text: 'a' })) }, 400, 'too_many_attachments'],
      [
        { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
        400,
        'invalid_blocks',
      ],
    ];
    for (const [body, status, code] of cases) {
      const answer = await post(slack.webhookUrl, body);
      assert.equal([answer.status, answer.contentType, answer.body], [status, 'text/html', code], code);
      assert.ok(answer.reason !== null && answer.reason.length > 0, code);
    }
    assert.equal(slack.delivered(), []);
  }));

test('paths that are not webhooks answer no_service', () =>
  withSlack({}, async (slack) => {
    for (const path of [
      '/services/T0001/B0001',
      '/services/x/y/z',
      '/hooks',
      '/services/T0001/B0001/s3cr3t/extra',
    ]) {
      const answer = await post(slack.origin + path, { text: 'x' });
      assert.equal([answer.status, answer.body], [404, 'no_service'], path);
    }
  }));

test('with registered webhooks, only those exist; a wrong secret is invalid_token', () =>
  withSlack({ webhooks: [`https://hooks.slack.com${HOOK}`] }, async (slack) => {
    assert.is(slack.webhookUrl, slack.origin + HOOK);
    const cases: [string, number, string][] = [
      [HOOK, 200, 'ok'],
      ['/services/T0001/B0001/wrong', 403, 'invalid_token'],
      ['/services/T0001/B0002/s3cr3t', 404, 'no_service'],
      [EXAMPLE_SLACK_WEBHOOK_PATH, 404, 'no_service'],
    ];
    for (const [path, status, body] of cases) {
      const answer = await post(slack.origin + path, { text: 'x' });
      assert.equal([answer.status, answer.body], [status, body], path);
    }
  }));

test('a webhook only takes POST', () =>
  withSlack({}, async (slack) => {
    const response = await fetch(slack.webhookUrl);
    assert.equal(
      [response.status, response.headers.get('allow'), await response.text()],
      [405, 'POST', 'invalid_method'],
    );
  }));

test('every documented error can be forced, with its status and code', () =>
  withSlack({}, async (slack) => {
    const cases: [Parameters<typeof slack.fail>[0], number, string][] = [
      ['invalid_payload', 400, 'invalid_payload'],
      ['user_not_found', 400, 'user_not_found'],
      ['no_text', 400, 'no_text'],
      ['too_many_attachments', 400, 'too_many_attachments'],
      ['invalid_blocks', 400, 'invalid_blocks'],
      ['action_prohibited', 403, 'action_prohibited'],
      ['posting_to_general_channel_denied', 403, 'posting_to_general_channel_denied'],
      ['invalid_token', 403, 'invalid_token'],
      ['team_disabled', 403, 'team_disabled'],
      ['channel_not_found', 404, 'channel_not_found'],
      ['no_service', 404, 'no_service'],
      ['no_service_id', 404, 'no_service_id'],
      ['no_team', 404, 'no_team'],
      ['channel_is_archived', 410, 'channel_is_archived'],
      ['rollup_error', 500, 'rollup_error'],
      ['server_error', 500, 'rollup_error'],
      ['unavailable', 503, 'service_unavailable'],
    ];
    for (const [mode, status, body] of cases) {
      slack.fail(mode, 1);
      const answer = await post(slack.webhookUrl, { text: 'x' });
      assert.equal([answer.status, answer.contentType, answer.body], [status, 'text/html', body], mode);
    }
    assert.equal((await post(slack.webhookUrl, { text: 'x' })).status, 200);
    assert.is(slack.delivered().length, 1);
  }));

test('rateLimit answers 429 with Retry-After', () =>
  withSlack({}, async (slack) => {
    slack.rateLimit(12, 1);
    const limited = await post(slack.webhookUrl, { text: 'x' });
    assert.equal([limited.status, limited.retryAfter, limited.body], [429, '12', 'rate_limited']);
    assert.is((await post(slack.webhookUrl, { text: 'x' })).status, 200);
  }));

test('the automatic limit allows about one message per second per webhook', () => {
  let nowMs = 0;
  return withSlack({ now: () => nowMs, autoRateLimit: SLACK_WEBHOOK_RATE_LIMIT }, async (slack) => {
    const other = `${slack.origin}/services/T0001/B0002/other`;
    assert.is((await post(slack.webhookUrl, { text: '1' })).status, 200);
    assert.is((await post(other, { text: '1' })).status, 200);
    nowMs = 300;
    const limited = await post(slack.webhookUrl, { text: '2' });
    assert.equal([limited.status, limited.retryAfter], [429, '1']);
    nowMs = 1000;
    assert.is((await post(slack.webhookUrl, { text: '3' })).status, 200);
    assert.equal(
      slack.delivered().map((d) => d.payload.text),
      ['1', '1', '3'],
    );
  });
});

test('drop resets the connection; slow still answers', () =>
  withSlack({}, async (slack) => {
    slack.fail('drop', 1);
    await post(slack.webhookUrl, { text: 'x' }).then(
      () => assert.unreachable('a dropped request must not be answered'),
      () => undefined,
    );
    slack.slow(50);
    assert.equal((await post(slack.webhookUrl, { text: 'x' })).body, 'ok');
  }));

test('a separate process can force an error over HTTP', () =>
  withSlack({}, async (slack) => {
    const control = await fetch(`${slack.origin}/_double/control`, {
      method: 'POST',
      body: JSON.stringify({ action: 'fail', mode: 'channel_is_archived', count: 1 }),
    });
    assert.is(control.status, 200);
    assert.equal((await post(slack.webhookUrl, { text: 'x' })).body, 'channel_is_archived');
    assert.equal((await post(slack.webhookUrl, { text: 'x' })).body, 'ok');
    const recorded = (await (await fetch(`${slack.origin}/_double/requests`)).json()) as {
      answer: unknown;
    }[];
    assert.equal(
      recorded.map((r) => r.answer),
      [
        { status: 410, body: 'channel_is_archived' },
        { status: 200, body: 'ok' },
      ],
    );
  }));

test.run();
