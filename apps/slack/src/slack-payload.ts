import { fitText, isHttpUrl } from '@k8slistener/plugin-kit';
import type { Field__Output, SlackMessage__Output } from '@k8slistener/proto';
import { escapeMrkdwn } from './slack-text.ts';

// Block Kit's published limits (https://docs.slack.dev/reference/block-kit/blocks and each block's page).
export const MAX_BLOCKS = 50;
export const MAX_HEADER_CHARS = 150;
export const MAX_SECTION_TEXT_CHARS = 3000;
export const MAX_SECTION_FIELDS = 10;
export const MAX_FIELD_CHARS = 2000;
/** Our own cap, so a long label still leaves room for its value. */
export const MAX_FIELD_NAME_CHARS = 100;
export const MAX_CONTEXT_TEXT_CHARS = 2000;
export const MAX_BUTTONS = 25;
export const MAX_BUTTON_TEXT_CHARS = 75;
export const MAX_BUTTON_URL_CHARS = 3000;
/** Top-level text: Slack truncates above 40,000; a notification summary needs far less. */
export const MAX_FALLBACK_CHARS = 3000;

/** Shown in front of the title (header blocks render emoji shortcodes). */
export const SEVERITY_EMOJI: Readonly<Record<string, string>> = {
  SEVERITY_UNSPECIFIED: ':information_source:',
  SEVERITY_INFO: ':information_source:',
  SEVERITY_SUCCESS: ':white_check_mark:',
  SEVERITY_WARNING: ':warning:',
  SEVERITY_ERROR: ':rotating_light:',
};

const SEVERITY_WORD: Readonly<Record<string, string>> = {
  SEVERITY_UNSPECIFIED: 'INFO',
  SEVERITY_INFO: 'INFO',
  SEVERITY_SUCCESS: 'SUCCESS',
  SEVERITY_WARNING: 'WARNING',
  SEVERITY_ERROR: 'ERROR',
};

type TextObject = { type: 'plain_text'; text: string; emoji?: boolean } | { type: 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text: TextObject }
  | { type: 'section'; fields: TextObject[] }
  | { type: 'actions'; elements: { type: 'button'; action_id: string; text: TextObject; url: string }[] }
  | { type: 'context'; elements: TextObject[] };

export interface SlackPayload {
  /** Plain-text summary for notifications and clients without Block Kit. */
  text: string;
  blocks: SlackBlock[];
  /** Keep cluster text from unfurling into previews. */
  unfurl_links: false;
  unfurl_media: false;
}

/**
 * The incoming-webhook body for a SlackMessage: a header (severity emoji and
 * title, plain text), the text as a mrkdwn section, fields as section fields
 * (10 per section), links as buttons, the context as small print, and the
 * fallback as top-level text. Untrusted text is either plain_text or escaped
 * mrkdwn; every part is cut to Slack's limits. Errors name the bad part: a
 * link that is not http(s), or a message with nothing to show.
 */
export function slackPayload(message: SlackMessage__Output): { value: SlackPayload } | { errors: string[] } {
  const errors: string[] = [];
  message.links.forEach((link, index) => {
    if (!isHttpUrl(link.url)) errors.push(`links[${index}].url: expected an absolute http(s) URL`);
    else if (link.url.length > MAX_BUTTON_URL_CHARS) {
      errors.push(`links[${index}].url: longer than Slack's ${MAX_BUTTON_URL_CHARS} characters`);
    }
  });
  const title = message.title.trim();
  const body = message.text.trim();
  const fields = message.fields.filter((f) => f.name.trim() !== '' || f.value.trim() !== '');
  if (title === '' && body === '' && fields.length === 0 && message.fallback.trim() === '') {
    errors.push('message has no title, text, fields or fallback');
  }
  if (errors.length > 0) return { errors };

  const severity = String(message.severity);
  const blocks: SlackBlock[] = [];
  if (title !== '') {
    blocks.push({
      type: 'header',
      text: {
        type: 'plain_text',
        text: fitText(`${SEVERITY_EMOJI[severity]} ${title}`, MAX_HEADER_CHARS),
        emoji: true,
      },
    });
  }
  if (body !== '') {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: fitText(body, MAX_SECTION_TEXT_CHARS, escapeMrkdwn) },
    });
  }
  const tail: SlackBlock[] = [];
  if (message.links.length > 0) {
    tail.push({
      type: 'actions',
      elements: message.links.slice(0, MAX_BUTTONS).map((link, index) => ({
        type: 'button',
        action_id: `link-${index}`,
        text: { type: 'plain_text', text: fitText(link.title.trim() || link.url, MAX_BUTTON_TEXT_CHARS) },
        url: link.url,
      })),
    });
  }
  if (message.context.trim() !== '') {
    tail.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: fitText(message.context.trim(), MAX_CONTEXT_TEXT_CHARS, escapeMrkdwn) },
      ],
    });
  }
  const roomForFields = MAX_BLOCKS - blocks.length - tail.length;
  for (let i = 0; i < fields.length && i / MAX_SECTION_FIELDS < roomForFields; i += MAX_SECTION_FIELDS) {
    blocks.push({ type: 'section', fields: fields.slice(i, i + MAX_SECTION_FIELDS).map(fieldText) });
  }
  blocks.push(...tail);

  const summary =
    message.fallback.trim() || [title, body].filter((s) => s !== '').join(': ') || fieldsLine(fields);
  return {
    value: {
      text: fitText(`[${SEVERITY_WORD[severity]}] ${summary}`, MAX_FALLBACK_CHARS, escapeMrkdwn),
      blocks,
      unfurl_links: false,
      unfurl_media: false,
    },
  };
}

function fieldText(field: Field__Output): TextObject {
  const name = field.name.trim();
  const label = name === '' ? '' : `*${fitText(name, MAX_FIELD_NAME_CHARS, escapeMrkdwn)}*\n`;
  const value = field.value.trim() || '—';
  return { type: 'mrkdwn', text: label + fitText(value, MAX_FIELD_CHARS - label.length, escapeMrkdwn) };
}

function fieldsLine(fields: Field__Output[]): string {
  return fields.map((f) => `${f.name}: ${f.value}`).join(', ');
}
