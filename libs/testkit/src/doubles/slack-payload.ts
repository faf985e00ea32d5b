import { mediaType, parseJson } from './request-body.ts';

/*
 * What an incoming webhook accepts, checked the way Slack answers it: one
 * error code, no detail. The limits are Block Kit's published ones:
 *   https://docs.slack.dev/reference/block-kit/blocks (50 blocks per message)
 *   https://docs.slack.dev/reference/block-kit/blocks/header-block (text ≤ 150)
 *   https://docs.slack.dev/reference/block-kit/blocks/section-block (text ≤ 3000, ≤ 10 fields of ≤ 2000)
 *   https://docs.slack.dev/reference/block-kit/blocks/context-block (≤ 10 elements)
 *   https://docs.slack.dev/reference/block-kit/blocks/actions-block (≤ 25 elements)
 *   https://docs.slack.dev/reference/block-kit/composition-objects/text-object (plain_text or mrkdwn, ≥ 1 char)
 *   https://docs.slack.dev/reference/methods/chat.postMessage (≤ 100 attachments: too_many_attachments)
 */
export const MAX_BLOCKS = 50;
export const MAX_HEADER_TEXT_CHARS = 150;
export const MAX_SECTION_TEXT_CHARS = 3000;
export const MAX_SECTION_FIELDS = 10;
export const MAX_SECTION_FIELD_CHARS = 2000;
export const MAX_CONTEXT_ELEMENTS = 10;
export const MAX_ACTIONS_ELEMENTS = 25;
export const MAX_BLOCK_ID_CHARS = 255;
export const MAX_ATTACHMENTS = 100;

const BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

export type SlackPayloadError = 'invalid_payload' | 'no_text' | 'too_many_attachments' | 'invalid_blocks';

export type SlackPayloadCheck =
  | { readonly ok: true; readonly payload: Readonly<Record<string, unknown>> }
  | {
      readonly ok: false;
      readonly error: SlackPayloadError;
      /** Where and why, for the person reading a failed test; Slack itself only sends `error`. */
      readonly reason: string;
    };

/**
 * Reads a webhook body like Slack does: JSON, or the legacy form field
 * `payload=<json>` (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks).
 * Any other content type is still tried as JSON, because Slack does not insist
 * on the header either.
 */
export function checkSlackPayload(contentType: string | undefined, body: string): SlackPayloadCheck {
  const text =
    mediaType(contentType) === 'application/x-www-form-urlencoded'
      ? (new URLSearchParams(body).get('payload') ?? '')
      : body;
  const parsed = parseJson(text);
  if (!parsed.ok) return invalid('invalid_payload', `body is not JSON: ${parsed.reason}`);
  const payload = parsed.value;
  if (!isRecord(payload)) return invalid('invalid_payload', 'body is not a JSON object');

  const { text: messageText, blocks, attachments } = payload;
  if (messageText !== undefined && typeof messageText !== 'string') {
    return invalid('invalid_payload', '/text must be a string');
  }
  if (attachments !== undefined && !Array.isArray(attachments)) {
    return invalid('invalid_payload', '/attachments must be an array');
  }
  if (Array.isArray(attachments) && attachments.length > MAX_ATTACHMENTS) {
    return invalid(
      'too_many_attachments',
      `/attachments has ${attachments.length} items, at most ${MAX_ATTACHMENTS}`,
    );
  }
  if (blocks !== undefined) {
    const problem = blocksProblem(blocks);
    if (problem !== undefined) return invalid('invalid_blocks', problem);
  }
  const hasText = typeof messageText === 'string' && messageText.trim() !== '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) return invalid('no_text', 'no text, blocks or attachments');
  return { ok: true, payload };
}

function invalid(error: SlackPayloadError, reason: string): SlackPayloadCheck {
  return { ok: false, error, reason };
}

/** The first thing Slack would reject in `blocks`, as `/json/pointer: why`; undefined when fine. */
function blocksProblem(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks)) return '/blocks must be an array';
  if (blocks.length > MAX_BLOCKS) return `/blocks has ${blocks.length} blocks, at most ${MAX_BLOCKS}`;
  for (const [index, block] of blocks.entries()) {
    const problem = blockProblem(block, `/blocks/${index}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function blockProblem(block: unknown, at: string): string | undefined {
  if (!isRecord(block)) return `${at} must be an object`;
  const { type, block_id: blockId } = block;
  if (typeof type !== 'string' || !BLOCK_TYPES.has(type))
    return `${at}/type ${JSON.stringify(type)} is not a block type`;
  if (blockId !== undefined && (typeof blockId !== 'string' || blockId.length > MAX_BLOCK_ID_CHARS)) {
    return `${at}/block_id must be a string of at most ${MAX_BLOCK_ID_CHARS} characters`;
  }
  switch (type) {
    case 'header':
      return textProblem(block.text, `${at}/text`, MAX_HEADER_TEXT_CHARS, ['plain_text']);
    case 'section':
      return sectionProblem(block, at);
    case 'context':
      return listProblem(block.elements, `${at}/elements`, MAX_CONTEXT_ELEMENTS);
    case 'actions':
      return listProblem(block.elements, `${at}/elements`, MAX_ACTIONS_ELEMENTS);
    default:
      // The other types are accepted as they come: a double checks what is cheap and common.
      return undefined;
  }
}

function sectionProblem(block: Record<string, unknown>, at: string): string | undefined {
  const { text, fields } = block;
  if (text === undefined && fields === undefined) return `${at} needs text or fields`;
  if (text !== undefined) {
    const problem = textProblem(text, `${at}/text`, MAX_SECTION_TEXT_CHARS, ['plain_text', 'mrkdwn']);
    if (problem !== undefined) return problem;
  }
  if (fields !== undefined) {
    const problem = listProblem(fields, `${at}/fields`, MAX_SECTION_FIELDS);
    if (problem !== undefined) return problem;
    for (const [index, field] of (fields as unknown[]).entries()) {
      const fieldProblem = textProblem(field, `${at}/fields/${index}`, MAX_SECTION_FIELD_CHARS, [
        'plain_text',
        'mrkdwn',
      ]);
      if (fieldProblem !== undefined) return fieldProblem;
    }
  }
  return undefined;
}

function textProblem(
  value: unknown,
  at: string,
  maxChars: number,
  types: readonly string[],
): string | undefined {
  if (!isRecord(value)) return `${at} must be a text object`;
  if (typeof value.type !== 'string' || !types.includes(value.type)) {
    return `${at}/type must be ${types.join(' or ')}`;
  }
  if (typeof value.text !== 'string' || value.text.length === 0)
    return `${at}/text must be a non-empty string`;
  if (value.text.length > maxChars) {
    return `${at}/text has ${value.text.length} characters, at most ${maxChars}`;
  }
  return undefined;
}

function listProblem(value: unknown, at: string, maxItems: number): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return `${at} must be a non-empty array`;
  if (value.length > maxItems) return `${at} has ${value.length} items, at most ${maxItems}`;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
