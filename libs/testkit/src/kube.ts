import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { etcdBinary, kubernetesBinaries, kwokBinary } from './binaries.ts';
import type { Progress } from './build-cache.ts';
import { type KubeEndpoint, kubeRequest } from './kube-http.ts';
import { kubeconfigYaml, webhookKubeconfigYaml } from './kubeconfig.ts';
import { type ManagedProcess, startProcess, waitUntil } from './managed-process.ts';
import { ensurePortFree, freePorts, LOOPBACK } from './ports.ts';
import { StackError } from './stack-error.ts';

/** Users the API server knows by static token. Tests act as them through their kubeconfigs. */
export const STACK_USERS = [
  { name: 'admin', uid: 'uid-admin', groups: ['system:masters'] },
  { name: 'expert@org.com', uid: 'uid-expert', groups: ['developers'] },
  { name: 'other@org.com', uid: 'uid-other', groups: ['developers'] },
] as const;
export type StackUser = (typeof STACK_USERS)[number]['name'];

/** The group every non-admin user is in; bound to cluster-admin so tests can do anything as them. */
export const DEVELOPERS_GROUP = 'developers';
/** Name of the kwok fake node that runs pods when controllers are on. */
export const FAKE_NODE_NAME = 'kwok-node-0';

const ETCD_READY_TIMEOUT_MS = 60_000;
const APISERVER_READY_TIMEOUT_MS = 120_000;
const NODE_READY_TIMEOUT_MS = 90_000;

/** Records everything at Metadata level except reads and noise; callers may pass their own. */
export const DEFAULT_AUDIT_POLICY = {
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [
    { level: 'None', verbs: ['get', 'list', 'watch'] },
    { level: 'None', resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] },
    {
      level: 'None',
      resources: [
        { group: '', resources: ['events'] },
        { group: 'events.k8s.io', resources: ['events'] },
      ],
    },
    { level: 'Metadata' },
  ],
};

export interface AuditWebhookOptions {
  /** HTTPS URL of the audit webhook receiver. */
  url: string;
  /** PEM of the CA that signed the receiver's certificate. */
  caPem?: string;
  /** Bearer token the API server presents to the receiver. */
  token?: string;
  /** An audit.k8s.io/v1 Policy object; DEFAULT_AUDIT_POLICY when unset. */
  policy?: object;
  /** "batch" (default, like production) or "blocking". */
  mode?: 'batch' | 'blocking';
  /** Longest a batch waits before it is sent; 1 s by default so tests see changes quickly. */
  batchMaxWaitSeconds?: number;
}

export interface KubernetesOptions {
  /** Also run kube-controller-manager, kube-scheduler and kwok with one fake node, so Deployments roll out. */
  controllers?: boolean;
  audit?: AuditWebhookOptions;
  /**
   * admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration or
   * MutatingWebhookConfiguration objects to create once the API server is up.
   */
  admissionWebhooks?: object[];
  /** Fixed API server port; a free one when unset. */
  apiserverPort?: number;
  /** Directory for data, certificates, kubeconfigs and logs; a new temporary one when unset (removed on stop). */
  workDir?: string;
  cache: string;
  progress?: Progress;
}

export interface KubernetesStack {
  server: string;
  /** PEM file of the CA that signed the API server's serving certificate. */
  caFile: string;
  caPem: string;
  /** Kubeconfig file per user. */
  kubeconfigs: Record<StackUser, string>;
  /** Bearer token per user. */
  tokens: Record<StackUser, string>;
  etcdUrl: string;
  workDir: string;
  processes: ManagedProcess[];
  /** Stops everything started here, by pid, newest first; removes a temporary workDir. */
  stop(): Promise<void>;
}

/**
 * Starts a real control plane: etcd and kube-apiserver (static-token users,
 * RBAC, optional audit webhook and admission webhooks), and on request
 * kube-controller-manager, kube-scheduler and kwok with a fake node.
 */
export async function startKubernetes(options: KubernetesOptions): Promise<KubernetesStack> {
  const { cache, progress } = options;
  const [bins, etcd, kwok] = await Promise.all([
    kubernetesBinaries(cache, progress),
    etcdBinary(cache, progress),
    options.controllers ? kwokBinary(cache, progress) : Promise.resolve(undefined),
  ]);
  if (options.apiserverPort !== undefined) await ensurePortFree(options.apiserverPort, 'kube-apiserver');
  const ownsWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'k8slistener-kube-'));
  for (const sub of ['etcd', 'certs', 'logs', 'kubeconfigs'])
    mkdirSync(join(workDir, sub), { recursive: true });
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    for (const p of [...processes].reverse()) await p.stop();
    if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const [etcdClientPort = 0, etcdPeerPort = 0, freeApiserverPort = 0] = await freePorts(3);
    const apiserverPort = options.apiserverPort ?? freeApiserverPort;

    const etcdUrl = `http://${LOOPBACK}:${etcdClientPort}`;
    const etcdPeerUrl = `http://${LOOPBACK}:${etcdPeerPort}`;
    const etcdProcess = startProcess({
      name: 'etcd',
      command: etcd,
      args: [
        '--name=default',
        `--data-dir=${join(workDir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${etcdPeerUrl}`,
        `--initial-advertise-peer-urls=${etcdPeerUrl}`,
        `--initial-cluster=default=${etcdPeerUrl}`,
        // Test data is thrown away; skipping fsync makes the API server several times faster on a shared disk.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      logFile: join(workDir, 'logs', 'etcd.log'),
    });
    processes.push(etcdProcess);
    await waitUntil(async () => (await fetch(`${etcdUrl}/health`)).ok, {
      what: 'etcd /health',
      timeoutMs: ETCD_READY_TIMEOUT_MS,
      process: etcdProcess,
    });

    const certDir = join(workDir, 'certs');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(certDir, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
    writeFileSync(join(certDir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const tokens = Object.fromEntries(
      STACK_USERS.map((u) => [u.name, randomBytes(24).toString('hex')]),
    ) as Record<StackUser, string>;
    writeFileSync(
      join(certDir, 'tokens.csv'),
      STACK_USERS.map((u) => `${tokens[u.name]},${u.name},${u.uid},"${u.groups.join(',')}"`).join('\n') +
        '\n',
    );

    const auditArgs: string[] = [];
    if (options.audit) {
      const policyFile = join(certDir, 'audit-policy.yaml');
      const webhookFile = join(certDir, 'audit-webhook.kubeconfig');
      writeFileSync(policyFile, stringify(options.audit.policy ?? DEFAULT_AUDIT_POLICY));
      writeFileSync(
        webhookFile,
        webhookKubeconfigYaml(options.audit.url, {
          ...(options.audit.caPem ? { caPem: options.audit.caPem } : {}),
          ...(options.audit.token ? { token: options.audit.token } : {}),
        }),
      );
      auditArgs.push(
        `--audit-policy-file=${policyFile}`,
        `--audit-webhook-config-file=${webhookFile}`,
        `--audit-webhook-mode=${options.audit.mode ?? 'batch'}`,
        `--audit-webhook-batch-max-wait=${options.audit.batchMaxWaitSeconds ?? 1}s`,
        '--audit-webhook-initial-backoff=1s',
      );
    }

    const server = `https://${LOOPBACK}:${apiserverPort}`;
    const apiserver = startProcess({
      name: 'kube-apiserver',
      command: bins.kubeApiserver,
      args: [
        `--etcd-servers=${etcdUrl}`,
        `--bind-address=${LOOPBACK}`,
        `--advertise-address=${LOOPBACK}`,
        `--secure-port=${apiserverPort}`,
        // With no --tls-cert-file the API server writes a self-signed CA and serving certificate here.
        `--cert-dir=${certDir}`,
        `--token-auth-file=${join(certDir, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${join(certDir, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(certDir, 'sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        '--allow-privileged=true',
        ...(options.controllers ? [] : ['--disable-admission-plugins=ServiceAccount']),
        ...auditArgs,
      ],
      logFile: join(workDir, 'logs', 'kube-apiserver.log'),
    });
    processes.push(apiserver);
    const caFile = join(certDir, `${LOOPBACK}-apiserver.crt`);
    const adminToken = tokens.admin;
    let endpoint: KubeEndpoint | undefined;
    await waitUntil(
      async () => {
        const certFile = selfSignedCertFile(certDir);
        if (!certFile) return false;
        endpoint = { server, ca: readFileSync(certFile, 'utf8') };
        return (await kubeRequest(endpoint, adminToken, 'GET', '/readyz')).status === 200;
      },
      { what: 'kube-apiserver /readyz', timeoutMs: APISERVER_READY_TIMEOUT_MS, process: apiserver },
    );
    if (!endpoint)
      throw new StackError('start-failed', 'kube-apiserver became ready without a serving certificate');
    const readyEndpoint = endpoint;
    writeFileSync(caFile, readyEndpoint.ca);

    const kubeconfigs = {} as Record<StackUser, string>;
    for (const user of STACK_USERS) {
      const file = join(workDir, 'kubeconfigs', `${user.name}.kubeconfig`);
      writeFileSync(
        file,
        kubeconfigYaml({ server, caPem: readyEndpoint.ca, user: user.name, token: tokens[user.name] }),
        {
          mode: 0o600,
        },
      );
      kubeconfigs[user.name] = file;
    }

    await apply(readyEndpoint, adminToken, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'k8slistener-developers' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: DEVELOPERS_GROUP }],
    });
    for (const webhook of options.admissionWebhooks ?? []) {
      const kind = (webhook as { kind?: string }).kind;
      const resource =
        kind === 'MutatingWebhookConfiguration'
          ? 'mutatingwebhookconfigurations'
          : 'validatingwebhookconfigurations';
      await apply(readyEndpoint, adminToken, `/apis/admissionregistration.k8s.io/v1/${resource}`, webhook);
    }

    if (options.controllers && kwok) {
      const [cmPort = 0, schedPort = 0, kwokPort = 0] = await freePorts(3);
      const adminKubeconfig = kubeconfigs.admin;
      processes.push(
        startProcess({
          name: 'kube-controller-manager',
          command: bins.kubeControllerManager,
          args: [
            `--kubeconfig=${adminKubeconfig}`,
            `--authentication-kubeconfig=${adminKubeconfig}`,
            `--authorization-kubeconfig=${adminKubeconfig}`,
            `--bind-address=${LOOPBACK}`,
            `--secure-port=${cmPort}`,
            '--leader-elect=false',
            `--service-account-private-key-file=${join(certDir, 'sa.key')}`,
            `--root-ca-file=${caFile}`,
            '--use-service-account-credentials=false',
            '--controllers=*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service-lb-controller,-persistentvolume-binder,-attachdetach',
          ],
          logFile: join(workDir, 'logs', 'kube-controller-manager.log'),
        }),
        startProcess({
          name: 'kube-scheduler',
          command: bins.kubeScheduler,
          args: [
            `--kubeconfig=${adminKubeconfig}`,
            `--authentication-kubeconfig=${adminKubeconfig}`,
            `--authorization-kubeconfig=${adminKubeconfig}`,
            `--bind-address=${LOOPBACK}`,
            `--secure-port=${schedPort}`,
            '--leader-elect=false',
          ],
          logFile: join(workDir, 'logs', 'kube-scheduler.log'),
        }),
      );
      const kwokProcess = startProcess({
        name: 'kwok',
        command: kwok.kwok,
        args: [
          `--config=${kwok.stagesFile}`,
          `--kubeconfig=${adminKubeconfig}`,
          '--manage-all-nodes=false',
          '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
          '--node-ip=10.244.0.1',
          '--cidr=10.244.0.0/16',
          `--server-address=${LOOPBACK}:${kwokPort}`,
        ],
        logFile: join(workDir, 'logs', 'kwok.log'),
      });
      processes.push(kwokProcess);
      await apply(readyEndpoint, adminToken, '/api/v1/nodes', fakeNode(FAKE_NODE_NAME));
      await waitUntil(
        async () => {
          const res = await kubeRequest(readyEndpoint, adminToken, 'GET', `/api/v1/nodes/${FAKE_NODE_NAME}`);
          const conditions = (res.json as { status?: { conditions?: { type: string; status: string }[] } })
            .status?.conditions;
          return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
        },
        {
          what: `fake node ${FAKE_NODE_NAME} Ready (kwok)`,
          timeoutMs: NODE_READY_TIMEOUT_MS,
          process: kwokProcess,
        },
      );
      // The TaintNodesByCondition admission plugin creates nodes tainted not-ready; the node
      // lifecycle controller would lift it, but it is off (it would also evict pods from a node
      // without kubelet heartbeats), so lift it here once kwok has made the node Ready.
      const untaint = await kubeRequest(
        readyEndpoint,
        adminToken,
        'PATCH',
        `/api/v1/nodes/${FAKE_NODE_NAME}`,
        { spec: { taints: null } },
        'application/merge-patch+json',
      );
      if (untaint.status !== 200) {
        throw new StackError(
          'start-failed',
          `removing the not-ready taint of ${FAKE_NODE_NAME} failed: ${untaint.body}`,
        );
      }
      // Pods need the default ServiceAccount, which the controller-manager creates per namespace.
      await waitUntil(
        async () =>
          (
            await kubeRequest(
              readyEndpoint,
              adminToken,
              'GET',
              '/api/v1/namespaces/default/serviceaccounts/default',
            )
          ).status === 200,
        { what: 'default ServiceAccount (kube-controller-manager)', timeoutMs: NODE_READY_TIMEOUT_MS },
      );
    }

    return {
      server,
      caFile,
      caPem: readyEndpoint.ca,
      kubeconfigs,
      tokens,
      etcdUrl,
      workDir,
      processes,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function selfSignedCertFile(certDir: string): string | undefined {
  const file = join(certDir, `${LOOPBACK}-apiserver.crt`);
  if (existsSync(file)) return file;
  const fallback = join(certDir, 'apiserver.crt');
  return existsSync(fallback) ? fallback : undefined;
}

async function apply(
  endpoint: KubeEndpoint,
  token: string,
  collection: string,
  object: object,
): Promise<void> {
  const res = await kubeRequest(endpoint, token, 'POST', collection, object);
  if (res.status !== 201 && res.status !== 409) {
    throw new StackError('start-failed', `creating ${collection} failed with ${res.status}: ${res.body}`);
  }
}

function fakeNode(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        type: 'kwok',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
      },
    },
    spec: {},
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'fake',
        kubeProxyVersion: 'fake',
      },
    },
  };
}
