import {
  createConfiguration,
  type KubeConfig,
  type RequestContext,
  ResponseContext,
  ServerConfiguration,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import { sendContext } from './kube-fetch.ts';

type ApiClass<T> = new (configuration: ReturnType<typeof createConfiguration>) => T;

/**
 * Like KubeConfig.makeApiClient, but the requests go through sendContext, so
 * the typed clients (CoreV1Api, CoordinationV1Api, …) work on Bun as on Node.
 */
export function makeKubeApiClient<T>(config: KubeConfig, api: ApiClass<T>): T {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const httpApi = wrapHttpLibrary({
    send: async (request: RequestContext) => {
      const body = request.getBody();
      const signal = request.getSignal();
      const response = await sendContext(config, request, {
        method: request.getHttpMethod().toString(),
        ...(typeof body === 'string' ? { body } : {}),
        ...(signal ? { signal } : {}),
      });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return new ResponseContext(response.status, headers, {
        text: () => response.text(),
        binary: async () => Buffer.from(await response.arrayBuffer()),
        stream: () => response.body,
      });
    },
  });
  return new api(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: config },
      httpApi,
    }),
  );
}
