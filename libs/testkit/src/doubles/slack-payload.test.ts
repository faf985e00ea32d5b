import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSlackPayload } from './slack-payload.ts';

const JSON_TYPE = 'application/json';
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const field = (text: string) => ({ type: 'mrkdwn', text });

test('accepted payloads come back parsed', () => {
  const cases: [string | undefined, string, unknown][] = [
    [JSON_TYPE, '{"text":"pod crashed"}', { text: 'pod crashed' }],
    [JSON_TYPE, JSON.stringify({ blocks: [section('x')] }), { blocks: [section('x')] }],
    [JSON_TYPE, JSON.stringify({ attachments: [{ fallback: 'x' }] }), { attachments: [{ fallback: 'x' }] }],
    [
      'application/x-www-form-urlencoded',
      `payload=${encodeURIComponent('{"text":"legacy"}')}`,
      { text: 'legacy' },
    ],
    [undefined, '{"text":"no header"}', { text: 'no header' }],
    [
      JSON_TYPE,
      JSON.stringify({
        text: 'all limits',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } }],
      }),
      {
        text: 'all limits',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } }],
      },
    ],
  ];
  for (const [type, body, payload] of cases) {
    assert.equal(checkSlackPayload(type, body), { ok: true, payload }, body);
  }
});

test('bad payloads get the error Slack answers, with the reason', () => {
  const tooManyBlocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
  const cases: [string | undefined, unknown, string, string][] = [
    [JSON_TYPE, '{not json', 'invalid_payload', 'body is not JSON: '],
    [JSON_TYPE, '[1]', 'invalid_payload', 'body is not a JSON object'],
    ['application/x-www-form-urlencoded', 'text=hi', 'invalid_payload', 'body is not JSON: '],
    [JSON_TYPE, { text: 42 }, 'invalid_payload', '/text must be a string'],
    [JSON_TYPE, { text: 'x', attachments: {} }, 'invalid_payload', '/attachments must be an array'],
    [JSON_TYPE, {}, 'no_text', 'no text, blocks or attachments'],
    [JSON_TYPE, { text: '   ' }, 'no_text', 'no text, blocks or attachments'],
    [JSON_TYPE, { text: '', blocks: [] }, 'no_text', 'no text, blocks or attachments'],
    [
      JSON_TYPE,
      { attachments: Array.from({ length: 101 }, () => ({})) },
      'too_many_attachments',
      '/attachments has 101 items, at most 100',
    ],
    [JSON_TYPE, { blocks: {} }, 'invalid_blocks', '/blocks must be an array'],
    [JSON_TYPE, { blocks: tooManyBlocks }, 'invalid_blocks', '/blocks has 51 blocks, at most 50'],
    [JSON_TYPE, { blocks: ['x'] }, 'invalid_blocks', '/blocks/0 must be an object'],
    [
      JSON_TYPE,
      { blocks: [{ type: 'banner' }] },
      'invalid_blocks',
      '/blocks/0/type "banner" is not a block type',
    ],
    [
      JSON_TYPE,
      { blocks: [{ type: 'divider', block_id: 'b'.repeat(256) }] },
      'invalid_blocks',
      '/blocks/0/block_id must be a string of at most 255 characters',
    ],
    [
      JSON_TYPE,
      { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
      'invalid_blocks',
      '/blocks/0/text/text has 151 characters, at most 150',
    ],
    [
      JSON_TYPE,
      { blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] },
      'invalid_blocks',
      '/blocks/0/text/type must be plain_text',
    ],
    [JSON_TYPE, { blocks: [{ type: 'header' }] }, 'invalid_blocks', '/blocks/0/text must be a text object'],
    [
      JSON_TYPE,
      { blocks: [{ type: 'divider' }, section('s'.repeat(3001))] },
      'invalid_blocks',
      '/blocks/1/text/text has 3001 characters, at most 3000',
    ],
    [
      JSON_TYPE,
      { blocks: [section('')] },
      'invalid_blocks',
      '/blocks/0/text/text must be a non-empty string',
    ],
    [JSON_TYPE, { blocks: [{ type: 'section' }] }, 'invalid_blocks', '/blocks/0 needs text or fields'],
    [
      JSON_TYPE,
      { blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => field('f')) }] },
      'invalid_blocks',
      '/blocks/0/fields has 11 items, at most 10',
    ],
    [
      JSON_TYPE,
      { blocks: [{ type: 'section', fields: [field('f'), field('f'.repeat(2001))] }] },
      'invalid_blocks',
      '/blocks/0/fields/1/text has 2001 characters, at most 2000',
    ],
    [
      JSON_TYPE,
      { blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => field('c')) }] },
      'invalid_blocks',
      '/blocks/0/elements has 11 items, at most 10',
    ],
    [
      JSON_TYPE,
      { blocks: [{ type: 'context', elements: [] }] },
      'invalid_blocks',
      '/blocks/0/elements must be a non-empty array',
    ],
    [
      JSON_TYPE,
      { blocks: [{ type: 'actions', elements: Array.from({ length: 26 }, () => ({ type: 'button' })) }] },
      'invalid_blocks',
      '/blocks/0/elements has 26 items, at most 25',
    ],
  ];
  for (const [type, input, error, reason] of cases) {
    const body = typeof input === 'string' ? input : JSON.stringify(input);
    const result = checkSlackPayload(type, body);
    assert.is(result.ok, false, body.slice(0, 80));
    if (result.ok) continue;
    assert.is(result.error, error, body.slice(0, 80));
    if (reason.endsWith(': ')) assert.ok(result.reason.startsWith(reason), result.reason);
    else assert.is(result.reason, reason, body.slice(0, 80));
  }
});

test.run();
