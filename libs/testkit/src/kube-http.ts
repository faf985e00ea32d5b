import { request } from 'node:https';

export interface KubeEndpoint {
  /** https://127.0.0.1:PORT */
  server: string;
  /** PEM of the CA that signed the API server's serving certificate. */
  ca: string;
}

export interface KubeResponse {
  status: number;
  body: string;
  /** The body parsed as JSON when it is JSON, else undefined. */
  json: unknown;
}

/**
 * One HTTPS request to the API server as the holder of `token`. The stack uses
 * it to bootstrap the cluster and to probe readiness; the apps use
 * @kubernetes/client-node.
 */
export function kubeRequest(
  endpoint: KubeEndpoint,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<KubeResponse> {
  const url = new URL(path, endpoint.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: endpoint.ca,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': contentType }),
        },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.href} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
