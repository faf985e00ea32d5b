import {
  type Answer,
  type DoubleServer,
  type DoubleServerOptions,
  type DoubleService,
  startDoubleServer,
} from './double-server.ts';
import { checkSlackPayload } from './slack-payload.ts';
import type { AutoRateLimit } from './token-bucket.ts';

/*
 * A Slack incoming webhook (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks,
 * formerly https://api.slack.com/messaging/webhooks): POST JSON to
 * /services/T…/B…/secret, get `200 ok`, or a status with the error code as
 * the whole plain-text body.
 *
 * Statuses: 400 invalid_payload / user_not_found, 403 action_prohibited,
 * 404 channel_not_found, 410 channel_is_archived and 500 rollup_error are
 * documented in https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks.
 * The webhook docs list the other codes (no_service, no_team, team_disabled,
 * invalid_token, posting_to_general_channel_denied, too_many_attachments…)
 * without a status; those below follow the same pattern (missing → 404,
 * refused → 403, malformed → 400) and are our inference, not Slack's word.
 */

/** The documented example (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks). */
export const EXAMPLE_SLACK_WEBHOOK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

/**
 * "No more than one message per second … bursts over that limit for short
 * periods" (https://api.slack.com/docs/rate-limits). The burst size is not
 * published; 1 is the strictest reading, so a plugin that copes with it copes
 * with Slack.
 */
export const SLACK_WEBHOOK_RATE_LIMIT: AutoRateLimit = { ratePerSecond: 1, burst: 1 };

const WEBHOOK_PATH = /^\/services\/(T[A-Z0-9]+)\/(B[A-Z0-9]+)\/([A-Za-z0-9]+)$/;

// Slack answers webhooks as text/html, even for plain-text error codes.
const TEXT_HEADERS = { 'content-type': 'text/html' } as const;

const slackError = (status: number, code: string): Answer => ({ status, headers: TEXT_HEADERS, body: code });

export const SLACK_ERRORS = {
  invalid_payload: slackError(400, 'invalid_payload'),
  user_not_found: slackError(400, 'user_not_found'),
  no_text: slackError(400, 'no_text'),
  too_many_attachments: slackError(400, 'too_many_attachments'),
  invalid_blocks: slackError(400, 'invalid_blocks'),
  action_prohibited: slackError(403, 'action_prohibited'),
  posting_to_general_channel_denied: slackError(403, 'posting_to_general_channel_denied'),
  invalid_token: slackError(403, 'invalid_token'),
  team_disabled: slackError(403, 'team_disabled'),
  channel_not_found: slackError(404, 'channel_not_found'),
  no_service: slackError(404, 'no_service'),
  no_service_id: slackError(404, 'no_service_id'),
  no_team: slackError(404, 'no_team'),
  channel_is_archived: slackError(410, 'channel_is_archived'),
  rollup_error: slackError(500, 'rollup_error'),
  server_error: slackError(500, 'rollup_error'),
  unavailable: slackError(503, 'service_unavailable'),
} as const satisfies Record<string, Answer>;

export type SlackFailMode = keyof typeof SLACK_ERRORS;

export interface SlackDoubleOptions extends DoubleServerOptions {
  /**
   * Webhooks that exist, as paths or full URLs. When given, any other path of
   * the right shape answers `no_service`, or `invalid_token` when only the
   * secret differs. When left out, every path of the right shape exists.
   */
  readonly webhooks?: readonly string[];
}

export interface SlackDelivery {
  /** The webhook path it was posted to. */
  readonly path: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface SlackDouble extends DoubleServer<SlackFailMode> {
  /** A webhook URL a plugin can be configured with: the first registered one, or the documented example. */
  readonly webhookUrl: string;
  /** The payloads Slack would have posted (answered 200), oldest first. */
  delivered(): SlackDelivery[];
}

function slackService(webhooks: readonly string[] = []): DoubleService<SlackFailMode> {
  const known = new Set(webhooks.map(webhookPath));
  const knownHooks = new Set([...known].map((path) => path.slice(0, path.lastIndexOf('/'))));
  return {
    name: 'slack',
    errors: SLACK_ERRORS,
    // "HTTP 429 Too Many Requests … and a Retry-After header" (https://api.slack.com/docs/rate-limits).
    // The body is not specified for webhooks; `rate_limited` is what clients report seeing.
    rateLimited: (seconds) => ({
      status: 429,
      headers: { ...TEXT_HEADERS, 'retry-after': String(seconds) },
      body: 'rate_limited',
    }),
    rateKey: (request) => request.path,
    handle: (request) => {
      const path = request.path;
      if (!WEBHOOK_PATH.test(path)) return SLACK_ERRORS.no_service;
      if (known.size > 0 && !known.has(path)) {
        return knownHooks.has(path.slice(0, path.lastIndexOf('/')))
          ? SLACK_ERRORS.invalid_token
          : SLACK_ERRORS.no_service;
      }
      // Not documented; webhooks take POST only.
      if (request.method !== 'POST') {
        return { status: 405, headers: { ...TEXT_HEADERS, allow: 'POST' }, body: 'invalid_method' };
      }
      const check = checkSlackPayload(request.headers['content-type'], request.body);
      if (!check.ok) {
        // The reason header is the double's own, for whoever reads a failing test.
        return {
          ...SLACK_ERRORS[check.error],
          headers: { ...TEXT_HEADERS, 'x-double-reason': check.reason },
        };
      }
      return { status: 200, headers: TEXT_HEADERS, body: 'ok' };
    },
  };
}

/** Starts a Slack incoming-webhook double on 127.0.0.1. */
export async function startSlackDouble(options: SlackDoubleOptions = {}): Promise<SlackDouble> {
  const { webhooks = [], ...serverOptions } = options;
  const server = await startDoubleServer(slackService(webhooks), serverOptions);
  const firstPath = webhooks[0] === undefined ? EXAMPLE_SLACK_WEBHOOK_PATH : webhookPath(webhooks[0]);
  return Object.assign(server, {
    webhookUrl: server.origin + firstPath,
    delivered: (): SlackDelivery[] =>
      server.requests.flatMap((request) => {
        if (!('status' in request.answer) || request.answer.status !== 200) return [];
        const check = checkSlackPayload(request.headers['content-type'], request.body);
        return check.ok ? [{ path: request.path, payload: check.payload }] : [];
      }),
  });
}

/** `https://hooks.slack.com/services/T/B/x` or `/services/T/B/x` → `/services/T/B/x`. */
function webhookPath(webhook: string): string {
  return webhook.startsWith('/') ? webhook : new URL(webhook).pathname;
}
