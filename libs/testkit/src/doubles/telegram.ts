import {
  type Answer,
  type DoubleRequest,
  type DoubleServer,
  type DoubleServerOptions,
  type DoubleService,
  startDoubleServer,
} from './double-server.ts';
import { parseJson } from './request-body.ts';
import {
  characterCount,
  type FormattedText,
  parseTelegramHtml,
  type TelegramEntity,
  trimFormattedText,
} from './telegram-text.ts';
import type { AutoRateLimit } from './token-bucket.ts';

/*
 * The Telegram Bot API (https://core.telegram.org/bots/api): requests go to
 * /bot<token>/<method> as query string, form-urlencoded or JSON; every answer
 * is JSON `{"ok":true,"result":…}` or `{"ok":false,"error_code":N,"description":"…"}`
 * with N as the HTTP status (https://core.telegram.org/bots/api#making-requests).
 * Only getMe and sendMessage are implemented; multipart bodies are not read.
 */

/** "1-4096 characters after entities parsing" (https://core.telegram.org/bots/api#sendmessage). */
export const MAX_MESSAGE_CHARS = 4096;

/**
 * "Avoid sending more than one message per second" to one chat
 * (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
 */
export const TELEGRAM_CHAT_RATE_LIMIT: AutoRateLimit = { ratePerSecond: 1, burst: 1 };

/** A token of the documented shape (https://core.telegram.org/bots/api#authorizing-your-bot). */
export const EXAMPLE_TELEGRAM_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';

const TOKEN_SHAPE = /^(\d+):[A-Za-z0-9_-]+$/;
const METHOD_PATH = /^\/bot([^/]*)\/([^/]*)$/;

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

const failure = (status: number, description: string, parameters?: Record<string, number>): Answer => ({
  status,
  headers: JSON_HEADERS,
  body: JSON.stringify({
    ok: false,
    error_code: status,
    description,
    ...(parameters === undefined ? {} : { parameters }),
  }),
});

const success = (result: unknown): Answer => ({
  status: 200,
  headers: JSON_HEADERS,
  body: JSON.stringify({ ok: true, result }),
});

/**
 * The error_code is the HTTP status (https://core.telegram.org/bots/api#making-requests).
 * The descriptions are not listed in the docs; these are the texts the Bot API
 * is seen to send, which client libraries match on.
 */
export const TELEGRAM_ERRORS = {
  chat_not_found: failure(400, 'Bad Request: chat not found'),
  message_too_long: failure(400, 'Bad Request: message is too long'),
  message_text_empty: failure(400, 'Bad Request: message text is empty'),
  cant_parse_entities: failure(
    400,
    'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 0',
  ),
  chat_migrated: failure(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
    migrate_to_chat_id: -1001234567890,
  }),
  unauthorized: failure(401, 'Unauthorized'),
  bot_blocked: failure(403, 'Forbidden: bot was blocked by the user'),
  bot_kicked: failure(403, 'Forbidden: bot was kicked from the group chat'),
  not_channel_member: failure(403, 'Forbidden: bot is not a member of the channel chat'),
  user_deactivated: failure(403, 'Forbidden: user is deactivated'),
  not_found: failure(404, 'Not Found'),
  server_error: failure(500, 'Internal Server Error'),
  bad_gateway: failure(502, 'Bad Gateway'),
  unavailable: failure(503, 'Service Unavailable'),
} as const satisfies Record<string, Answer>;

export type TelegramFailMode = keyof typeof TELEGRAM_ERRORS;

/** A Chat (https://core.telegram.org/bots/api#chat) the double knows. */
export interface TelegramChat {
  readonly id: number;
  readonly type: 'private' | 'group' | 'supergroup' | 'channel';
  readonly title?: string;
  readonly username?: string;
  readonly first_name?: string;
}

export interface TelegramDoubleOptions extends DoubleServerOptions {
  /** Bot tokens that exist; others answer 401 Unauthorized. When left out, any well-formed token works. */
  readonly tokens?: readonly string[];
  /** Chats that exist; others answer "chat not found". When left out, any numeric id or @username works. */
  readonly chats?: readonly TelegramChat[];
}

/** The Message (https://core.telegram.org/bots/api#message) sendMessage returns. */
export interface TelegramMessage {
  readonly message_id: number;
  readonly from?: Readonly<Record<string, unknown>>;
  readonly sender_chat?: TelegramChat;
  readonly chat: TelegramChat;
  readonly date: number;
  readonly text: string;
  readonly entities?: readonly TelegramEntity[];
}

export interface TelegramDouble extends DoubleServer<TelegramFailMode> {
  /** What a plugin is configured with as the API base: requests go to `${apiUrl}/bot<token>/<method>`. */
  readonly apiUrl: string;
  /** The messages sendMessage accepted, as returned to the bot, oldest first. */
  sent(): TelegramMessage[];
}

type Params = Readonly<Record<string, unknown>>;

function telegramService(
  options: Pick<TelegramDoubleOptions, 'tokens' | 'chats'> = {},
): DoubleService<TelegramFailMode> {
  const tokens = options.tokens === undefined ? undefined : new Set(options.tokens);
  const registered = options.chats;
  const messageIds = new Map<number, number>();
  const usernameIds = new Map<string, number>();

  const findChat = (chatId: unknown): TelegramChat | undefined => {
    const id = typeof chatId === 'number' ? chatId : typeof chatId === 'string' ? chatId.trim() : undefined;
    if (id === undefined) return undefined;
    const username = typeof id === 'string' && id.startsWith('@') ? id.slice(1) : undefined;
    const numeric = typeof id === 'number' ? id : /^-?\d+$/.test(id) ? Number(id) : undefined;
    if (registered !== undefined) {
      return registered.find((chat) =>
        username === undefined ? chat.id === numeric : chat.username === username,
      );
    }
    if (username !== undefined && username !== '') {
      // A stable made-up id per channel username, in the -100… range channels live in.
      const known = usernameIds.get(username) ?? -1001000000001 - usernameIds.size;
      usernameIds.set(username, known);
      return { id: known, type: 'channel', title: username, username };
    }
    if (numeric === undefined || !Number.isSafeInteger(numeric) || numeric === 0) return undefined;
    if (numeric > 0) return { id: numeric, type: 'private', first_name: 'Test' };
    return numeric <= -1000000000000
      ? { id: numeric, type: 'supergroup', title: 'Test supergroup' }
      : { id: numeric, type: 'group', title: 'Test group' };
  };

  const bot = (token: string) => {
    const id = Number(TOKEN_SHAPE.exec(token)?.[1]);
    return { id, is_bot: true, first_name: 'Double Bot', username: `double_${id}_bot` };
  };

  const sendMessage = (token: string, params: Params, nowMs: number): Answer => {
    const chatId = params.chat_id;
    if (chatId === undefined || chatId === '') return failure(400, 'Bad Request: chat_id is empty');
    const rawText = params.text;
    if (typeof rawText !== 'string' || rawText === '') return TELEGRAM_ERRORS.message_text_empty;
    const formatted = format(rawText, params.parse_mode);
    if ('error' in formatted) return formatted.error;
    const { text, entities } = trimFormattedText(formatted);
    if (text === '') return TELEGRAM_ERRORS.message_text_empty;
    if (characterCount(text) > MAX_MESSAGE_CHARS) return TELEGRAM_ERRORS.message_too_long;
    const chat = findChat(chatId);
    if (chat === undefined) return TELEGRAM_ERRORS.chat_not_found;
    const messageId = (messageIds.get(chat.id) ?? 0) + 1;
    messageIds.set(chat.id, messageId);
    // Channel posts carry the channel as sender_chat and no `from`.
    const sender = chat.type === 'channel' ? { sender_chat: chat } : { from: bot(token) };
    const message: TelegramMessage = {
      message_id: messageId,
      ...sender,
      chat,
      date: Math.floor(nowMs / 1000),
      text,
      ...(entities.length > 0 ? { entities } : {}),
    };
    return success(message);
  };

  return {
    name: 'telegram',
    errors: TELEGRAM_ERRORS,
    // https://core.telegram.org/bots/api#responseparameters: retry_after is in the body;
    // no Retry-After header is documented, so none is sent.
    rateLimited: (seconds) =>
      failure(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds }),
    rateKey: (request) => {
      const chatId = telegramParams(request).chat_id;
      return typeof chatId === 'string' || typeof chatId === 'number' ? String(chatId) : undefined;
    },
    handle: (request, nowMs) => {
      const route = METHOD_PATH.exec(request.path);
      const token = safeDecode(route?.[1] ?? '');
      // A malformed token routes nowhere (404); a well-formed unknown one is 401.
      if (route === undefined || route === null || !TOKEN_SHAPE.test(token)) return TELEGRAM_ERRORS.not_found;
      if (tokens !== undefined && !tokens.has(token)) return TELEGRAM_ERRORS.unauthorized;
      // "All methods in the Bot API are case-insensitive."
      switch (route[2]?.toLowerCase()) {
        case 'getme':
          return success({
            ...bot(token),
            can_join_groups: true,
            can_read_all_group_messages: false,
            supports_inline_queries: false,
          });
        case 'sendmessage':
          return sendMessage(token, telegramParams(request), nowMs);
        default:
          return TELEGRAM_ERRORS.not_found;
      }
    },
    reset: () => {
      messageIds.clear();
      usernameIds.clear();
    },
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Query string, then form or JSON body, as the Bot API merges them. */
function telegramParams(request: DoubleRequest): Params {
  const fromBody = request.form ?? jsonObject(request);
  return { ...request.query, ...fromBody };
}

function jsonObject(request: DoubleRequest): Params {
  // Bot API clients do not always declare JSON; accept a JSON object body whatever the header.
  const value =
    request.json ?? (request.body.trim().startsWith('{') ? parseJsonValue(request.body) : undefined);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Params) : {};
}

function parseJsonValue(text: string): unknown {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : undefined;
}

function format(text: string, parseMode: unknown): FormattedText | { error: Answer } {
  const mode = typeof parseMode === 'string' ? parseMode.toLowerCase() : '';
  if (mode === '') return { text, entities: [] };
  if (mode === 'html') {
    const parsed = parseTelegramHtml(text);
    return parsed.ok ? parsed : { error: failure(400, `Bad Request: can't parse entities: ${parsed.error}`) };
  }
  // MarkdownV2 and Markdown are passed through unparsed: the double checks HTML only.
  if (mode === 'markdownv2' || mode === 'markdown') return { text, entities: [] };
  return { error: failure(400, 'Bad Request: unsupported parse_mode') };
}

/** Starts a Telegram Bot API double on 127.0.0.1. */
export async function startTelegramDouble(options: TelegramDoubleOptions = {}): Promise<TelegramDouble> {
  const { tokens, chats, ...serverOptions } = options;
  const server = await startDoubleServer(
    telegramService({
      ...(tokens === undefined ? {} : { tokens }),
      ...(chats === undefined ? {} : { chats }),
    }),
    serverOptions,
  );
  return Object.assign(server, {
    apiUrl: server.origin,
    sent: (): TelegramMessage[] =>
      server.requests.flatMap((request) => {
        if (!('status' in request.answer) || request.answer.status !== 200) return [];
        if (!/\/sendmessage$/i.test(request.path)) return [];
        return [(JSON.parse(request.answer.body) as { result: TelegramMessage }).result];
      }),
  });
}
