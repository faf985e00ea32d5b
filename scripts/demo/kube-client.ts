import { readFileSync } from 'node:fs';
import { type KubeEndpoint, type KubeResponse, kubeRequest } from '@k8slistener/testkit';
import { parseAllDocuments } from 'yaml';

export type KubeCall = (
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
) => Promise<KubeResponse>;

/** Calls the API server as the holder of `token`. */
export function kubeAs(endpoint: KubeEndpoint, token: string): KubeCall {
  return (method, path, body, contentType) => kubeRequest(endpoint, token, method, path, body, contentType);
}

/** Throws with the API server's answer unless the status is one of `ok`. */
export async function must(
  response: Promise<KubeResponse>,
  what: string,
  ok: readonly number[] = [200, 201],
): Promise<KubeResponse> {
  const r = await response;
  if (!ok.includes(r.status)) throw new Error(`${what}: the API server answered ${r.status}: ${r.body}`);
  return r;
}

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string };
}

const PLURALS: Readonly<Record<string, string>> = {
  CustomResourceDefinition: 'customresourcedefinitions',
  ServiceAccount: 'serviceaccounts',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  ClusterEventRule: 'clustereventrules',
  EventRule: 'eventrules',
  Namespace: 'namespaces',
};

/** The collection a manifest is POSTed to. */
export function collectionPath(o: KubeObject): string {
  const plural = PLURALS[o.kind];
  if (plural === undefined) throw new Error(`the demo does not know the resource of kind ${o.kind}`);
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const ns = o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : '';
  return `${base}${ns}/${plural}`;
}

/** Creates every document of a YAML file (an existing object is fine); returns "Kind/name" per object. */
export async function applyYamlFile(call: KubeCall, file: string): Promise<string[]> {
  const created: string[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const object = doc.toJS() as KubeObject | null;
    if (!object) continue;
    await must(
      call('POST', collectionPath(object), object),
      `creating ${object.kind} from ${file}`,
      [201, 409],
    );
    const ns = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
    created.push(`${object.kind} ${ns}${object.metadata.name ?? ''}`);
  }
  return created;
}
