import type { SlackMessage__Output } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_BLOCKS, MAX_HEADER_CHARS, MAX_SECTION_TEXT_CHARS, slackPayload } from './slack-payload.ts';

const message = (over: Partial<SlackMessage__Output> = {}): SlackMessage__Output => ({
  title: 'Pod crash-looping',
  text: 'Back-off restarting failed container',
  severity: 'SEVERITY_WARNING',
  fields: [],
  links: [],
  fallback: '',
  context: '',
  ...over,
});

const value = (m: SlackMessage__Output) => {
  const result = slackPayload(m);
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.value;
};

test('the full layout: header, text, fields, buttons, context, fallback', () => {
  const payload = value(
    message({
      fields: [
        { name: 'Namespace', value: 'shop', short: true },
        { name: 'Pod', value: 'web-1', short: true },
      ],
      links: [{ title: 'Dashboard', url: 'https://grafana.example.com/d/1' }],
      context: 'cluster prod · 2026-11-24T14:02:11Z',
      fallback: 'Pod crash-looping in shop',
    }),
  );
  assert.equal(payload, {
    text: '[WARNING] Pod crash-looping in shop',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: ':warning: Pod crash-looping', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Back-off restarting failed container' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Namespace*\nshop' },
          { type: 'mrkdwn', text: '*Pod*\nweb-1' },
        ],
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'link-0',
            text: { type: 'plain_text', text: 'Dashboard' },
            url: 'https://grafana.example.com/d/1',
          },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'cluster prod · 2026-11-24T14:02:11Z' }] },
    ],
    unfurl_links: false,
    unfurl_media: false,
  });
});

test('severity emoji', () => {
  const table: [SlackMessage__Output['severity'], string][] = [
    ['SEVERITY_UNSPECIFIED', ':information_source:'],
    ['SEVERITY_INFO', ':information_source:'],
    ['SEVERITY_SUCCESS', ':white_check_mark:'],
    ['SEVERITY_WARNING', ':warning:'],
    ['SEVERITY_ERROR', ':rotating_light:'],
  ];
  for (const [severity, emoji] of table) {
    const header = value(message({ severity })).blocks[0] as { text: { text: string } };
    assert.is(header.text.text, `${emoji} Pod crash-looping`, severity);
  }
});

test('untrusted text cannot mention or link: mrkdwn is escaped, the header is plain_text', () => {
  const payload = value(
    message({
      title: '<!channel> x',
      text: 'see <http://evil.test|here> & <@U1>',
      fields: [{ name: '<b>', value: '<!here>', short: false }],
      context: 'a>b',
    }),
  );
  assert.equal(payload.blocks[0], {
    type: 'header',
    text: { type: 'plain_text', text: ':warning: <!channel> x', emoji: true },
  });
  assert.equal(payload.blocks[1], {
    type: 'section',
    text: { type: 'mrkdwn', text: 'see &lt;http://evil.test|here&gt; &amp; &lt;@U1&gt;' },
  });
  assert.equal(payload.blocks[2], {
    type: 'section',
    fields: [{ type: 'mrkdwn', text: '*&lt;b&gt;*\n&lt;!here&gt;' }],
  });
  assert.equal(payload.blocks[3], { type: 'context', elements: [{ type: 'mrkdwn', text: 'a&gt;b' }] });
  assert.is(
    payload.text,
    '[WARNING] &lt;!channel&gt; x: see &lt;http://evil.test|here&gt; &amp; &lt;@U1&gt;',
  );
});

test("Slack's limits: header 150, section 3000, 10 fields per section, 50 blocks", () => {
  const fields = Array.from({ length: 600 }, (_, i) => ({ name: `f${i}`, value: 'v', short: true }));
  const payload = value(message({ title: 'T'.repeat(400), text: '<'.repeat(5000), fields, context: 'c' }));
  const header = payload.blocks[0] as { text: { text: string } };
  assert.is(header.text.text.length, MAX_HEADER_CHARS);
  assert.ok(header.text.text.endsWith('T…'));
  const section = payload.blocks[1] as { text: { text: string } };
  assert.ok(section.text.text.length <= MAX_SECTION_TEXT_CHARS);
  assert.ok(section.text.text.endsWith('&lt;…'));
  assert.is(payload.blocks.length, MAX_BLOCKS);
  const fieldSections = payload.blocks.filter((b) => 'fields' in b) as { fields: unknown[] }[];
  assert.is(fieldSections.length, MAX_BLOCKS - 3);
  assert.ok(fieldSections.every((s) => s.fields.length === 10));
  assert.is(payload.blocks.at(-1)?.type, 'context');
});

test('empty parts are left out; the fallback is built from title and text', () => {
  const payload = value(message({ text: '', severity: 'SEVERITY_ERROR' }));
  assert.equal(
    payload.blocks.map((b) => b.type),
    ['header'],
  );
  assert.is(payload.text, '[ERROR] Pod crash-looping');
  assert.equal(
    value(message({ title: '', text: 'only text' })).blocks.map((b) => b.type),
    ['section'],
  );
});

test('refuses links that are not http(s) and messages with nothing to show', () => {
  const table: [Partial<SlackMessage__Output>, string[]][] = [
    [
      {
        links: [
          { title: 'x', url: 'javascript:alert(1)' },
          { title: 'ok', url: 'https://a.test' },
          { title: 'y', url: 'ftp://a' },
        ],
      },
      ['links[0].url: expected an absolute http(s) URL', 'links[2].url: expected an absolute http(s) URL'],
    ],
    [{ title: ' ', text: '', fields: [], fallback: '' }, ['message has no title, text, fields or fallback']],
  ];
  for (const [over, errors] of table) assert.equal(slackPayload(message(over)), { errors });
});

test.run();
