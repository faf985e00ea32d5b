import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caPem: string;
  user: string;
  token: string;
  clusterName?: string;
}

/** A kubeconfig that talks to `server` as `user` with a bearer token. */
export function kubeconfigYaml({
  server,
  caPem,
  user,
  token,
  clusterName = 'k8slistener-local',
}: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: clusterName,
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: clusterName, user } }],
    'current-context': user,
  });
}

/**
 * A kubeconfig for the API server's webhook backends (audit webhook,
 * admission configuration): the "cluster" is the webhook's URL.
 */
export function webhookKubeconfigYaml(url: string, auth: { caPem?: string; token?: string } = {}): string {
  const { caPem, token } = auth;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'webhook',
        cluster: {
          server: url,
          ...(caPem ? { 'certificate-authority-data': Buffer.from(caPem).toString('base64') } : {}),
        },
      },
    ],
    users: [{ name: 'api-server', user: token ? { token } : {} }],
    contexts: [{ name: 'webhook', context: { cluster: 'webhook', user: 'api-server' } }],
    'current-context': 'webhook',
  });
}
