import { ChannelError, channelHttp, type PluginDefinition, retryAfterMs } from '@k8slistener/plugin-kit';
import packageJson from '../package.json' with { type: 'json' };
import { adaptiveCard, teamsEnvelope } from './adaptive-card.ts';
import { teamsAnswer } from './teams-answer.ts';
import { type TeamsTarget, teamsTargets } from './teams-targets.ts';

const MAX_ANSWER_CHARS = 16_384;

/** The Teams plugin: TeamsMessage → Adaptive Card → Workflows webhook. */
export function teamsPlugin(now: () => number = Date.now): PluginDefinition<'teams', TeamsTarget> {
  const userAgent = `k8slistener-teams/${packageJson.version}`;
  return {
    messageType: 'teams',
    version: packageJson.version,
    parseTargets: teamsTargets,
    async deliver(message, target, _notification, { signal, timeoutMs }) {
      const card = adaptiveCard(message);
      if ('errors' in card) {
        throw new ChannelError('invalid_payload', {
          channelStatus: 'mapping',
          detail: card.errors.join('; '),
        });
      }
      const response = await channelHttp({ timeoutMs, userAgent }).post(target.webhookUrl, {
        json: teamsEnvelope(card.value),
        signal,
      });
      const outcome = teamsAnswer(
        response.status,
        (await response.text()).slice(0, MAX_ANSWER_CHARS),
        retryAfterMs(response.headers.get('retry-after'), now()),
        response.headers.get('x-ms-workflow-run-id'),
      );
      if (outcome instanceof ChannelError) throw outcome;
      return outcome;
    },
  };
}
