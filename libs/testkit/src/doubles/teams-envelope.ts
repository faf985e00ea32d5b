/*
 * The message a Teams Workflows webhook ("When a Teams webhook request is
 * received", https://learn.microsoft.com/en-us/connectors/teams/#microsoft-teams-webhook)
 * posts: an Adaptive Card in a Bot Framework message envelope
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using),
 * the only format Workflows support: MessageCard went with the retired Office 365 connectors.
 *
 * The real trigger accepts most JSON and lets the flow fail later, where the
 * sender never sees it. The double refuses at once what Teams would not
 * render, so a plugin's mistake fails its test instead of vanishing.
 */

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly version: string;
  readonly [key: string]: unknown;
}

export interface TeamsEnvelope {
  readonly type: 'message';
  readonly attachments: readonly { readonly contentType: string; readonly content: AdaptiveCard }[];
}

export type TeamsEnvelopeCheck =
  | { readonly ok: true; readonly envelope: TeamsEnvelope }
  | {
      readonly ok: false;
      /** In the words of the JSON schema validator behind the trigger, with the JSON path. */
      readonly detail: string;
    };

const CARD_VERSION = /^\d+\.\d+$/;

/** Checks an already parsed body; the first problem wins, as in the trigger's error. */
export function checkTeamsEnvelope(value: unknown): TeamsEnvelopeCheck {
  if (!isRecord(value)) return problem(`Invalid type. Expected Object but got ${jsonType(value)}.`, '');
  const missing = ['type', 'attachments'].filter((key) => !(key in value));
  if (missing.length > 0)
    return problem(`Required properties are missing from object: ${missing.join(', ')}.`, '');
  if (value.type !== 'message')
    return problem(`Value ${JSON.stringify(value.type)} is not defined in enum.`, 'type');
  const attachments = value.attachments;
  if (!Array.isArray(attachments)) {
    return problem(`Invalid type. Expected Array but got ${jsonType(attachments)}.`, 'attachments');
  }
  if (attachments.length === 0)
    return problem('Array item count 0 is less than minimum count of 1.', 'attachments');
  for (const [index, attachment] of attachments.entries()) {
    const at = `attachments[${index}]`;
    if (!isRecord(attachment))
      return problem(`Invalid type. Expected Object but got ${jsonType(attachment)}.`, at);
    if (attachment.contentType !== ADAPTIVE_CARD_CONTENT_TYPE) {
      return problem(
        `Value ${JSON.stringify(attachment.contentType)} is not defined in enum.`,
        `${at}.contentType`,
      );
    }
    const content = attachment.content;
    if (!isRecord(content)) {
      return problem(`Invalid type. Expected Object but got ${jsonType(content)}.`, `${at}.content`);
    }
    if (content.type !== 'AdaptiveCard') {
      return problem(`Value ${JSON.stringify(content.type)} is not defined in enum.`, `${at}.content.type`);
    }
    if (typeof content.version !== 'string' || !CARD_VERSION.test(content.version)) {
      return problem(
        `String ${JSON.stringify(content.version)} does not match regex pattern.`,
        `${at}.content.version`,
      );
    }
    if (content.body !== undefined && !Array.isArray(content.body)) {
      return problem(`Invalid type. Expected Array but got ${jsonType(content.body)}.`, `${at}.content.body`);
    }
  }
  return { ok: true, envelope: value as unknown as TeamsEnvelope };
}

function problem(message: string, path: string): TeamsEnvelopeCheck {
  return { ok: false, detail: `${message} Path '${path}'.` };
}

/** JSON type names as Newtonsoft's schema validator prints them. */
function jsonType(value: unknown): string {
  if (value === null) return 'Null';
  if (value === undefined) return 'Undefined';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Float';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  return 'Object';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
