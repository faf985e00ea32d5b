import { parseAllDocuments } from 'yaml';
import { type KubeEndpoint, type KubeResponse, kubeRequest } from './kube-http.ts';
import { kubeconfigYaml } from './kubeconfig.ts';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string };
}

/** Kinds whose plural is not the lower-cased kind plus "s". */
const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  Ingress: 'ingresses',
  NetworkPolicy: 'networkpolicies',
  Endpoints: 'endpoints',
};

/** The collection an object is created in, e.g. /apis/k8slistener.io/v1alpha1/namespaces/shop/eventrules. */
export function collectionPath(object: KubeObject): string {
  const plural = IRREGULAR_PLURALS[object.kind] ?? `${object.kind.toLowerCase()}s`;
  const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const namespace = object.metadata.namespace ? `/namespaces/${object.metadata.namespace}` : '';
  return `${base}${namespace}/${plural}`;
}

/** Throws with the API server's answer unless its status is one of `ok`. */
export async function expectStatus(
  response: Promise<KubeResponse>,
  what: string,
  ok: readonly number[] = [200, 201],
): Promise<KubeResponse> {
  const r = await response;
  if (!ok.includes(r.status)) throw new Error(`${what}: the API server answered ${r.status}: ${r.body}`);
  return r;
}

/** Sends one request to the API server (as some user). */
export type KubeCall = (
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
) => Promise<KubeResponse>;

/** A KubeCall as the holder of `token`. */
export function kubeAs(endpoint: KubeEndpoint, token: string): KubeCall {
  return (method, path, body, contentType) => kubeRequest(endpoint, token, method, path, body, contentType);
}

/**
 * Creates every object of a YAML text (one or more documents) through `call`;
 * an object that already exists is left as it is. Returns "Kind namespace/name"
 * per object.
 */
export async function applyManifests(
  call: KubeCall,
  yamlText: string,
  source = 'manifest',
): Promise<string[]> {
  const created: string[] = [];
  for (const document of parseAllDocuments(yamlText)) {
    const object = document.toJS() as KubeObject | null;
    if (!object) continue;
    await expectStatus(
      call('POST', collectionPath(object), object),
      `creating ${object.kind} from ${source}`,
      [201, 409],
    );
    const namespace = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
    created.push(`${object.kind} ${namespace}${object.metadata.name ?? ''}`);
  }
  return created;
}

/**
 * A kubeconfig that acts as a ServiceAccount, from a TokenRequest: how a test
 * runs a component with exactly the permissions its RBAC grants.
 */
export async function serviceAccountKubeconfig(
  endpoint: KubeEndpoint,
  adminToken: string,
  namespace: string,
  name: string,
  expirationSeconds = 3600,
): Promise<string> {
  const res = await expectStatus(
    kubeRequest(
      endpoint,
      adminToken,
      'POST',
      `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds },
      },
    ),
    `a token for ServiceAccount ${namespace}/${name}`,
    [201],
  );
  const token = (res.json as { status: { token: string } }).status.token;
  return kubeconfigYaml({
    server: endpoint.server,
    caPem: endpoint.ca,
    user: `system:serviceaccount:${namespace}:${name}`,
    token,
  });
}
