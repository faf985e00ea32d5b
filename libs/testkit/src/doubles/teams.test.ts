import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  EXAMPLE_TEAMS_WORKFLOW,
  startTeamsDouble,
  type TeamsDouble,
  type TeamsDoubleOptions,
} from './teams.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE } from './teams-envelope.ts';

const CARD = {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  type: 'AdaptiveCard',
  version: '1.4',
  body: [{ type: 'TextBlock', text: 'pod web-1 crashed', wrap: true }],
};
const MESSAGE = {
  type: 'message',
  attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content: CARD }],
};

async function withTeams(options: TeamsDoubleOptions, run: (teams: TeamsDouble) => Promise<void>) {
  const teams = await startTeamsDouble(options);
  try {
    await run(teams);
  } finally {
    await teams.close();
  }
}

async function post(url: string, body: unknown, method = 'POST') {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(method === 'GET' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    error: text === '' ? undefined : JSON.parse(text).error,
    retryAfter: response.headers.get('retry-after'),
    runId: response.headers.get('x-ms-workflow-run-id'),
    contentLength: response.headers.get('content-length'),
  };
}

test('a card is accepted with 202 and an empty body, and recorded as delivered', () =>
  withTeams({}, async (teams) => {
    const url = new URL(teams.webhookUrl);
    assert.is(url.pathname, `/workflows/${EXAMPLE_TEAMS_WORKFLOW.id}/triggers/manual/paths/invoke`);
    assert.equal(Object.fromEntries(url.searchParams), {
      'api-version': '2016-06-01',
      sp: '/triggers/manual/run',
      sv: '1.0',
      sig: EXAMPLE_TEAMS_WORKFLOW.sig,
    });
    const answer = await post(teams.webhookUrl, MESSAGE);
    assert.equal([answer.status, answer.text, answer.contentLength], [202, '', '0']);
    assert.is(answer.runId, '08584000000000000000000001CU00');
    assert.is((await post(teams.webhookUrl, MESSAGE)).runId, '08584000000000000000000002CU00');
    assert.equal(teams.delivered(), [
      { workflowId: EXAMPLE_TEAMS_WORKFLOW.id, cards: [CARD] },
      { workflowId: EXAMPLE_TEAMS_WORKFLOW.id, cards: [CARD] },
    ]);
    assert.equal(teams.requests[0]?.query.sv, '1.0');
  }));

test('the Power Platform URL form is accepted too', () =>
  withTeams({}, async (teams) => {
    const url = `${teams.origin}/powerautomate/automations/direct/workflows/abc123/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s`;
    assert.is((await post(url, MESSAGE)).status, 202);
    assert.equal(teams.delivered()[0]?.workflowId, 'abc123');
  }));

test('malformed bodies are refused with 400 and the trigger error', () =>
  withTeams({}, async (teams) => {
    const cases: [unknown, string, string][] = [
      ['{nope', 'InvalidRequestContent', 'The request content is not valid and could not be deserialized: '],
      [
        { text: 'legacy connector payload' },
        'TriggerInputSchemaMismatch',
        "The input body for trigger 'manual' of type 'Request' did not match its schema definition. Error details: 'Required properties are missing from object: type, attachments. Path ''.'.",
      ],
      [
        {
          type: 'message',
          attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { type: 'AdaptiveCard' } }],
        },
        'TriggerInputSchemaMismatch',
        "The input body for trigger 'manual' of type 'Request' did not match its schema definition. Error details: 'String undefined does not match regex pattern. Path 'attachments[0].content.version'.'.",
      ],
    ];
    for (const [body, code, message] of cases) {
      const answer = await post(teams.webhookUrl, body);
      assert.is(answer.status, 400, code);
      assert.is(answer.error.code, code);
      if (message.endsWith(': '))
        assert.ok(String(answer.error.message).startsWith(message), answer.error.message);
      else assert.is(answer.error.message, message);
    }
    assert.equal(teams.delivered(), []);
  }));

test('the URL is checked like a Logic Apps trigger: api-version, signature, method', () =>
  withTeams({}, async (teams) => {
    const base = `${teams.origin}/workflows/${EXAMPLE_TEAMS_WORKFLOW.id}/triggers/manual/paths/invoke`;
    const cases: [string, string, number, unknown][] = [
      [
        `${base}?sp=x&sv=1.0&sig=s`,
        'POST',
        400,
        {
          code: 'MissingApiVersionParameter',
          message: 'The api-version query parameter (?api-version=) is required for all requests.',
        },
      ],
      [
        `${base}?api-version=2016-06-01`,
        'POST',
        401,
        {
          code: 'DirectApiAuthorizationRequired',
          message: 'The request must be authenticated only by Shared Access scheme.',
        },
      ],
      [
        `${base}?api-version=2016-06-01&sig=s`,
        'GET',
        400,
        {
          code: 'TriggerRequestMethodNotValid',
          message: "The HTTP method for this request is not valid: expected 'Post' and actual 'GET'.",
        },
      ],
      [
        `${teams.origin}/webhookb2/x`,
        'POST',
        404,
        { code: 'NotFound', message: "No workflow trigger at '/webhookb2/x'." },
      ],
    ];
    for (const [url, method, status, error] of cases) {
      const answer = await post(url, MESSAGE, method);
      assert.equal([answer.status, answer.error], [status, error], url);
    }
  }));

test('with registered workflows, unknown ids and wrong signatures are refused', () => {
  const workflow = { id: 'feedbeef', sig: 'right' };
  return withTeams({ workflows: [workflow] }, async (teams) => {
    assert.is(teams.webhookUrl, teams.workflowUrl(workflow));
    assert.is((await post(teams.webhookUrl, MESSAGE)).status, 202);
    const wrongSig = await post(teams.workflowUrl({ ...workflow, sig: 'wrong' }), MESSAGE);
    assert.equal([wrongSig.status, wrongSig.error.code], [401, 'DirectApiInvalidAuthorizationSignature']);
    const unknown = await post(teams.workflowUrl({ id: 'cafe', sig: 'right' }), MESSAGE);
    assert.equal(
      [unknown.status, unknown.error],
      [404, { code: 'WorkflowNotFound', message: "The workflow 'cafe' could not be found." }],
    );
  });
});

test('every error can be forced', () =>
  withTeams({}, async (teams) => {
    const cases: [Parameters<typeof teams.fail>[0], number, string][] = [
      ['bad_request', 400, 'TriggerInputSchemaMismatch'],
      ['unauthorized', 401, 'DirectApiAuthorizationRequired'],
      ['invalid_signature', 401, 'DirectApiInvalidAuthorizationSignature'],
      ['workflow_not_found', 404, 'WorkflowNotFound'],
      ['flow_disabled', 409, 'WorkflowTriggerIsNotEnabled'],
      ['server_error', 500, 'InternalServerError'],
      ['unavailable', 503, 'ServiceUnavailable'],
    ];
    for (const [mode, status, code] of cases) {
      teams.fail(mode, 1);
      const answer = await post(teams.webhookUrl, MESSAGE);
      assert.equal([answer.status, answer.error.code], [status, code], mode);
    }
    assert.is((await post(teams.webhookUrl, MESSAGE)).status, 202);
    assert.is(teams.delivered().length, 1);
  }));

test('rateLimit answers 429 with Retry-After', () =>
  withTeams({}, async (teams) => {
    teams.rateLimit(9, 1);
    const limited = await post(teams.webhookUrl, MESSAGE);
    assert.equal(
      [limited.status, limited.retryAfter, limited.error.code],
      [429, '9', 'WorkflowRequestsThrottled'],
    );
    assert.is((await post(teams.webhookUrl, MESSAGE)).status, 202);
  }));

test('the automatic limit counts per workflow', () => {
  let nowMs = 0;
  return withTeams({ now: () => nowMs, autoRateLimit: { ratePerSecond: 2, burst: 1 } }, async (teams) => {
    const other = teams.workflowUrl({ id: 'other', sig: 's' });
    assert.is((await post(teams.webhookUrl, MESSAGE)).status, 202);
    assert.is((await post(other, MESSAGE)).status, 202);
    const limited = await post(teams.webhookUrl, MESSAGE);
    assert.equal([limited.status, limited.retryAfter], [429, '1']);
    nowMs = 500;
    assert.is((await post(teams.webhookUrl, MESSAGE)).status, 202);
  });
});

test('drop, slow and control over HTTP', () =>
  withTeams({}, async (teams) => {
    const control = await fetch(`${teams.origin}/_double/control`, {
      method: 'POST',
      body: JSON.stringify({ action: 'fail', mode: 'drop', count: 1 }),
    });
    assert.is(control.status, 200);
    await post(teams.webhookUrl, MESSAGE).then(
      () => assert.unreachable('a dropped request must not be answered'),
      () => undefined,
    );
    teams.slow(50);
    assert.is((await post(teams.webhookUrl, MESSAGE)).status, 202);
    const listed = (await (await fetch(`${teams.origin}/_double/requests`)).json()) as {
      answer: { status?: number; dropped?: true };
    }[];
    assert.equal(
      listed.map((r) => r.answer.status ?? 'dropped'),
      ['dropped', 202],
    );
  }));

test.run();
