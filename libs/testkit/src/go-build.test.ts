import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { wrapperGoMod } from './go-build.ts';

test('repeats module replaces and excludes verbatim', () => {
  const mod = wrapperGoMod(
    { module: 'github.com/traefik/traefik/v3', version: 'v3.6.12' },
    {
      Replace: [
        {
          Old: { Path: 'github.com/gorilla/mux' },
          New: { Path: 'github.com/containous/mux', Version: 'v0.0.0-20250523120546-41b6ec3aed59' },
        },
      ],
      Exclude: [{ Path: 'github.com/tencentcloud/tencentcloud-sdk-go', Version: 'v3.0.83+incompatible' }],
    },
  );
  assert.is(
    mod,
    [
      'module k8slistener.local/build',
      '',
      'go 1.24',
      '',
      'require github.com/traefik/traefik/v3 v3.6.12',
      '',
      'replace (',
      '\tgithub.com/gorilla/mux => github.com/containous/mux v0.0.0-20250523120546-41b6ec3aed59',
      ')',
      '',
      'exclude github.com/tencentcloud/tencentcloud-sdk-go v3.0.83+incompatible',
      '',
    ].join('\n'),
  );
});

test('maps relative replaces to published versions and drops the ones it cannot map', () => {
  const mod = wrapperGoMod(
    {
      module: 'k8s.io/kubernetes',
      version: 'v1.36.3',
      replaceRelative: (path) => (path.startsWith('k8s.io/') ? `${path} v0.36.3` : undefined),
    },
    {
      Replace: [
        { Old: { Path: 'k8s.io/api' }, New: { Path: './staging/src/k8s.io/api' } },
        { Old: { Path: 'go.etcd.io/tests/v3' }, New: { Path: './FORBIDDEN_DEPENDENCY' } },
      ],
    },
  );
  assert.ok(mod.includes('\tk8s.io/api => k8s.io/api v0.36.3\n'));
  assert.not.ok(mod.includes('FORBIDDEN'));
  assert.not.ok(mod.includes('exclude'));
});

test('no replace block when there is nothing to replace', () => {
  const mod = wrapperGoMod({ module: 'example.com/m', version: 'v1.0.0' }, {});
  assert.not.ok(mod.includes('replace'));
  assert.ok(mod.includes('require example.com/m v1.0.0'));
});

test('a local copy of the module replaces the published one, quoted when its path has spaces', () => {
  const spec = { module: 'github.com/traefik/traefik/v3', version: 'v3.6.12' };
  assert.ok(
    wrapperGoMod(spec, {}, '/cache/traefik/source').includes(
      '\tgithub.com/traefik/traefik/v3 => /cache/traefik/source\n',
    ),
  );
  assert.ok(
    wrapperGoMod(spec, {}, '/home/a b/source').includes(
      '\tgithub.com/traefik/traefik/v3 => "/home/a b/source"\n',
    ),
  );
});

test.run();
