import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  copyDependenciesArgs,
  ensureMavenArtifacts,
  fetchPom,
  MAVEN_DEPENDENCY_PLUGIN_VERSION,
  type MavenArtifact,
  mavenArtifactErrors,
} from './maven-fetch.ts';
import { StackError } from './stack-error.ts';

const RUNNER: MavenArtifact = {
  key: 'elasticsearch-cluster-runner-7.10.2.0',
  label: 'Elasticsearch 7.10.2',
  groupId: 'org.codelibs',
  artifactId: 'elasticsearch-cluster-runner',
  version: '7.10.2.0',
};

test('the pom depends on exactly the artifact and pins the dependency plugin', () => {
  const pom = fetchPom(RUNNER);
  assert.ok(
    pom.includes(
      '  <dependencies>\n' +
        '    <dependency>\n' +
        '      <groupId>org.codelibs</groupId>\n' +
        '      <artifactId>elasticsearch-cluster-runner</artifactId>\n' +
        '      <version>7.10.2.0</version>\n' +
        '    </dependency>\n' +
        '  </dependencies>\n',
    ),
    pom,
  );
  assert.equal(pom.match(/<dependency>/g)?.length, 1);
  assert.ok(pom.includes('<packaging>pom</packaging>'));
  assert.ok(
    pom.includes(
      `<artifactId>maven-dependency-plugin</artifactId>\n        <version>${MAVEN_DEPENDENCY_PLUGIN_VERSION}</version>`,
    ),
  );
});

test('mvn copies the runtime closure into the given directory, quietly and without prompts', () => {
  assert.equal(copyDependenciesArgs('/c/x/pom.xml', '/c/x/lib'), [
    '--batch-mode',
    '--no-transfer-progress',
    '--file',
    '/c/x/pom.xml',
    'dependency:copy-dependencies',
    '-DoutputDirectory=/c/x/lib',
    '-DincludeScope=runtime',
  ]);
});

const BAD_COORDINATES: [Partial<MavenArtifact>, string[]][] = [
  [{}, []],
  [
    { groupId: 'org.codelibs</groupId>' },
    [`groupId "org.codelibs</groupId>" may only contain letters, digits, '.', '_' and '-'`],
  ],
  [{ artifactId: '' }, [`artifactId "" may only contain letters, digits, '.', '_' and '-'`]],
  [
    { key: '../escape', version: '1 0' },
    [
      `key "../escape" may only contain letters, digits, '.', '_' and '-'`,
      `version "1 0" may only contain letters, digits, '.', '_' and '-'`,
    ],
  ],
];

for (const [change, errors] of BAD_COORDINATES) {
  test(`coordinates ${JSON.stringify(change)} give ${errors.length} error(s)`, () => {
    assert.equal(mavenArtifactErrors({ ...RUNNER, ...change }), errors);
  });
}

test('bad coordinates are refused before mvn runs', () => {
  try {
    ensureMavenArtifacts('/nonexistent-cache', { ...RUNNER, version: '7.10.2.0</version>' });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, StackError);
    assert.is((error as StackError).code, 'build-failed');
    assert.match(
      (error as StackError).message,
      /^cannot fetch Elasticsearch 7\.10\.2: version "7\.10\.2\.0<\/version>"/,
    );
  }
});

test('without mvn on PATH the error says how to install it', () => {
  const path = process.env.PATH;
  process.env.PATH = '';
  try {
    ensureMavenArtifacts('/nonexistent-cache', RUNNER);
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, StackError);
    assert.is((error as StackError).code, 'missing-tool');
    assert.match(
      (error as StackError).message,
      /^fetching Elasticsearch 7\.10\.2 from Maven Central needs `mvn`/,
    );
  } finally {
    process.env.PATH = path;
  }
});

test('the jars are fetched once: a second call reuses the cache without running mvn', async () => {
  const root = mkdtempSync(join(tmpdir(), 'maven-fetch-test-'));
  const bin = join(root, 'bin');
  const calls = join(root, 'calls');
  mkdirSync(bin);
  // A stand-in for mvn that records its arguments and "copies" one jar.
  writeFileSync(
    join(bin, 'mvn'),
    `#!/bin/sh\necho "$@" >> '${calls}'\nfor a in "$@"; do case "$a" in -DoutputDirectory=*) touch "\${a#-DoutputDirectory=}/runner.jar";; esac; done\n`,
  );
  chmodSync(join(bin, 'mvn'), 0o755);
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  const lines: string[] = [];
  try {
    const cache = join(root, 'cache');
    const first = await ensureMavenArtifacts(cache, RUNNER, (line) => lines.push(line));
    const second = await ensureMavenArtifacts(cache, RUNNER, (line) => lines.push(line));
    const dir = join(cache, RUNNER.key);
    assert.is(first, join(dir, 'lib'));
    assert.is(second, first);
    assert.equal(readdirSync(first), ['runner.jar']);
    assert.equal(readFileSync(calls, 'utf8').trim().split('\n'), [
      copyDependenciesArgs(join(dir, 'pom.xml'), join(dir, 'lib')).join(' '),
    ]);
    assert.is(readFileSync(join(dir, 'pom.xml'), 'utf8'), fetchPom(RUNNER));
    assert.ok(existsSync(join(dir, '.complete')));
    assert.ok(
      lines.includes(
        '  resolving org.codelibs:elasticsearch-cluster-runner:7.10.2.0 and its runtime dependencies with mvn',
      ),
    );
  } finally {
    process.env.PATH = path;
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
