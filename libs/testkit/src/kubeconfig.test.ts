import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { kubeconfigYaml, webhookKubeconfigYaml } from './kubeconfig.ts';

test('a user kubeconfig carries server, CA and token', () => {
  const config = parse(
    kubeconfigYaml({ server: 'https://127.0.0.1:6443', caPem: 'PEM', user: 'expert@org.com', token: 't0k' }),
  );
  assert.equal(config, {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'k8slistener-local',
        cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'UEVN' },
      },
    ],
    users: [{ name: 'expert@org.com', user: { token: 't0k' } }],
    contexts: [{ name: 'expert@org.com', context: { cluster: 'k8slistener-local', user: 'expert@org.com' } }],
    'current-context': 'expert@org.com',
  });
});

test('a webhook kubeconfig points at the URL, with CA and token only when given', () => {
  const bare = parse(webhookKubeconfigYaml('https://127.0.0.1:9443/audit'));
  assert.equal(bare.clusters[0].cluster, { server: 'https://127.0.0.1:9443/audit' });
  assert.equal(bare.users[0].user, {});
  const full = parse(
    webhookKubeconfigYaml('https://127.0.0.1:9443/audit', { caPem: 'PEM', token: 'secret' }),
  );
  assert.equal(full.clusters[0].cluster, {
    server: 'https://127.0.0.1:9443/audit',
    'certificate-authority-data': 'UEVN',
  });
  assert.equal(full.users[0].user, { token: 'secret' });
});

test.run();
