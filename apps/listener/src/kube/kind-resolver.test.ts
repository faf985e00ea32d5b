import { createLogger } from '@k8slistener/log';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { guessKind, KindResolver } from './kind-resolver.ts';

const log = createLogger({ name: 't', level: 'error', format: 'json', write: () => {} });

test('guessKind singularises and capitalises', () => {
  assert.equal(
    ['deployments', 'ingresses', 'networkpolicies', 'configmaps', 'endpoints', 'boxes'].map(guessKind),
    ['Deployment', 'Ingress', 'Networkpolicy', 'Configmap', 'Endpoint', 'Box'],
  );
});

test('kinds come from aggregated discovery once loaded; unknown ones are guessed', async () => {
  const calls: string[] = [];
  const api = {
    request: async <T>(_m: string, path: string): Promise<{ status: number; body: T }> => {
      calls.push(path);
      const body =
        path === '/api'
          ? {
              items: [
                {
                  metadata: { name: '' },
                  versions: [
                    {
                      version: 'v1',
                      resources: [{ resource: 'configmaps', responseKind: { kind: 'ConfigMap' } }],
                    },
                  ],
                },
              ],
            }
          : {
              items: [
                {
                  metadata: { name: 'k8slistener.io' },
                  versions: [
                    {
                      version: 'v1alpha1',
                      resources: [{ resource: 'eventrules', responseKind: { kind: 'EventRule' } }],
                    },
                  ],
                },
              ],
            };
      return { status: 200, body: body as T };
    },
  };
  let now = 0;
  const resolver = new KindResolver(api, log, () => now);
  await resolver.refresh();
  assert.is(resolver.kindOf('', 'configmaps'), 'ConfigMap');
  assert.is(resolver.kindOf('k8slistener.io', 'eventrules'), 'EventRule');
  assert.is(resolver.kindOf('x.io', 'widgets'), 'Widget');
  assert.is(resolver.resourceOf('v1', 'ConfigMap'), 'configmaps');
  assert.is(resolver.resourceOf('k8slistener.io/v1alpha1', 'EventRule'), 'eventrules');
  assert.is(resolver.resourceOf('v1', 'Widget'), undefined);
  assert.equal(calls, ['/api', '/apis'], 'no rediscovery within the interval');
  now = 120_000;
  resolver.kindOf('x.io', 'widgets');
  await resolver.refresh();
  assert.equal(calls, ['/api', '/apis', '/api', '/apis']);
});

test.run();
