import { readFileSync } from 'node:fs';
import { applyManifests, expectStatus, type KubeCall } from '@k8slistener/testkit';

export { type KubeCall, kubeAs } from '@k8slistener/testkit';

/** Throws with the API server's answer unless the status is one of `ok`. */
export const must = expectStatus;

/** Creates every document of a YAML file (an existing object is fine); returns "Kind namespace/name" per object. */
export function applyYamlFile(call: KubeCall, file: string): Promise<string[]> {
  return applyManifests(call, readFileSync(file, 'utf8'), file);
}
