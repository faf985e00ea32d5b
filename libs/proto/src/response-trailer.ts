import { Metadata } from '@grpc/grpc-js';
import type { NotifyResponse, NotifyResponse__Output } from './generated/k8slistener/v1/NotifyResponse.ts';
import { loadContracts } from './load.ts';

/**
 * Trailing-metadata key that carries the NotifyResponse of a failed Notify
 * call (see proto/k8slistener/v1/notifier.proto). The "-bin" suffix makes
 * gRPC base64 the bytes on the wire.
 */
export const RESPONSE_TRAILER_KEY = 'k8slistener-response-bin';

/** Metadata for a failed call's status, carrying the channel's answer. */
export function responseTrailer(response: NotifyResponse): Metadata {
  const metadata = new Metadata();
  metadata.set(RESPONSE_TRAILER_KEY, loadContracts().k8slistener.v1.NotifyResponse.serialize(response));
  return metadata;
}

/** The NotifyResponse carried by a failed call's trailers, if any and if readable. */
export function readResponseTrailer(metadata: Metadata | undefined): NotifyResponse__Output | undefined {
  const value = metadata?.get(RESPONSE_TRAILER_KEY)[0];
  if (!(value instanceof Buffer)) return undefined;
  try {
    return loadContracts().k8slistener.v1.NotifyResponse.deserialize(value);
  } catch {
    return undefined;
  }
}
