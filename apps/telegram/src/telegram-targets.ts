import { type TargetsResult, targetEntries, targetFields } from '@k8slistener/plugin-kit';

/** The public Bot API; a self-hosted Bot API server is set per target (apiUrl) or by TELEGRAM_API_URL. */
export const DEFAULT_TELEGRAM_API_URL = 'https://api.telegram.org';

/** A bot token as BotFather issues it: "<bot id>:<secret>". */
const BOT_TOKEN = /^\d+:[A-Za-z0-9_-]+$/;
/** A numeric chat id, or @username of a public channel or supergroup. */
const CHAT_ID = /^(-?\d+|@[A-Za-z0-9_]{4,32})$/;
const MAX_THREAD_ID = 2 ** 31 - 1;

export interface TelegramTarget {
  /** Secret. */
  botToken: string;
  chatId: string;
  messageThreadId?: number;
  /** The Bot API base URL, without a trailing slash. */
  apiUrl: string;
  linkPreview: boolean;
}

const SETTINGS = ['botToken', 'chatId', 'messageThreadId', 'apiUrl', 'linkPreview'] as const;

/**
 * Targets: `name: { botToken, chatId, messageThreadId?, apiUrl?, linkPreview? }`.
 * chatId is a number (-100… for supergroups and channels) or "@channelname";
 * messageThreadId posts into a forum topic.
 */
export function telegramTargets(
  raw: unknown,
  defaultApiUrl = DEFAULT_TELEGRAM_API_URL,
): TargetsResult<TelegramTarget> {
  const entries = targetEntries(raw);
  if ('errors' in entries) return entries;
  const errors: string[] = [];
  const targets = new Map<string, TelegramTarget>();
  for (const [name, settings] of entries.value) {
    const before = errors.length;
    const fields = targetFields(name, settings, errors);
    const botToken = fields.string('botToken');
    if (botToken !== undefined && !BOT_TOKEN.test(botToken)) {
      errors.push(`target "${name}": botToken: expected "<bot id>:<secret>" as BotFather issues it`);
    }
    const chatId = fields.id('chatId');
    if (chatId !== undefined && !CHAT_ID.test(chatId)) {
      errors.push(`target "${name}": chatId: expected a numeric chat id or @channelname`);
    }
    const messageThreadId = fields.optionalInteger('messageThreadId', 1, MAX_THREAD_ID);
    const apiUrl = fields.optionalUrl('apiUrl') ?? defaultApiUrl;
    const linkPreview = fields.optionalBoolean('linkPreview') ?? false;
    fields.rejectUnknown(SETTINGS);
    if (errors.length === before && botToken !== undefined && chatId !== undefined) {
      targets.set(name, {
        botToken,
        chatId,
        ...(messageThreadId === undefined ? {} : { messageThreadId }),
        apiUrl: apiUrl.replace(/\/+$/, ''),
        linkPreview,
      });
    }
  }
  return errors.length > 0 ? { errors } : { targets };
}
