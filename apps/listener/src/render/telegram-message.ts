import type { TelegramMessage__Output } from '@k8slistener/proto';
import { type ChatContent, oneLine } from './default-content.ts';
import { neutraliseTelegram } from './neutralise-telegram.ts';
import { costOf, truncate } from './truncate.ts';

/**
 * sendMessage text is at most 4,096 characters after entity parsing
 * (https://core.telegram.org/bots/api#sendmessage). The plugin's HTML tags do
 * not count, its escapes count as one character each, but it adds a severity
 * emoji, line breaks, "Name: " labels and link lines; the words it is given
 * stay within TELEGRAM_CONTENT_BUDGET_CHARS, leaving the rest for that.
 */
export const TELEGRAM_MESSAGE_MAX_CHARS = 4096;
/** Title, text, field names and values and link titles together. */
export const TELEGRAM_CONTENT_BUDGET_CHARS = 3500;
export const TELEGRAM_TITLE_MAX_CHARS = 256;
export const TELEGRAM_FIELD_NAME_MAX_CHARS = 64;
export const TELEGRAM_FIELD_VALUE_MAX_CHARS = 256;
export const TELEGRAM_LINK_TITLE_MAX_CHARS = 64;
/** ": " and a line break the plugin puts around each field. */
const FIELD_OVERHEAD_CHARS = 3;

/**
 * A TelegramMessage: every text neutralised for Telegram and cut so the whole
 * message fits; the body gets what title, fields and links leave. Sent
 * silently unless it is a warning or an error, so routine news does not buzz
 * phones.
 */
export function telegramMessage(content: ChatContent): TelegramMessage__Output {
  const title = truncate(oneLine(neutraliseTelegram(content.title)), TELEGRAM_TITLE_MAX_CHARS);
  const fields = content.fields.map((field) => ({
    name: truncate(oneLine(neutraliseTelegram(field.name)), TELEGRAM_FIELD_NAME_MAX_CHARS),
    value: truncate(oneLine(neutraliseTelegram(field.value)), TELEGRAM_FIELD_VALUE_MAX_CHARS),
    short: field.short,
  }));
  const links = content.links.map((link) => ({
    title: truncate(oneLine(neutraliseTelegram(link.title)), TELEGRAM_LINK_TITLE_MAX_CHARS),
    url: link.url,
  }));
  const used =
    costOf(title) +
    fields.reduce((sum, field) => sum + costOf(field.name) + costOf(field.value) + FIELD_OVERHEAD_CHARS, 0) +
    links.reduce((sum, link) => sum + costOf(link.title) + 1, 0);
  return {
    title,
    text: truncate(
      neutraliseTelegram(content.text).trim(),
      Math.max(0, TELEGRAM_CONTENT_BUDGET_CHARS - used),
    ),
    severity: content.severity,
    fields,
    links,
    silent: content.severity !== 'SEVERITY_WARNING' && content.severity !== 'SEVERITY_ERROR',
  };
}
