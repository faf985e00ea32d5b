import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WORD_JOINER } from './defang.ts';
import {
  jsonUtf8Bytes,
  TEAMS_CARD_TEXT_BUDGET_BYTES,
  TEAMS_CONTEXT_MAX_CHARS,
  TEAMS_FIELD_VALUE_MAX_CHARS,
  TEAMS_TITLE_MAX_CHARS,
  teamsMessage,
} from './teams-message.ts';
import { chatContent } from './test-events.ts';
import { costOf } from './truncate.ts';

const w = (text: string) => text.replaceAll('¦', WORD_JOINER);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

test('every text is neutralised for a card', () => {
  const message = teamsMessage(
    chatContent({
      title: '**Urgent** <at>boss</at>',
      text: '[login](https://evil.com)\n- item',
      fields: [{ name: 'Actor', value: 'expert@org.com', short: true }],
      links: [{ title: '_x_', url: 'https://grafana.example/' }],
      context: 'cluster prod',
    }),
  );
  assert.equal(message, {
    title: w('∗∗Urgent∗∗ <¦at>boss<¦/at>'),
    text: w('[login]¦(https[:]//evil[.]com)\n¦- item'),
    severity: 'SEVERITY_WARNING',
    fields: [{ name: 'Actor', value: w('expert@¦org.¦com'), short: true }],
    links: [{ title: '＿x＿', url: 'https://grafana.example/' }],
    context: 'cluster prod',
  });
});

test('the card’s words stay within the byte budget, counted as JSON on the wire', () => {
  assert.is(costOf('a"\\\n€\u{1F600}', jsonUtf8Bytes), 1 + 2 + 2 + 2 + 3 + 4);
  const message = teamsMessage(
    chatContent({
      title: 't'.repeat(1000),
      text: '€'.repeat(10_000),
      fields: [{ name: 'Namespace', value: 'v'.repeat(5000), short: true }],
      context: 'c'.repeat(1000),
    }),
  );
  assert.is(message.title, `${'t'.repeat(TEAMS_TITLE_MAX_CHARS - 1)}…`);
  assert.is(message.fields[0]?.value, `${'v'.repeat(TEAMS_FIELD_VALUE_MAX_CHARS - 1)}…`);
  assert.is(message.context, `${'c'.repeat(TEAMS_CONTEXT_MAX_CHARS - 1)}…`);
  const used =
    costOf(message.title, jsonUtf8Bytes) +
    costOf(message.context, jsonUtf8Bytes) +
    costOf('Namespace', jsonUtf8Bytes) +
    costOf(message.fields[0]?.value ?? '', jsonUtf8Bytes) +
    costOf('Grafana', jsonUtf8Bytes) +
    costOf('https://grafana.example/d/k8s?var-name=web', jsonUtf8Bytes);
  // Each € is 3 bytes, and so is the ellipsis.
  const euros = Math.floor((TEAMS_CARD_TEXT_BUDGET_BYTES - used - 3) / 3);
  assert.is(message.text, `${'€'.repeat(euros)}…`);
  assert.ok(used + costOf(message.text, jsonUtf8Bytes) <= TEAMS_CARD_TEXT_BUDGET_BYTES);
});

test('quotes count twice; a cut never splits a surrogate pair', () => {
  const quotes = teamsMessage(
    chatContent({ title: '', fields: [], links: [], context: '', text: '"'.repeat(20_000) }),
  ).text;
  assert.is(quotes, `${'"'.repeat((TEAMS_CARD_TEXT_BUDGET_BYTES - 3) / 2 - 0.5)}…`);
  const emoji = teamsMessage(
    chatContent({ title: '', fields: [], links: [], context: '', text: '\u{1F600}'.repeat(6000) }),
  ).text;
  assert.is(emoji, `${'\u{1F600}'.repeat(Math.floor((TEAMS_CARD_TEXT_BUDGET_BYTES - 3) / 4))}…`);
  assert.not.match(emoji, LONE_SURROGATE);
});

test.run();
