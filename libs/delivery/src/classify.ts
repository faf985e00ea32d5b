import { type Metadata, status } from '@grpc/grpc-js';
import { durationMs, type NotifyResponse__Output, readResponseTrailer } from '@k8slistener/proto';
import { defaultRetryPolicy, type RetryPolicy } from './retry-policy.ts';

/** The verdict on one failed attempt. */
export interface Verdict {
  kind: 'retry' | 'permanent';
  code: status;
  /** Why, in a few words, for the log line and the dead letter. */
  reason: string;
  /** The channel's retry_after, when it gave one. */
  retryAfterMs?: number;
  /** What the plugin and its channel answered (from the k8slistener-response-bin trailer). */
  response?: NotifyResponse__Output;
}

/**
 * HTTP/2 resets a proxy produces on a hop that is going away. RST_STREAM with
 * code 0 (NO_ERROR) means the stream ended without the mandatory grpc-status:
 * typically Traefik closing a stream when its backend connection dropped or it
 * is itself restarting; the plugin may never have seen the call, so retrying is
 * the only way not to lose it. Code 2 (INTERNAL_ERROR) is the same at transport
 * level, except when it wraps a TLS alert (a misconfiguration, not transient).
 * grpc-js reports all of these as INTERNAL, the code it also uses for decoding
 * failures, so the details are the only way to tell them apart.
 */
const PROXY_RESET_PATTERNS: readonly RegExp[] = [
  /RST_STREAM with code 0\b/i,
  /RST_STREAM with code 2\b/i,
  /Stream removed/i,
];
const TLS_ALERT_PATTERN = /SSL alert number/i;

interface GrpcErrorLike {
  code: number;
  details?: string;
  message?: string;
  metadata?: Metadata;
}

function isGrpcError(error: unknown): error is GrpcErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'number' &&
    Number.isInteger((error as { code: number }).code) &&
    (error as { code: number }).code >= 0 &&
    (error as { code: number }).code <= 16
  );
}

/**
 * The one place a failed Notify call is judged: retry or permanent, with the
 * channel's answer and retry_after read from the response trailer.
 *
 * Permanent (never retried, straight to a dead letter): INVALID_ARGUMENT (the
 * payload is not the plugin's type, or the channel refused it),
 * FAILED_PRECONDITION (unknown target), PERMISSION_DENIED and UNAUTHENTICATED
 * (the channel refused the plugin's credentials: fixing them is a human's
 * job), NOT_FOUND, ALREADY_EXISTS, OUT_OF_RANGE, DATA_LOSS (not part of the
 * contract; a plugin that answers them means it cannot deliver this payload),
 * and INTERNAL other than a proxy reset (a message that cannot be encoded or
 * decoded fails the same way every time). Everything in
 * policy.retryableCodes is retried.
 */
export function classify(error: unknown, policy: RetryPolicy = defaultRetryPolicy): Verdict {
  if (!isGrpcError(error)) {
    const text = error instanceof Error ? error.message : String(error);
    return { kind: 'permanent', code: status.UNKNOWN, reason: `not a gRPC error: ${text}` };
  }
  const code = error.code as status;
  const details = error.details ?? error.message ?? '';
  const response = readResponseTrailer(error.metadata);
  const retryAfterMs = durationMs(response?.retryAfter);
  const extra = {
    ...(response ? { response } : {}),
    ...(retryAfterMs !== undefined && retryAfterMs > 0 ? { retryAfterMs } : {}),
  };
  if (code === status.OK) {
    return { kind: 'permanent', code, reason: 'a call that failed with OK', ...extra };
  }
  if (code === status.INTERNAL) {
    const reset = PROXY_RESET_PATTERNS.some((p) => p.test(details)) && !TLS_ALERT_PATTERN.test(details);
    return reset
      ? { kind: 'retry', code, reason: `stream reset on the way (proxy hop): ${details}`, ...extra }
      : { kind: 'permanent', code, reason: `internal error: ${details}`, ...extra };
  }
  const retry = policy.retryableCodes.includes(code);
  return { kind: retry ? 'retry' : 'permanent', code, reason: reasonFor(code, details), ...extra };
}

function reasonFor(code: status, details: string): string {
  const why = REASONS[code] ?? status[code] ?? `code ${code}`;
  return details ? `${why}: ${details}` : why;
}

const REASONS: Partial<Record<status, string>> = {
  [status.UNAVAILABLE]: 'router or plugin unavailable',
  [status.DEADLINE_EXCEEDED]: 'deadline exceeded',
  [status.RESOURCE_EXHAUSTED]: 'rate-limited',
  [status.ABORTED]: 'aborted',
  [status.UNIMPLEMENTED]: 'no route for this type yet',
  [status.CANCELLED]: 'cancelled by the other side',
  [status.UNKNOWN]: 'unknown error (a proxy answers a call whose backend died with HTTP 500)',
  [status.INVALID_ARGUMENT]: 'invalid payload',
  [status.FAILED_PRECONDITION]: 'unknown target',
  [status.PERMISSION_DENIED]: 'permission denied',
  [status.UNAUTHENTICATED]: 'unauthenticated',
  [status.NOT_FOUND]: 'not found',
  [status.ALREADY_EXISTS]: 'already exists',
  [status.OUT_OF_RANGE]: 'out of range',
  [status.DATA_LOSS]: 'data loss',
};
