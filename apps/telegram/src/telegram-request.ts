import { fitText, isHttpUrl } from '@k8slistener/plugin-kit';
import type { Field__Output, TelegramMessage__Output } from '@k8slistener/proto';
import { escapeAttribute, escapeHtml } from './telegram-html.ts';

/**
 * "1-4096 characters after entities parsing" (https://core.telegram.org/bots/api#sendmessage).
 * Counted here in UTF-16 units, which is never fewer than Telegram's count.
 */
export const MAX_MESSAGE_CHARS = 4096;
/** Our caps, so one long part cannot crowd out the rest. */
export const MAX_TITLE_CHARS = 256;
export const MAX_FIELD_NAME_CHARS = 64;
export const MAX_FIELD_VALUE_CHARS = 512;
export const MAX_LINK_TITLE_CHARS = 64;

export const SEVERITY_EMOJI: Readonly<Record<string, string>> = {
  SEVERITY_UNSPECIFIED: 'ℹ️',
  SEVERITY_INFO: 'ℹ️',
  SEVERITY_SUCCESS: '✅',
  SEVERITY_WARNING: '⚠️',
  SEVERITY_ERROR: '🚨',
};

/** Where a message goes, from the target. */
export interface TelegramDestination {
  chatId: string;
  /** A forum topic of a supergroup. */
  messageThreadId?: number;
  /** Show a preview of the first link; off unless the target asks. */
  linkPreview: boolean;
}

/** The sendMessage parameters (https://core.telegram.org/bots/api#sendmessage). */
export interface SendMessage {
  chat_id: string | number;
  message_thread_id?: number;
  text: string;
  parse_mode: 'HTML';
  link_preview_options: { is_disabled: boolean };
  disable_notification: boolean;
}

/** A piece of the message: its HTML and how many characters it shows. */
interface Part {
  html: string;
  shown: number;
}

const part = (raw: string, html: string): Part => ({ html, shown: raw.length });

/**
 * The sendMessage call for a TelegramMessage, in HTML parse mode:
 *
 *     ⚠️ <b>title</b>
 *
 *     text
 *
 *     <b>Name:</b> value
 *
 *     <a href="url">title</a> · <a href="url">title</a>
 *
 * Every piece of text is escaped. Within the 4,096-character limit the title,
 * fields and links keep their room (each capped) and the text takes what is
 * left, cut with an ellipsis; fields are dropped from the end only if they
 * alone would not fit. Errors name a link that is not http(s), or a message
 * with nothing to show.
 */
export function sendMessageRequest(
  message: TelegramMessage__Output,
  destination: TelegramDestination,
): { value: SendMessage } | { errors: string[] } {
  const errors: string[] = [];
  message.links.forEach((link, index) => {
    if (!isHttpUrl(link.url)) errors.push(`links[${index}].url: expected an absolute http(s) URL`);
  });
  const title = message.title.trim();
  const body = message.text.trim();
  const fields = message.fields.filter((f) => f.name.trim() !== '' || f.value.trim() !== '');
  if (title === '' && body === '' && fields.length === 0) errors.push('message has no title, text or fields');
  if (errors.length > 0) return { errors };

  const emoji = SEVERITY_EMOJI[String(message.severity)] ?? 'ℹ️';
  const header: Part[] = [];
  if (title !== '') {
    const shown = fitText(title, MAX_TITLE_CHARS);
    header.push({ html: `${emoji} <b>${escapeHtml(shown)}</b>`, shown: emoji.length + 1 + shown.length });
  }
  const fieldParts = fields.map(fieldPart);
  const links = message.links.map((link) => {
    const label = fitText(link.title.trim() || link.url, MAX_LINK_TITLE_CHARS);
    return part(label, `<a href="${escapeAttribute(link.url)}">${escapeHtml(label)}</a>`);
  });
  const linkLine: Part[] =
    links.length === 0
      ? []
      : [{ html: links.map((l) => l.html).join(' · '), shown: links.reduce((n, l) => n + l.shown + 3, -3) }];

  const BLOCK_GAP = 2;
  const LINE_GAP = 1;
  const size = (parts: Part[], gap: number) =>
    parts.reduce((n, p) => n + p.shown + gap, parts.length > 0 ? -gap : 0);
  const blocksOf = (keptFields: Part[]) => [header, keptFields, linkLine].filter((b) => b.length > 0);
  const fixedSize = (keptFields: Part[]) => {
    const blocks = blocksOf(keptFields);
    return blocks.reduce((n, b) => n + size(b, LINE_GAP), 0) + BLOCK_GAP * blocks.length;
  };
  const kept = [...fieldParts];
  while (kept.length > 0 && fixedSize(kept) > MAX_MESSAGE_CHARS) kept.pop();
  const room = MAX_MESSAGE_CHARS - fixedSize(kept);
  const text: Part[] = body === '' || room <= 0 ? [] : [bodyPart(body, room)];
  const html = [header, text, kept, linkLine]
    .filter((b) => b.length > 0)
    .map((b) => b.map((p) => p.html).join('\n'))
    .join('\n\n');
  return {
    value: {
      chat_id: /^-?\d+$/.test(destination.chatId) ? Number(destination.chatId) : destination.chatId,
      ...(destination.messageThreadId === undefined
        ? {}
        : { message_thread_id: destination.messageThreadId }),
      text: html,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: !destination.linkPreview },
      disable_notification: message.silent,
    },
  };
}

function fieldPart(field: Field__Output): Part {
  const name = fitText(field.name.trim(), MAX_FIELD_NAME_CHARS);
  const value = fitText(field.value.trim(), MAX_FIELD_VALUE_CHARS);
  if (name === '') return part(value, escapeHtml(value));
  return { html: `<b>${escapeHtml(name)}:</b> ${escapeHtml(value)}`, shown: name.length + 2 + value.length };
}

function bodyPart(body: string, room: number): Part {
  const shown = fitText(body, room);
  return part(shown, escapeHtml(shown));
}
