import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';

export interface ListenerConfig {
  /** Path of a kubeconfig; empty means in-cluster (or the default kubeconfig locations). */
  kubeconfig: string;
  clusterName: string;
  /** host:port of the Traefik gRPC entrypoint. */
  router: string;
  /** Namespaces to watch; empty means all. */
  namespaces: string[];
  httpHost: string;
  httpPort: number;
  webhook?: { host: string; port: number; cert: string; key: string; tokens: string[]; clientCa?: string };
  /** The listener's own namespace: its Lease and checkpoint ConfigMap live here. */
  namespace: string;
  identity: string;
  leaderElect: boolean;
  actorWaitMs: number;
  links: { title: string; url: string; types?: string[] }[];
  callDeadlineMs: number;
  queueCapacity: number;
  drainTimeoutMs: number;
}

/** Each setting: its flag, the environment variable that can set it instead, and its default. */
const SETTINGS = {
  kubeconfig: { env: 'KUBECONFIG', default: '' },
  'cluster-name': { env: 'CLUSTER_NAME', default: 'kubernetes' },
  router: { env: 'ROUTER_ADDRESS', default: '' },
  namespaces: { env: 'WATCH_NAMESPACES', default: '' },
  'http-address': { env: 'HTTP_ADDRESS', default: '0.0.0.0:8080' },
  'webhook-address': { env: 'WEBHOOK_ADDRESS', default: '0.0.0.0:8443' },
  'tls-cert-file': { env: 'TLS_CERT_FILE', default: '' },
  'tls-key-file': { env: 'TLS_KEY_FILE', default: '' },
  'webhook-token-file': { env: 'WEBHOOK_TOKEN_FILE', default: '' },
  'client-ca-file': { env: 'CLIENT_CA_FILE', default: '' },
  namespace: { env: 'POD_NAMESPACE', default: 'k8slistener' },
  identity: { env: 'POD_NAME', default: '' },
  'leader-elect': { env: 'LEADER_ELECT', default: 'true' },
  'actor-wait-ms': { env: 'ACTOR_WAIT_MS', default: '3000' },
  'links-file': { env: 'LINKS_FILE', default: '' },
  'call-deadline-ms': { env: 'CALL_DEADLINE_MS', default: '10000' },
  'queue-capacity': { env: 'QUEUE_CAPACITY', default: '1000' },
  'drain-timeout-ms': { env: 'DRAIN_TIMEOUT_MS', default: '20000' },
} as const;
type SettingName = keyof typeof SETTINGS;

export const CONFIG_HELP = Object.entries(SETTINGS)
  .map(
    ([flag, s]) =>
      `  --${flag.padEnd(20)} ${s.env.padEnd(20)} default: ${s.default === '' ? '(none)' : s.default}`,
  )
  .join('\n');

function address(value: string, name: string, errors: string[]): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(value);
  const port = Number(match?.[2]);
  if (!match?.[1] || port < 0 || port > 65535) {
    errors.push(`${name} must be host:port, got "${value}"`);
    return { host: '', port: 0 };
  }
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

function integer(value: string, name: string, min: number, errors: string[]): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) errors.push(`${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

function readFile(path: string, name: string, errors: string[]): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    errors.push(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return '';
  }
}

/**
 * Reads the listener's configuration from flags, then environment variables,
 * then defaults, and validates it all at once. Errors name the flag and its
 * variable; values of secret files are never echoed.
 */
export function parseListenerConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { config: ListenerConfig } | { errors: string[] } {
  const errors: string[] = [];
  let flags: Record<string, string | undefined> = {};
  try {
    flags = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.keys(SETTINGS).map((k) => [k, { type: 'string' as const }])),
      allowPositionals: false,
      strict: true,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    return { errors: [`${(error as Error).message}; settings are:\n${CONFIG_HELP}`] };
  }
  const get = (name: SettingName): string => flags[name] ?? env[SETTINGS[name].env] ?? SETTINGS[name].default;
  const label = (name: SettingName) => `--${name} (${SETTINGS[name].env})`;

  const router = get('router');
  if (router === '')
    errors.push(`${label('router')} is required: the host:port of the Traefik gRPC entrypoint`);
  else address(router, label('router'), errors);
  const http = address(get('http-address'), label('http-address'), errors);
  const leader = get('leader-elect');
  if (leader !== 'true' && leader !== 'false')
    errors.push(`${label('leader-elect')} must be true or false, got "${leader}"`);

  let webhook: ListenerConfig['webhook'];
  const certFile = get('tls-cert-file');
  const keyFile = get('tls-key-file');
  if ((certFile === '') !== (keyFile === '')) {
    errors.push(
      `${label('tls-cert-file')} and ${label('tls-key-file')} go together: set both to serve the audit and admission webhooks`,
    );
  } else if (certFile !== '') {
    const tokenFile = get('webhook-token-file');
    const caFile = get('client-ca-file');
    if (tokenFile === '' && caFile === '') {
      errors.push(
        `the webhooks accept only authenticated callers: set ${label('webhook-token-file')} (bearer tokens, one per line) or ${label('client-ca-file')} (CA of client certificates)`,
      );
    }
    const tokens =
      tokenFile === ''
        ? []
        : readFile(tokenFile, label('webhook-token-file'), errors)
            .split('\n')
            .map((t) => t.trim())
            .filter((t) => t !== '' && !t.startsWith('#'));
    if (
      tokenFile !== '' &&
      tokens.length === 0 &&
      !errors.some((e) => e.startsWith(label('webhook-token-file')))
    ) {
      errors.push(`${label('webhook-token-file')} holds no token`);
    }
    const addr = address(get('webhook-address'), label('webhook-address'), errors);
    const clientCa = caFile === '' ? undefined : readFile(caFile, label('client-ca-file'), errors);
    webhook = {
      ...addr,
      cert: readFile(certFile, label('tls-cert-file'), errors),
      key: readFile(keyFile, label('tls-key-file'), errors),
      tokens,
      ...(clientCa === undefined ? {} : { clientCa }),
    };
  }

  let links: ListenerConfig['links'] = [];
  const linksFile = get('links-file');
  if (linksFile !== '') {
    try {
      const parsed = JSON.parse(readFile(linksFile, label('links-file'), errors) || '[]') as unknown;
      if (
        !Array.isArray(parsed) ||
        !parsed.every((l) => typeof l?.title === 'string' && typeof l?.url === 'string')
      ) {
        errors.push(`${label('links-file')} must hold a JSON list of {"title", "url", "types"?}`);
      } else {
        links = parsed as ListenerConfig['links'];
      }
    } catch (error) {
      errors.push(`${label('links-file')} is not valid JSON: ${(error as Error).message}`);
    }
  }

  const config: ListenerConfig = {
    kubeconfig: get('kubeconfig'),
    clusterName: get('cluster-name'),
    router,
    namespaces: get('namespaces')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
    httpHost: http.host,
    httpPort: http.port,
    ...(webhook ? { webhook } : {}),
    namespace: get('namespace'),
    identity: get('identity') || hostname(),
    leaderElect: leader === 'true',
    actorWaitMs: integer(get('actor-wait-ms'), label('actor-wait-ms'), 0, errors),
    links,
    callDeadlineMs: integer(get('call-deadline-ms'), label('call-deadline-ms'), 100, errors),
    queueCapacity: integer(get('queue-capacity'), label('queue-capacity'), 1, errors),
    drainTimeoutMs: integer(get('drain-timeout-ms'), label('drain-timeout-ms'), 0, errors),
  };
  if (config.clusterName === '') errors.push(`${label('cluster-name')} must not be empty`);
  return errors.length > 0 ? { errors } : { config };
}
