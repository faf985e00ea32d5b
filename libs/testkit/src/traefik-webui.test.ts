import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { builtScriptPaths, registryFromNpmOutput, yarnVersionOf } from './traefik-webui.ts';

test('yarnVersionOf reads the yarn release from packageManager', () => {
  assert.equal(yarnVersionOf({ packageManager: 'yarn@4.9.1' }), { ok: true, value: '4.9.1' });
  assert.equal(yarnVersionOf({ packageManager: 'yarn@4.10.0-rc.1+sha512.0123abcdef' }), {
    ok: true,
    value: '4.10.0-rc.1',
  });
});

test('yarnVersionOf names the field when packageManager is not a yarn release', () => {
  const cases: [unknown, string][] = [
    [{}, 'packageManager: missing, expected "yarn@X.Y.Z"'],
    [null, 'packageManager: missing, expected "yarn@X.Y.Z"'],
    [{ packageManager: 4 }, 'packageManager: missing, expected "yarn@X.Y.Z"'],
    [{ packageManager: 'pnpm@9.0.0' }, 'packageManager: "pnpm@9.0.0" is not "yarn@X.Y.Z"'],
    [{ packageManager: 'yarn@latest' }, 'packageManager: "yarn@latest" is not "yarn@X.Y.Z"'],
    [
      { packageManager: 'yarn@4.9.1; rm -rf /' },
      'packageManager: "yarn@4.9.1; rm -rf /" is not "yarn@X.Y.Z"',
    ],
  ];
  for (const [input, error] of cases) {
    assert.equal(yarnVersionOf(input), { ok: false, errors: [error] }, JSON.stringify(input));
  }
});

test('builtScriptPaths lists the built assets of a vite index.html', () => {
  const built = [
    '<head>',
    '<script>\n  window.APIUrl = "/api/"\n</script>',
    '<link rel="icon" href="./favicon.ico" />',
    '<script type="module" crossorigin src="./assets/index-CI1_PVZE.js"></script>',
    '</head>',
  ].join('\n');
  assert.equal(builtScriptPaths(built), ['assets/index-CI1_PVZE.js']);
});

test('builtScriptPaths finds nothing in the unbuilt or placeholder page', () => {
  const cases = [
    '<script type="module" src="/src/index.tsx"></script>',
    '<script src="https://example.com/x.js"></script>',
    '<script src="//example.com/x.js"></script>',
    '<script src="/abs/x.js"></script>',
    '<p>For more information see `webui/readme.md`</p>',
    '',
  ];
  for (const html of cases) assert.equal(builtScriptPaths(html), [], html);
});

test('registryFromNpmOutput skips npm warnings', () => {
  assert.is(
    registryFromNpmOutput('npm warn Unknown user config "nodedir".\nhttps://registry.example/\n'),
    'https://registry.example/',
  );
  assert.is(registryFromNpmOutput('npm warn something\n'), undefined);
  assert.is(registryFromNpmOutput(''), undefined);
});

test.run();
