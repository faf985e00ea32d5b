import { ChannelError, type ChannelErrorCode, type Delivered } from '@k8slistener/plugin-kit';

/**
 * Error codes a Workflows (Logic Apps request trigger) webhook answers in its
 * {"error":{"code","message"}} envelope. Microsoft does not list them for
 * this trigger; these are the ones seen from real endpoints.
 */
export const WORKFLOW_ERRORS: Readonly<Record<string, ChannelErrorCode>> = {
  DirectApiAuthorizationRequired: 'unauthorized',
  DirectApiInvalidAuthorizationSignature: 'unauthorized',
  DirectApiRequestHasMoreThanOneAuthorization: 'unauthorized',
  WorkflowNotFound: 'rejected',
  WorkflowTriggerIsNotEnabled: 'rejected',
  MissingApiVersionParameter: 'rejected',
  TriggerInputSchemaMismatch: 'invalid_payload',
  InvalidRequestContent: 'invalid_payload',
  TriggerRequestMethodNotValid: 'invalid_payload',
};

const MAX_DETAIL_CHARS = 300;

/**
 * What a Workflows webhook answer means. 202 Accepted — the flow started — is
 * success (so is any 2xx), not an error; 429 is rate-limited with
 * Retry-After; a known Azure error code by the table; anything else by the
 * kit's generic HTTP mapping.
 */
export function teamsAnswer(
  status: number,
  bodyText: string,
  retryAfterMs: number | undefined,
  runId: string | null,
): Delivered | ChannelError {
  if (status >= 200 && status < 300) {
    return { channelStatus: String(status), ...(runId ? { detail: `workflow run ${runId}` } : {}) };
  }
  const error = azureError(bodyText);
  const detail = error ? `${error.code}: ${error.message}`.slice(0, MAX_DETAIL_CHARS) : `HTTP ${status}`;
  if (status === 429) {
    return new ChannelError('rate_limited', {
      channelStatus: '429',
      detail,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  const known = error && status < 500 ? WORKFLOW_ERRORS[error.code] : undefined;
  if (error && known) return new ChannelError(known, { channelStatus: error.code, detail });
  return ChannelError.fromHttpStatus(status, { detail });
}

function azureError(text: string): { code: string; message: string } | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = body?.error?.code;
    if (typeof code !== 'string') return undefined;
    const message = body.error?.message;
    return { code, message: typeof message === 'string' ? message : '' };
  } catch {
    return undefined;
  }
}
