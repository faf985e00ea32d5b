import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REDACTED, redact, redactString } from './redact.ts';

test('secrets inside strings are scrubbed', () => {
  for (const [input, expected] of [
    [
      'POST https://hooks.slack.com/services/T0AB12/B0CD34/abcDEF123 failed',
      `POST https://hooks.slack.com/services/${REDACTED} failed`,
    ],
    [
      'https://api.telegram.org/bot123456:AAE-x_y/sendMessage',
      `https://api.telegram.org/bot${REDACTED}/sendMessage`,
    ],
    [
      'https://x.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=1&sig=Zm9v&sv=1',
      `https://x.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=1&sig=${REDACTED}&sv=1`,
    ],
    ['https://elastic:changeme@es.local:9200/_bulk', `https://${REDACTED}@es.local:9200/_bulk`],
    ['Authorization: Bearer eyJhbGciOi.J9.x', `Authorization: Bearer ${REDACTED}`],
    ['nothing secret here', 'nothing secret here'],
  ] as const) {
    assert.is(redactString(input), expected);
  }
});

test('values under secret-looking keys are replaced, deeply', () => {
  assert.equal(
    redact({
      target: 'ops',
      token: 'abc',
      nested: { apiKey: 'k', password: 'p', webhookUrl: 'https://x', list: [{ Authorization: 'Basic x' }] },
      empty: { token: '' },
    }),
    {
      target: 'ops',
      token: REDACTED,
      nested: {
        apiKey: REDACTED,
        password: REDACTED,
        webhookUrl: REDACTED,
        list: [{ Authorization: REDACTED }],
      },
      empty: { token: '' },
    },
  );
});

test('errors keep name, scrubbed message and code', () => {
  const error = Object.assign(new Error('connect to https://u:p@h/ failed'), { code: 'ECONNREFUSED' });
  assert.equal(redact({ error }), {
    error: { name: 'Error', message: `connect to https://${REDACTED}@h/ failed`, code: 'ECONNREFUSED' },
  });
});

test.run();
