import { type ChannelOptions, credentials, Metadata } from '@grpc/grpc-js';
import { loadContracts, type Notification, type NotifyResponse__Output } from '@k8slistener/proto';

/** The metadata header Traefik routes on. */
export const MESSAGE_TYPE_HEADER = 'x-message-type';

/**
 * Channel options for the one connection to the router. Traefik keeps the h2c
 * connection open between calls; pings on an idle connection find out that
 * the router restarted (or a NAT dropped the flow) before the next delivery
 * waits out its deadline on a dead socket.
 */
// Go's HTTP/2 server (Traefik) answers pings without a too-many-pings policy,
// so a ping every 20 s is cheap and finds a dead hop well within a deadline.
const KEEPALIVE_TIME_MS = 20_000;
// A ping unanswered for 10 s means the connection is gone.
const KEEPALIVE_TIMEOUT_MS = 10_000;
// A restarted router is back in seconds; reconnect attempts start at half a
// second and stay at most 5 s apart, so deliveries resume soon after.
const INITIAL_RECONNECT_BACKOFF_MS = 500;
const MAX_RECONNECT_BACKOFF_MS = 5_000;

export const ROUTER_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.keepalive_time_ms': KEEPALIVE_TIME_MS,
  'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.initial_reconnect_backoff_ms': INITIAL_RECONNECT_BACKOFF_MS,
  'grpc.max_reconnect_backoff_ms': MAX_RECONNECT_BACKOFF_MS,
  // Retries are the delivery path's (one policy, logged per attempt); grpc-js's own would hide attempts.
  'grpc.enable_retries': 0,
};

/** Sends one Notification of a type; resolves with the plugin's answer, rejects with the gRPC error. */
export interface NotifyTransport {
  notify(
    type: string,
    notification: Notification,
    deadlineMs: number,
    signal: AbortSignal,
  ): Promise<NotifyResponse__Output>;
  close(): void;
}

/**
 * One gRPC client to the router's address, over h2c as the router's gRPC
 * entrypoint serves it. Every call carries `x-message-type` and a deadline;
 * the router, not the listener, knows where the plugins are.
 */
export function routerTransport(routerAddress: string): NotifyTransport {
  const Notifier = loadContracts().k8slistener.v1.Notifier;
  const client = new Notifier(routerAddress, credentials.createInsecure(), ROUTER_CHANNEL_OPTIONS);
  return {
    notify: (type, notification, deadlineMs, signal) =>
      new Promise((resolve, reject) => {
        const metadata = new Metadata();
        metadata.set(MESSAGE_TYPE_HEADER, type);
        const call = client.Notify(
          notification,
          metadata,
          { deadline: new Date(Date.now() + deadlineMs) },
          (error, response) => {
            signal.removeEventListener('abort', cancel);
            if (error) reject(error);
            else if (response) resolve(response);
            else reject(new Error('Notify answered neither a response nor an error'));
          },
        );
        const cancel = () => call.cancel();
        signal.addEventListener('abort', cancel, { once: true });
      }),
    close: () => client.close(),
  };
}
