import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WORD_JOINER } from './defang.ts';
import {
  TELEGRAM_CONTENT_BUDGET_CHARS,
  TELEGRAM_FIELD_VALUE_MAX_CHARS,
  TELEGRAM_MESSAGE_MAX_CHARS,
  TELEGRAM_TITLE_MAX_CHARS,
  telegramMessage,
} from './telegram-message.ts';
import { chatContent } from './test-events.ts';

const w = (text: string) => text.replaceAll('¦', WORD_JOINER);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

test('every text is neutralised for Telegram; silent unless warning or error', () => {
  const message = telegramMessage(
    chatContent({
      title: '<b>@admin</b>',
      text: 'open tg://resolve?domain=x or /start',
      fields: [{ name: 'Actor', value: 'expert@org.com', short: true }],
      links: [{ title: '#tag', url: 'https://grafana.example/' }],
      severity: 'SEVERITY_SUCCESS',
    }),
  );
  assert.equal(message, {
    title: w('<¦b>@¦admin<¦/¦b>'),
    text: w('open tg[:]//resolve?domain=x or /¦start'),
    severity: 'SEVERITY_SUCCESS',
    fields: [{ name: 'Actor', value: w('expert@¦org.¦com'), short: true }],
    links: [{ title: w('#¦tag'), url: 'https://grafana.example/' }],
    silent: true,
  });
  const silent = (
    severity: 'SEVERITY_INFO' | 'SEVERITY_WARNING' | 'SEVERITY_ERROR' | 'SEVERITY_UNSPECIFIED',
  ) => telegramMessage(chatContent({ severity })).silent;
  assert.equal(
    [
      silent('SEVERITY_UNSPECIFIED'),
      silent('SEVERITY_INFO'),
      silent('SEVERITY_WARNING'),
      silent('SEVERITY_ERROR'),
    ],
    [true, true, false, false],
  );
});

test('title and field values are capped; the text gets what is left of the budget', () => {
  const message = telegramMessage(
    chatContent({
      title: 't'.repeat(1000),
      text: 'x'.repeat(10_000),
      fields: [{ name: 'Namespace', value: 'v'.repeat(1000), short: true }],
      links: [{ title: 'Grafana', url: 'https://grafana.example/' }],
    }),
  );
  assert.is(message.title, `${'t'.repeat(TELEGRAM_TITLE_MAX_CHARS - 1)}…`);
  assert.is(message.fields[0]?.value, `${'v'.repeat(TELEGRAM_FIELD_VALUE_MAX_CHARS - 1)}…`);
  // 256 title + (9 + 256 + 3) field + (7 + 1) link = 532 used of 3,500.
  assert.is(message.text, `${'x'.repeat(TELEGRAM_CONTENT_BUDGET_CHARS - 532 - 1)}…`);
  assert.ok(TELEGRAM_CONTENT_BUDGET_CHARS < TELEGRAM_MESSAGE_MAX_CHARS);
});

test('a cut never splits a surrogate pair', () => {
  const text = telegramMessage(
    chatContent({ title: 'T', fields: [], links: [], text: `a${'\u{1F525}'.repeat(3000)}` }),
  ).text;
  assert.is(text, `a${'\u{1F525}'.repeat((TELEGRAM_CONTENT_BUDGET_CHARS - 1 - 1 - 1) / 2)}…`);
  assert.not.match(text, LONE_SURROGATE);
});

test.run();
