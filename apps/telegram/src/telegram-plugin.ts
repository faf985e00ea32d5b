import { ChannelError, channelHttp, type PluginDefinition } from '@k8slistener/plugin-kit';
import packageJson from '../package.json' with { type: 'json' };
import { telegramAnswer } from './telegram-answer.ts';
import { sendMessageRequest } from './telegram-request.ts';
import { DEFAULT_TELEGRAM_API_URL, type TelegramTarget, telegramTargets } from './telegram-targets.ts';

/** Bot API answers are small JSON; more than this is not worth reading. */
const MAX_ANSWER_CHARS = 16_384;

/** The Telegram plugin: TelegramMessage → HTML → Bot API sendMessage. */
export function telegramPlugin(
  options: { defaultApiUrl?: string } = {},
): PluginDefinition<'telegram', TelegramTarget> {
  const userAgent = `k8slistener-telegram/${packageJson.version}`;
  const defaultApiUrl = options.defaultApiUrl ?? DEFAULT_TELEGRAM_API_URL;
  return {
    messageType: 'telegram',
    version: packageJson.version,
    parseTargets: (raw) => telegramTargets(raw, defaultApiUrl),
    async deliver(message, target, _notification, { signal, timeoutMs }) {
      const request = sendMessageRequest(message, target);
      if ('errors' in request) {
        throw new ChannelError('invalid_payload', {
          channelStatus: 'mapping',
          detail: request.errors.join('; '),
        });
      }
      // The token is part of the path: ky's errors and ours never carry the URL into a response or log.
      const response = await channelHttp({ timeoutMs, userAgent }).post(
        `${target.apiUrl}/bot${target.botToken}/sendMessage`,
        { json: request.value, signal },
      );
      const outcome = telegramAnswer(response.status, (await response.text()).slice(0, MAX_ANSWER_CHARS));
      if (outcome instanceof ChannelError) throw outcome;
      return outcome;
    },
  };
}
