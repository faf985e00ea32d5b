import { ChannelError, type ChannelErrorCode, type Delivered } from '@k8slistener/plugin-kit';

/**
 * Bot API error descriptions we know, matched case-insensitively on the text
 * after "Bad Request: " / "Forbidden: " (Telegram does not publish a list;
 * these are the texts the Bot API sends and client libraries match on).
 * Anything else falls back to the HTTP status.
 */
const KNOWN_ERRORS: readonly [RegExp, ChannelErrorCode][] = [
  [/chat not found/i, 'rejected'],
  [/message thread not found/i, 'rejected'],
  [/group chat was upgraded to a supergroup/i, 'rejected'],
  [/chat_id is empty/i, 'rejected'],
  [/not enough rights|have no rights/i, 'rejected'],
  [/bot was blocked by the user/i, 'rejected'],
  [/bot was kicked/i, 'rejected'],
  [/bot is not a member/i, 'rejected'],
  [/user is deactivated/i, 'rejected'],
  [/message is too long/i, 'invalid_payload'],
  [/message text is empty/i, 'invalid_payload'],
  [/can't parse entities/i, 'invalid_payload'],
];

/** Descriptions longer than this are cut; they are reported, not parsed. */
const MAX_DETAIL_CHARS = 300;

interface BotApiAnswer {
  ok?: unknown;
  error_code?: unknown;
  description?: unknown;
  result?: { message_id?: unknown };
  parameters?: { retry_after?: unknown; migrate_to_chat_id?: unknown };
}

/**
 * What a sendMessage answer means: ok:true is delivered; 429 is rate-limited
 * for parameters.retry_after seconds; 401 (and 404, which is how the Bot API
 * answers an unknown token path) is unauthorized; "chat not found", a blocked
 * or kicked bot and the like are permanent; 5xx is unavailable.
 */
export function telegramAnswer(status: number, bodyText: string): Delivered | ChannelError {
  let body: BotApiAnswer | undefined;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      body = parsed as BotApiAnswer;
  } catch {
    // A proxy in front of the Bot API may answer HTML: judged by status below.
  }
  if (status === 200 && body?.ok === true) {
    const id = body.result?.message_id;
    return { channelStatus: '200', ...(typeof id === 'number' ? { detail: `message_id ${id}` } : {}) };
  }
  const code = typeof body?.error_code === 'number' ? body.error_code : status;
  const description =
    typeof body?.description === 'string' ? body.description.slice(0, MAX_DETAIL_CHARS) : `HTTP ${status}`;
  const channelStatus = String(code);
  if (code === 429) {
    const seconds = body?.parameters?.retry_after;
    return new ChannelError('rate_limited', {
      channelStatus,
      detail: description,
      ...(typeof seconds === 'number' && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}),
    });
  }
  if (code === 401 || code === 404) {
    return new ChannelError('unauthorized', {
      channelStatus,
      detail: `${description}: the Bot API does not accept this bot token (check botToken and apiUrl)`,
    });
  }
  const migrated = body?.parameters?.migrate_to_chat_id;
  if (typeof migrated === 'number') {
    return new ChannelError('rejected', {
      channelStatus,
      detail: `${description}; set the target's chatId to ${migrated}`,
    });
  }
  if (code < 500) {
    const known = KNOWN_ERRORS.find(([pattern]) => pattern.test(description));
    if (known !== undefined) return new ChannelError(known[1], { channelStatus, detail: description });
  }
  return ChannelError.fromHttpStatus(code >= 400 ? code : status, { detail: description });
}
