import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from './build-cache.ts';
import { ensureGoBinaries, ensureGoInstalled } from './go-build.ts';
import { buildTraefikWebUi } from './traefik-webui.ts';
import {
  ETCD_VERSION,
  KUBERNETES_VERSION,
  KWOK_VERSION,
  TRAEFIK_BUILD,
  TRAEFIK_VERSION,
} from './versions.ts';

export interface KubernetesBinaries {
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
}

/** kube-apiserver, kube-controller-manager and kube-scheduler built from k8s.io/kubernetes. */
export async function kubernetesBinaries(cache: string, progress?: Progress): Promise<KubernetesBinaries> {
  const [major, minor, patch] = KUBERNETES_VERSION.replace(/^v/, '').split('.');
  // k8s.io/kubernetes requires its staging modules at v0.0.0 through ./staging
  // replaces; each is published as v0.<minor>.<patch>.
  const staging = `v0.${minor}.${patch}`;
  const versionPkg = 'k8s.io/component-base/version';
  const dir = await ensureGoBinaries(
    cache,
    {
      key: `kubernetes-${KUBERNETES_VERSION}`,
      label: `Kubernetes ${KUBERNETES_VERSION} control plane (kube-apiserver, kube-controller-manager, kube-scheduler)`,
      module: 'k8s.io/kubernetes',
      version: KUBERNETES_VERSION,
      binaries: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((name) => ({
        name,
        pkg: `k8s.io/kubernetes/cmd/${name}`,
      })),
      // Without these the binaries report v0.0.0-master and clients warn.
      ldflags: `-X ${versionPkg}.gitVersion=${KUBERNETES_VERSION} -X ${versionPkg}.gitMajor=${major} -X ${versionPkg}.gitMinor=${minor} -X ${versionPkg}.gitTreeState=clean`,
      replaceRelative: (oldPath) => (oldPath.startsWith('k8s.io/') ? `${oldPath} ${staging}` : undefined),
    },
    progress,
  );
  return {
    kubeApiserver: join(dir, 'kube-apiserver'),
    kubeControllerManager: join(dir, 'kube-controller-manager'),
    kubeScheduler: join(dir, 'kube-scheduler'),
  };
}

/** etcd built from go.etcd.io/etcd/server/v3, whose root package is etcd's main. */
export async function etcdBinary(cache: string, progress?: Progress): Promise<string> {
  const dir = await ensureGoBinaries(
    cache,
    {
      key: `etcd-${ETCD_VERSION}`,
      label: `etcd ${ETCD_VERSION}`,
      module: 'go.etcd.io/etcd/server/v3',
      version: ETCD_VERSION,
      binaries: [{ name: 'etcd', pkg: 'go.etcd.io/etcd/server/v3' }],
      // Sibling modules of the etcd repository are published at the same version.
      replaceRelative: (oldPath) =>
        oldPath.startsWith('go.etcd.io/etcd/') ? `${oldPath} ${ETCD_VERSION}` : undefined,
    },
    progress,
  );
  return join(dir, 'etcd');
}

/**
 * Traefik v3 built from its module, with the dashboard: the module zip ships
 * `webui/static` as a placeholder, so the web UI is built from the module's
 * sources into a copy of it, and the binary is built from that copy.
 */
export async function traefikBinary(cache: string, progress?: Progress): Promise<string> {
  const dir = await ensureGoBinaries(
    cache,
    {
      key: `traefik-${TRAEFIK_VERSION}-${TRAEFIK_BUILD}`,
      label: `Traefik ${TRAEFIK_VERSION} with its dashboard`,
      module: 'github.com/traefik/traefik/v3',
      version: TRAEFIK_VERSION,
      binaries: [{ name: 'traefik', pkg: 'github.com/traefik/traefik/v3/cmd/traefik' }],
      ldflags: `-X github.com/traefik/traefik/v3/pkg/version.Version=${TRAEFIK_VERSION}`,
      prepareSource: buildTraefikWebUi,
    },
    progress,
  );
  return join(dir, 'traefik');
}

/** kwok's "fast" stages: nodes become Ready at once, pods run, complete and delete at once. */
const KWOK_STAGE_FILES = [
  'kustomize/stage/node/fast/node-initialize.yaml',
  'kustomize/stage/pod/fast/pod-ready.yaml',
  'kustomize/stage/pod/fast/pod-complete.yaml',
  'kustomize/stage/pod/fast/pod-delete.yaml',
];

export interface KwokBinary {
  kwok: string;
  /** The stages kwok runs with (`--config`); without any, kwok refuses to start. */
  stagesFile: string;
}

/** kwok, the controller that makes fake nodes run pods, with its stage definitions. */
export async function kwokBinary(cache: string, progress?: Progress): Promise<KwokBinary> {
  const dir = await ensureGoInstalled(
    cache,
    {
      key: `kwok-${KWOK_VERSION}`,
      label: `kwok ${KWOK_VERSION}`,
      pkg: 'sigs.k8s.io/kwok/cmd/kwok',
      version: KWOK_VERSION,
      name: 'kwok',
      afterInstall: (moduleDir, target) =>
        writeFileSync(
          join(target, 'stages.yaml'),
          KWOK_STAGE_FILES.map((file) => readFileSync(join(moduleDir, file), 'utf8').trim()).join('\n---\n'),
        ),
    },
    progress,
  );
  return { kwok: join(dir, 'kwok'), stagesFile: join(dir, 'stages.yaml') };
}
