import { ChannelError, channelHttp, type PluginDefinition, retryAfterMs } from '@k8slistener/plugin-kit';
import packageJson from '../package.json' with { type: 'json' };
import { slackAnswer } from './slack-answer.ts';
import { slackPayload } from './slack-payload.ts';
import { type SlackTarget, slackTargets } from './slack-targets.ts';

/** Slack error bodies are one word; anything longer is not worth reading. */
const MAX_ANSWER_BYTES = 4096;

/** The Slack plugin: SlackMessage → Block Kit → incoming webhook. */
export function slackPlugin(now: () => number = Date.now): PluginDefinition<'slack', SlackTarget> {
  const userAgent = `k8slistener-slack/${packageJson.version}`;
  return {
    messageType: 'slack',
    version: packageJson.version,
    parseTargets: slackTargets,
    async deliver(message, target, _notification, { signal, timeoutMs }) {
      const payload = slackPayload(message);
      if ('errors' in payload) {
        throw new ChannelError('invalid_payload', {
          channelStatus: 'mapping',
          detail: payload.errors.join('; '),
        });
      }
      const response = await channelHttp({ timeoutMs, userAgent }).post(target.webhookUrl, {
        json: payload.value,
        signal,
      });
      const body = (await response.text()).slice(0, MAX_ANSWER_BYTES);
      const outcome = slackAnswer(
        response.status,
        body,
        retryAfterMs(response.headers.get('retry-after'), now()),
      );
      if (outcome instanceof ChannelError) throw outcome;
      return outcome;
    },
  };
}
