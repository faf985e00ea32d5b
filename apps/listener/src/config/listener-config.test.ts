import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseListenerConfig } from './listener-config.ts';

let dir: string;
test.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'listener-config-'));
  writeFileSync(join(dir, 'cert.pem'), 'CERT');
  writeFileSync(join(dir, 'key.pem'), 'KEY');
  writeFileSync(join(dir, 'tokens'), '# audit\nsecret-1\n\nsecret-2\n');
  writeFileSync(join(dir, 'empty'), '\n');
  writeFileSync(
    join(dir, 'links.json'),
    JSON.stringify([{ title: 'Grafana', url: 'https://g/{{object.name}}' }]),
  );
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('defaults with only the router set', () => {
  const result = parseListenerConfig([], { ROUTER_ADDRESS: 'router:8081', POD_NAME: 'listener-0' });
  assert.ok('config' in result);
  if (!('config' in result)) return;
  assert.equal(result.config, {
    kubeconfig: '',
    clusterName: 'kubernetes',
    router: 'router:8081',
    namespaces: [],
    httpHost: '0.0.0.0',
    httpPort: 8080,
    namespace: 'k8slistener',
    identity: 'listener-0',
    leaderElect: true,
    actorWaitMs: 3000,
    links: [],
    callDeadlineMs: 10000,
    queueCapacity: 1000,
    drainTimeoutMs: 20000,
  });
});

test('flags win over the environment; webhooks with tokens; links', () => {
  const result = parseListenerConfig(
    [
      '--router=127.0.0.1:9000',
      '--cluster-name',
      'prod',
      '--namespaces',
      'shop, web',
      '--tls-cert-file',
      join(dir, 'cert.pem'),
      '--tls-key-file',
      join(dir, 'key.pem'),
      '--webhook-token-file',
      join(dir, 'tokens'),
      '--webhook-address',
      '127.0.0.1:0',
      '--links-file',
      join(dir, 'links.json'),
      '--leader-elect',
      'false',
    ],
    { ROUTER_ADDRESS: 'ignored:1', CLUSTER_NAME: 'ignored' },
  );
  if (!('config' in result)) return assert.unreachable(JSON.stringify(result));
  assert.is(result.config.router, '127.0.0.1:9000');
  assert.is(result.config.clusterName, 'prod');
  assert.equal(result.config.namespaces, ['shop', 'web']);
  assert.equal(result.config.webhook, {
    host: '127.0.0.1',
    port: 0,
    cert: 'CERT',
    key: 'KEY',
    tokens: ['secret-1', 'secret-2'],
  });
  assert.equal(result.config.links, [{ title: 'Grafana', url: 'https://g/{{object.name}}' }]);
  assert.is(result.config.leaderElect, false);
});

test('bad settings are all reported, each naming its flag and variable', () => {
  const result = parseListenerConfig(['--tls-cert-file', join(dir, 'cert.pem')], {
    HTTP_ADDRESS: 'nope',
    LEADER_ELECT: 'yes',
    ACTOR_WAIT_MS: '-1',
    QUEUE_CAPACITY: '0',
    CLUSTER_NAME: '',
  });
  assert.equal('errors' in result ? result.errors : [], [
    '--router (ROUTER_ADDRESS) is required: the host:port of the Traefik gRPC entrypoint',
    '--http-address (HTTP_ADDRESS) must be host:port, got "nope"',
    '--leader-elect (LEADER_ELECT) must be true or false, got "yes"',
    '--tls-cert-file (TLS_CERT_FILE) and --tls-key-file (TLS_KEY_FILE) go together: set both to serve the audit and admission webhooks',
    '--actor-wait-ms (ACTOR_WAIT_MS) must be an integer ≥ 0, got "-1"',
    '--queue-capacity (QUEUE_CAPACITY) must be an integer ≥ 1, got "0"',
    '--cluster-name (CLUSTER_NAME) must not be empty',
  ]);
});

test('webhooks need an authentication method, and files must be readable and non-empty', () => {
  const base = [
    '--router',
    'r:1',
    '--tls-cert-file',
    join(dir, 'cert.pem'),
    '--tls-key-file',
    join(dir, 'key.pem'),
  ];
  assert.equal(
    'errors' in parseListenerConfig(base, {})
      ? (parseListenerConfig(base, {}) as { errors: string[] }).errors
      : [],
    [
      'the webhooks accept only authenticated callers: set --webhook-token-file (WEBHOOK_TOKEN_FILE) (bearer tokens, one per line) or --client-ca-file (CLIENT_CA_FILE) (CA of client certificates)',
    ],
  );
  const empty = parseListenerConfig([...base, '--webhook-token-file', join(dir, 'empty')], {});
  assert.equal('errors' in empty ? empty.errors : [], [
    '--webhook-token-file (WEBHOOK_TOKEN_FILE) holds no token',
  ]);
  const missing = parseListenerConfig([...base, '--client-ca-file', join(dir, 'nope.pem')], {});
  assert.equal('errors' in missing ? missing.errors : [], [
    `--client-ca-file (CLIENT_CA_FILE): cannot read ${join(dir, 'nope.pem')} (ENOENT)`,
  ]);
});

test('an unknown flag is refused with the list of settings', () => {
  const result = parseListenerConfig(['--routr', 'x'], {});
  assert.ok('errors' in result && result.errors[0]?.startsWith("Unknown option '--routr'"));
  assert.ok('errors' in result && result.errors[0]?.includes('--router'));
});

test.run();
