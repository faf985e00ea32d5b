import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData, status } from '@grpc/grpc-js';
import {
  loadContracts,
  type Notification__Output,
  type NotifierHandlers,
  type NotifyResponse,
  responseTrailer,
} from '@k8slistener/proto';
import { HealthImplementation } from 'grpc-health-check';
import { LOOPBACK } from './ports.ts';

export interface TestPluginOptions {
  /** The message type it answers for, in PluginInfo. */
  messageType: string;
  /** Reported as PluginInfo.version, so a caller can tell instances apart. */
  instance: string;
  /** Fixed port; a free one when unset. */
  port?: number;
  /** Decides each Notify answer; DELIVERED when unset. A status code other than OK fails the call. */
  answer?: (n: Notification__Output) => { code: status; response: NotifyResponse };
}

export interface TestPlugin {
  port: number;
  /** h2c://127.0.0.1:PORT, as Traefik's server URL. */
  url: string;
  received: Notification__Output[];
  health: HealthImplementation;
  close(): Promise<void>;
}

/**
 * A minimal real gRPC plugin: Notifier and grpc.health.v1.Health over h2c,
 * recording what it receives. Stands in for the channel plugins in tests of
 * the router and the delivery path.
 */
export async function startTestPlugin(options: TestPluginOptions): Promise<TestPlugin> {
  const contracts = loadContracts();
  const server = new Server();
  const received: Notification__Output[] = [];
  const handlers: NotifierHandlers = {
    Notify: (
      call: ServerUnaryCall<Notification__Output, NotifyResponse>,
      callback: sendUnaryData<NotifyResponse>,
    ) => {
      received.push(call.request);
      const { code, response } = options.answer?.(call.request) ?? {
        code: status.OK,
        response: { deliveryId: call.request.deliveryId, outcome: 'OUTCOME_DELIVERED', channelStatus: '200' },
      };
      if (code === status.OK) {
        callback(null, response);
      } else {
        callback({ code, details: response.detail ?? '', metadata: responseTrailer(response) });
      }
    },
    NotifyBatch: (call, callback) => {
      received.push(...call.request.notifications);
      callback(null, {
        responses: call.request.notifications.map((n) => ({
          deliveryId: n.deliveryId,
          outcome: 'OUTCOME_DELIVERED',
          code: status.OK,
        })),
      });
    },
    Info: (_call, callback) =>
      callback(null, {
        messageType: options.messageType,
        version: options.instance,
        targets: [],
        maxBatchSize: 100,
      }),
  };
  server.addService(contracts.k8slistener.v1.Notifier.service, handlers);
  const health = new HealthImplementation({ '': 'SERVING', 'k8slistener.v1.Notifier': 'SERVING' });
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${LOOPBACK}:${options.port ?? 0}`,
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );
  return {
    port,
    url: `h2c://${LOOPBACK}:${port}`,
    received,
    health,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
