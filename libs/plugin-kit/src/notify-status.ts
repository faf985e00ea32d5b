import { status } from '@grpc/grpc-js';
import { type NotifyResponse, Outcome, toDuration } from '@k8slistener/proto';
import type { ChannelError, ChannelErrorCode } from './channel-error.ts';

/** gRPC status and NotifyResponse outcome for each ChannelError code: the one mapping all plugins share. */
export const CHANNEL_ERROR_STATUS: Readonly<
  Record<ChannelErrorCode, { code: status; outcome: (typeof Outcome)[keyof typeof Outcome] }>
> = {
  rate_limited: { code: status.RESOURCE_EXHAUSTED, outcome: Outcome.OUTCOME_RATE_LIMITED },
  unavailable: { code: status.UNAVAILABLE, outcome: Outcome.OUTCOME_UNAVAILABLE },
  invalid_payload: { code: status.INVALID_ARGUMENT, outcome: Outcome.OUTCOME_REJECTED },
  // Permanent refusals that are not about the payload: the channel or chat is gone, archived, blocked.
  rejected: { code: status.FAILED_PRECONDITION, outcome: Outcome.OUTCOME_REJECTED },
  unknown_target: { code: status.FAILED_PRECONDITION, outcome: Outcome.OUTCOME_REJECTED },
  unauthorized: { code: status.PERMISSION_DENIED, outcome: Outcome.OUTCOME_REJECTED },
};

export interface NotifyFailure {
  code: status;
  response: NotifyResponse;
}

/** The gRPC status and trailer NotifyResponse a failed delivery ends with. */
export function failureStatus(error: ChannelError, deliveryId: string): NotifyFailure {
  const { code, outcome } = CHANNEL_ERROR_STATUS[error.code];
  return {
    code,
    response: {
      deliveryId,
      outcome,
      channelStatus: error.channelStatus,
      detail: error.detail,
      ...(error.retryAfterMs === undefined ? {} : { retryAfter: toDuration(error.retryAfterMs) }),
    },
  };
}

/** The answer to a delivery the channel accepted. */
export function deliveredResponse(deliveryId: string, channelStatus: string, detail = ''): NotifyResponse {
  return { deliveryId, outcome: Outcome.OUTCOME_DELIVERED, channelStatus, detail };
}

export const DUPLICATE_DETAIL = 'duplicate of an earlier delivery';

/** The answer to a delivery_id this plugin already delivered: nothing was sent again. */
export function duplicateResponse(deliveryId: string): NotifyResponse {
  return { deliveryId, outcome: Outcome.OUTCOME_DUPLICATE, channelStatus: '', detail: DUPLICATE_DETAIL };
}
