export { cacheDir } from './cache-dir.ts';
export * from './doubles/index.ts';
export {
  type AuditWebhookOptions,
  DEFAULT_AUDIT_POLICY,
  DEVELOPERS_GROUP,
  FAKE_NODE_NAME,
  type KubernetesOptions,
  type KubernetesStack,
  STACK_USERS,
  type StackUser,
  startKubernetes,
} from './kube.ts';
export { type KubeEndpoint, type KubeResponse, kubeRequest } from './kube-http.ts';
export {
  applyManifests,
  collectionPath,
  expectStatus,
  type KubeCall,
  type KubeObject,
  kubeAs,
  serviceAccountKubeconfig,
} from './kube-manifests.ts';
export { kubeconfigYaml, webhookKubeconfigYaml } from './kubeconfig.ts';
export { type ManagedProcess, pidAlive, startProcess, stopPid, waitUntil } from './managed-process.ts';
export { freePort, freePorts, LOOPBACK } from './ports.ts';
export {
  type SearchServer,
  type SearchServerOptions,
  startElasticsearch,
  startOpenSearch,
} from './search-server.ts';
export { COMPONENTS, type Component, type RunningStack, type StackState, startStack } from './stack.ts';
export { StackError, type StackErrorCode } from './stack-error.ts';
export { startTestPlugin, type TestPlugin, type TestPluginOptions } from './test-plugin.ts';
export { selfSignedCert, type TlsPair } from './tls.ts';
export { type GrpcRoute, grpcRoutesConfig, startTraefik, type TraefikStack } from './traefik.ts';
