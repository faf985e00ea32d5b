import { ChannelError, type ChannelErrorCode, type Delivered } from '@k8slistener/plugin-kit';

/**
 * Slack's documented incoming-webhook error codes — the whole body of a
 * non-200 answer (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks,
 * https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks) —
 * with what each means for a retry and the sentence we report.
 */
export const SLACK_WEBHOOK_ERRORS: Readonly<Record<string, { code: ChannelErrorCode; detail: string }>> = {
  invalid_payload: { code: 'invalid_payload', detail: 'Slack refused the payload as malformed' },
  invalid_blocks: { code: 'invalid_payload', detail: 'Slack refused the Block Kit blocks' },
  invalid_blocks_format: { code: 'invalid_payload', detail: 'Slack refused the Block Kit blocks' },
  no_text: { code: 'invalid_payload', detail: 'Slack found no text in the message' },
  too_many_attachments: { code: 'invalid_payload', detail: 'too many attachments for Slack' },
  user_not_found: { code: 'invalid_payload', detail: 'Slack did not find a user the message refers to' },
  channel_not_found: { code: 'rejected', detail: "the webhook's channel does not exist any more" },
  channel_is_archived: { code: 'rejected', detail: "the webhook's channel is archived" },
  action_prohibited: { code: 'rejected', detail: 'a workspace admin restricted posting to this channel' },
  posting_to_general_channel_denied: {
    code: 'rejected',
    detail: 'only admins may post to this workspace-wide channel',
  },
  invalid_token: { code: 'unauthorized', detail: 'the webhook URL is invalid or was revoked' },
  no_service: { code: 'unauthorized', detail: 'the webhook is disabled, removed or invalid' },
  no_service_id: { code: 'unauthorized', detail: 'the webhook URL is missing its service id' },
  no_team: { code: 'unauthorized', detail: "the webhook's workspace does not exist or was deleted" },
  team_disabled: { code: 'unauthorized', detail: "the webhook's workspace is disabled" },
  rollup_error: { code: 'unavailable', detail: 'Slack had a server error (rollup_error)' },
};

/** Slack's error codes are short snake_case words; anything else in a body is not quoted back. */
const ERROR_CODE = /^[a-z_]{1,64}$/;

/**
 * What a webhook answer means: 200 is delivered; 429 rate-limited with
 * Retry-After; a documented error code by the table; anything else by the
 * kit's generic HTTP mapping.
 */
export function slackAnswer(
  status: number,
  body: string,
  retryAfterMs: number | undefined,
): Delivered | ChannelError {
  if (status === 200) return { channelStatus: '200' };
  const word = body.trim();
  if (status === 429) {
    return new ChannelError('rate_limited', {
      channelStatus: '429',
      detail: 'Slack rate limited the webhook',
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  const known = SLACK_WEBHOOK_ERRORS[word];
  if (known !== undefined) return new ChannelError(known.code, { channelStatus: word, detail: known.detail });
  const generic = ChannelError.fromHttpStatus(status, {
    detail: ERROR_CODE.test(word) ? `Slack answered HTTP ${status} ${word}` : `Slack answered HTTP ${status}`,
  });
  return generic;
}
