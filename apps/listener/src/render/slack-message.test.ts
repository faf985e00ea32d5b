import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WORD_JOINER } from './defang.ts';
import {
  mrkdwnCost,
  SLACK_CONTEXT_MAX_CHARS,
  SLACK_FALLBACK_MAX_CHARS,
  SLACK_FIELD_TEXT_MAX_CHARS,
  SLACK_HEADER_MAX_CHARS,
  SLACK_MAX_FIELDS,
  SLACK_SECTION_TEXT_MAX_CHARS,
  SLACK_TITLE_PREFIX_RESERVE_CHARS,
  slackMessage,
} from './slack-message.ts';
import { chatContent } from './test-events.ts';
import { costOf } from './truncate.ts';

const w = (text: string) => text.replaceAll('¦', WORD_JOINER);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

test('every text is neutralised for Slack; link URLs (from configuration) are kept', () => {
  const message = slackMessage(
    chatContent({
      title: '@here <!channel> *now*',
      text: 'see https://evil.com\n> quote',
      fields: [{ name: 'Actor', value: 'expert@org.com', short: true }],
      links: [{ title: '@channel', url: 'https://grafana.example/?a=1' }],
      fallback: 'ping @everyone',
      context: 'cluster <#C1>',
    }),
  );
  assert.equal(message, {
    title: w('@¦here <¦!channel> ∗now∗'),
    text: w('see https[:]//evil[.]com\n¦> quote'),
    severity: 'SEVERITY_WARNING',
    fields: [{ name: 'Actor', value: w('expert@¦org.¦com'), short: true }],
    links: [{ title: w('@¦channel'), url: 'https://grafana.example/?a=1' }],
    fallback: w('ping @¦everyone'),
    context: w('cluster <¦#¦C1>'),
  });
});

test('the title leaves room for the plugin’s emoji within the header limit, never splitting a surrogate pair', () => {
  const max = SLACK_HEADER_MAX_CHARS - SLACK_TITLE_PREFIX_RESERVE_CHARS;
  const title = slackMessage(chatContent({ title: `a${'\u{1F680}'.repeat(100)}` })).title;
  assert.is(title, `a${'\u{1F680}'.repeat((max - 2) / 2)}…`);
  assert.is(title.length, max);
  assert.not.match(title, LONE_SURROGATE);
  assert.is(slackMessage(chatContent({ title: 'x'.repeat(max) })).title, 'x'.repeat(max));
});

test('the text is cut at the section limit as Slack counts it, after the plugin escapes &, < and >', () => {
  assert.is(slackMessage(chatContent({ text: 'a'.repeat(SLACK_SECTION_TEXT_MAX_CHARS) })).text.length, 3000);
  assert.is(slackMessage(chatContent({ text: 'a'.repeat(4000) })).text, `${'a'.repeat(2999)}…`);
  // Each & is 5 characters once escaped: 599 of them and the ellipsis fit in 3000.
  assert.is(slackMessage(chatContent({ text: '&'.repeat(1000) })).text, `${'&'.repeat(599)}…`);
  const emoji = slackMessage(chatContent({ text: `a${'\u{1F600}'.repeat(2000)}` })).text;
  assert.is(emoji, `a${'\u{1F600}'.repeat(1499)}…`);
  assert.not.match(emoji, LONE_SURROGATE);
});

test('at most 10 fields; each field’s label and value fit the field limit', () => {
  const fields = Array.from({ length: 12 }, (_, i) => ({ name: `F${i}`, value: 'v', short: true }));
  assert.is(slackMessage(chatContent({ fields })).fields.length, SLACK_MAX_FIELDS);
  const [field] = slackMessage(
    chatContent({ fields: [{ name: 'Namespace', value: 'x'.repeat(2500), short: true }] }),
  ).fields;
  // The plugin shows "*Namespace*\n" (12 characters) before the value.
  assert.is(field?.value, `${'x'.repeat(SLACK_FIELD_TEXT_MAX_CHARS - 12 - 1)}…`);
  assert.is(`*${field?.name}*\n${field?.value}`.length, SLACK_FIELD_TEXT_MAX_CHARS);
  assert.is(
    slackMessage(chatContent({ fields: [{ name: 'N', value: 'multi\nline\tvalue', short: false }] }))
      .fields[0]?.value,
    'multi line value',
  );
});

test('fallback and context are cut at their limits', () => {
  const message = slackMessage(chatContent({ fallback: '&'.repeat(5000), context: 'c'.repeat(5000) }));
  // 2,988 characters: 597 "&amp;" (2,985) and the ellipsis.
  assert.is(SLACK_FALLBACK_MAX_CHARS, 2988);
  assert.is(message.fallback, `${'&'.repeat(597)}…`);
  assert.is(costOf(message.fallback, mrkdwnCost), 2986);
  assert.is(message.context, `${'c'.repeat(SLACK_CONTEXT_MAX_CHARS - 1)}…`);
});

test.run();
