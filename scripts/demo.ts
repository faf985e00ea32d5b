// `npm run demo`: the whole story of k8slistener on the real local
// infrastructure, in the foreground. It starts Kubernetes (with the audit
// webhook pointing at the listener), Traefik, OpenSearch and the channel
// doubles; installs the CRDs, RBAC and rules; runs the four real plugins
// behind Traefik and the real listener; then acts as expert@org.com and
// other@org.com on a Deployment and shows what each channel received. It keeps
// everything running until Ctrl-C (or exits at once with DEMO_EXIT=1 or
// --exit), and always stops every process it started, by pid.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  cacheDir,
  EXAMPLE_TELEGRAM_TOKEN,
  FAKE_NODE_NAME,
  freePorts,
  grpcRoutesConfig,
  type KubeEndpoint,
  type ManagedProcess,
  pidAlive,
  selfSignedCert,
  serviceAccountKubeconfig,
  startKubernetes,
  startOpenSearch,
  startProcess,
  startTraefik,
  waitUntil,
} from '@k8slistener/testkit';
import { parse, stringify } from 'yaml';
import { startDoublesProcess } from '../libs/testkit/src/doubles-process.ts';
import {
  actorQuery,
  type Delivered,
  indexedEvents,
  slackDelivered,
  teamsDelivered,
  telegramDelivered,
} from './demo/channel-report.ts';
import { applyYamlFile, type KubeCall, kubeAs, must } from './demo/kube-client.ts';
import { createProcessOwner } from './demo/process-owner.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const EXIT_AFTER_REPORT = process.env.DEMO_EXIT === '1' || process.argv.includes('--exit');

/** The plugins' own start (gRPC up, targets read; the elastic one also puts its index template). */
const PLUGIN_READY_TIMEOUT_MS = 60_000;
const ROUTES_READY_TIMEOUT_MS = 30_000;
const LISTENER_READY_TIMEOUT_MS = 60_000;
const RULES_READY_TIMEOUT_MS = 30_000;
/** kwok marks pods running within seconds; the rest is slack for a busy two-core machine. */
const ROLLOUT_TIMEOUT_MS = 90_000;
/** A delivery goes out within a second or two; RolloutStarted waits up to ACTOR_WAIT_MS for the audit batch. */
const DELIVERY_TIMEOUT_MS = 60_000;
/** After the last awaited message, time for stragglers (controllers' Events) to arrive before the report. */
const SETTLE_MS = 3_000;
const EXPLAIN_TIMEOUT_MS = 30_000;
const WATCH_INTERVAL_MS = 2_000;
const SA_TOKEN_SECONDS = 24 * 3600;
const WEBHOOK_TOKEN = `demo-audit-${randomBytes(18).toString('hex')}`;

const TYPES = ['slack', 'telegram', 'teams', 'elastic'] as const;
type PluginType = (typeof TYPES)[number];
const TELEGRAM_CHAT_ID = -1001234567890;
const INDEX_PREFIX = 'k8s-events';
const DEMO_RULES = [
  'crds/examples/all-events-to-elastic.yaml',
  'crds/examples/deployment-completed-to-slack.yaml',
  'crds/examples/expert-deployments-to-telegram.yaml',
];
/** The demo's own rule, so Teams is in the story and a namespaced EventRule is too. */
const TEAMS_RULE = {
  apiVersion: 'k8slistener.io/v1alpha1',
  kind: 'EventRule',
  metadata: { name: 'shop-rollouts-to-teams', namespace: 'shop' },
  spec: {
    match: { sources: ['Rollout'], kinds: ['Deployment'] },
    destinations: [{ type: 'teams', target: 'shop-team' }],
  },
};

const startedAt = Date.now();
const dir = mkdtempSync(join(tmpdir(), 'k8slistener-demo-'));
const logs = join(dir, 'logs');
mkdirSync(logs);
// Every process the testkit starts appends its pid here: the owner stops even those of an interrupted step.
process.env.K8SLISTENER_PID_LEDGER = join(dir, 'pids');
const owner = createProcessOwner(process.env.K8SLISTENER_PID_LEDGER);
let waitingForCtrlC = false;
/** What the wait for Ctrl-C keeps an eye on. */
const running: { name: string; logFile: string; alive: () => boolean }[] = [];

const out = (line = '') => process.stdout.write(`${line}\n`);
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)}s`;
const step = (line: string) => out(`  [${elapsed()}] ${line}`);
const section = (title: string) => out(`\n${title}`);
const guard = () => {
  if (owner.stopping()) throw new Error('interrupted');
};

let shuttingDown: Promise<never> | undefined;
function shutdown(exitCode: number): Promise<never> {
  let code = exitCode;
  shuttingDown ??= (async () => {
    out('\nStopping everything the demo started…');
    const left = await owner.stopAll((line) => out(`  ${line}`));
    if (left.length > 0) {
      process.stderr.write(`demo: could not stop pids ${left.join(', ')}; stop them by pid yourself\n`);
      code = 1;
    }
    if (code === 1) {
      // The failure message names log files in here: they must still be there to be read.
      out(`Stopped; kept ${dir} for its logs (remove it when done).`);
    } else {
      rmSync(dir, { recursive: true, force: true });
      out(`Stopped; removed ${dir}.`);
    }
    process.exit(code);
  })();
  return shuttingDown;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (owner.stopping()) {
      out('  (still stopping: each process gets up to 10 s to exit before it is killed)');
      return;
    }
    void shutdown(waitingForCtrlC ? 0 : 130);
  });
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  logFiles: readonly string[],
  failsWith?: ManagedProcess,
): Promise<void> {
  await waitUntil(check, {
    what: `${what} (read ${logFiles.join(', ')})`,
    timeoutMs,
    intervalMs: 250,
    ...(failsWith ? { process: failsWith } : {}),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  out('k8slistener demo: the whole story on real local infrastructure');
  out('A first run builds Kubernetes, etcd, kwok and Traefik from their Go modules and fetches OpenSearch');
  out(`(about 15 minutes, progress below, cached in ${cacheDir()}); later runs take about a minute.`);
  out('Ctrl-C at any point stops everything the demo started.');
  out(`Working directory (configuration, logs): ${dir}`);
  const cache = cacheDir();
  const progress = (line: string) => out(`           ${line}`);

  section('1. Infrastructure');
  const tls = await selfSignedCert(['127.0.0.1']);
  const tlsCert = join(dir, 'listener-tls.crt');
  const tlsKey = join(dir, 'listener-tls.key');
  const tokenFile = join(dir, 'listener-webhook-tokens');
  writeFileSync(tlsCert, tls.cert);
  writeFileSync(tlsKey, tls.key, { mode: 0o600 });
  writeFileSync(tokenFile, `${WEBHOOK_TOKEN}\n`, { mode: 0o600 });
  const [webhookPort = 0, httpPort = 0] = await freePorts(2);
  const auditUrl = `https://127.0.0.1:${webhookPort}/audit`;

  step('starting etcd, kube-apiserver (audit webhook → the listener), controller-manager, scheduler, kwok');
  guard();
  const kube = await startKubernetes({
    cache,
    controllers: true,
    workDir: join(dir, 'kube'),
    progress,
    audit: {
      url: auditUrl,
      caPem: tls.cert,
      token: WEBHOOK_TOKEN,
      policy: parse(readText('apps/listener/k8s/audit-policy.yaml')) as object,
    },
  });
  owner.own(
    'Kubernetes (kwok, scheduler, controller-manager, kube-apiserver, etcd)',
    kube.stop,
    kube.processes.map((p) => p.pid),
  );
  running.push(...kube.processes);
  step(`Kubernetes API at ${kube.server}; node ${FAKE_NODE_NAME} Ready (kwok)`);

  step('starting Traefik');
  guard();
  const traefik = await startTraefik({
    cache,
    dynamicDir: join(dir, 'traefik', 'dynamic'),
    workDir: join(dir, 'traefik'),
    progress,
  });
  owner.own('Traefik', traefik.stop, [traefik.process.pid]);
  running.push(traefik.process);
  step(`Traefik: gRPC entrypoint ${traefik.grpcAddress}, API ${traefik.apiUrl}`);

  step('starting OpenSearch (Elasticsearch is left out to save time; the elastic plugin speaks both)');
  guard();
  const opensearch = await startOpenSearch({
    cache,
    dataDir: join(dir, 'opensearch'),
    logFile: join(logs, 'opensearch.log'),
    progress,
  });
  owner.own('OpenSearch', opensearch.stop, [opensearch.pid]);
  running.push({ name: 'OpenSearch', logFile: opensearch.logFile, alive: () => pidAlive(opensearch.pid) });
  step(`OpenSearch ${opensearch.version} at ${opensearch.url}`);

  step('starting the Slack, Telegram and Teams doubles');
  guard();
  const doubles = await startDoublesProcess({ logFile: join(logs, 'doubles.log') });
  owner.own('channel doubles', doubles.stop, [doubles.pid]);
  running.push({ name: 'channel doubles', logFile: doubles.logFile, alive: () => pidAlive(doubles.pid) });
  step(`doubles: Slack ${doubles.endpoints.slack}`);
  step(`         Telegram ${doubles.endpoints.telegram}, Teams ${doubles.endpoints.teams.split('?')[0]}`);

  section('2. The cluster, set up as admin');
  const endpoint: KubeEndpoint = { server: kube.server, ca: kube.caPem };
  const admin = kubeAs(endpoint, kube.tokens.admin);
  for (const ns of ['k8slistener', 'shop']) {
    await must(
      admin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }),
      `creating namespace ${ns}`,
      [201, 409],
    );
  }
  step('namespaces k8slistener, shop');
  for (const file of ['crds/eventrule.yaml', 'crds/clustereventrule.yaml']) {
    await applyYamlFile(admin, join(ROOT, file));
  }
  const rbac = await applyYamlFile(admin, join(ROOT, 'crds/rbac.yaml'));
  step(`CRDs eventrules and clustereventrules.k8slistener.io; crds/rbac.yaml: ${rbac.length} objects`);
  await waitFor(
    'the rule CRDs to be served',
    async () => (await admin('GET', '/apis/k8slistener.io/v1alpha1/clustereventrules')).status === 200,
    RULES_READY_TIMEOUT_MS,
    [join(dir, 'kube/logs/kube-apiserver.log')],
  );
  const teamsRuleFile = join(dir, 'shop-rollouts-to-teams.yaml');
  writeFileSync(teamsRuleFile, stringify(TEAMS_RULE));
  const ruleFiles = [...DEMO_RULES.map((f) => join(ROOT, f)), teamsRuleFile];
  for (const file of ruleFiles) {
    const [created = ''] = await applyYamlFile(admin, file);
    step(`rule ${created.padEnd(48)} ${describeRule(file)}`);
  }
  const listenerKubeconfig = join(dir, 'listener.kubeconfig');
  writeFileSync(
    listenerKubeconfig,
    await serviceAccountKubeconfig(
      endpoint,
      kube.tokens.admin,
      'k8slistener',
      'k8slistener',
      SA_TOKEN_SECONDS,
    ),
    { mode: 0o600 },
  );
  step(
    'kubeconfig for ServiceAccount k8slistener/k8slistener (TokenRequest): only what crds/rbac.yaml grants',
  );

  section('3. The four plugins, behind Traefik');
  const targets: Record<PluginType, object> = {
    slack: { deployments: { webhookUrl: doubles.endpoints.slack } },
    telegram: {
      oncall: {
        botToken: EXAMPLE_TELEGRAM_TOKEN,
        chatId: TELEGRAM_CHAT_ID,
        apiUrl: doubles.endpoints.telegram,
      },
    },
    teams: { 'shop-team': { webhookUrl: doubles.endpoints.teams } },
    elastic: { [INDEX_PREFIX]: { url: opensearch.url, indexPrefix: INDEX_PREFIX } },
  };
  const plugins = {} as Record<
    PluginType,
    { process: ManagedProcess; grpcPort: number; metricsPort: number }
  >;
  for (const type of TYPES) {
    guard();
    const [grpcPort = 0, metricsPort = 0] = await freePorts(2);
    const targetsFile = join(dir, `${type}-targets.yaml`);
    writeFileSync(targetsFile, stringify(targets[type]), { mode: 0o600 });
    const plugin = startProcess({
      name: `${type} plugin`,
      command: process.execPath,
      args: [join(ROOT, `apps/${type}/src/main.ts`)],
      cwd: ROOT,
      logFile: join(logs, `${type}.log`),
      env: {
        ...process.env,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(metricsPort),
        TARGETS_FILE: targetsFile,
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
      },
    });
    owner.own(`${type} plugin`, () => plugin.stop(), [plugin.pid]);
    running.push(plugin);
    plugins[type] = { process: plugin, grpcPort, metricsPort };
  }
  for (const type of TYPES) {
    const { process: plugin, metricsPort } = plugins[type];
    await waitFor(
      `the ${type} plugin to be ready`,
      async () => (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status === 200,
      PLUGIN_READY_TIMEOUT_MS,
      [plugin.logFile],
      plugin,
    );
    const target = Object.keys(targets[type])[0];
    step(
      `${type.padEnd(8)} plugin pid ${plugin.pid}, gRPC 127.0.0.1:${plugins[type].grpcPort}, target ${target}`,
    );
  }
  const routesFile = join(traefik.dynamicDir, 'routes.yml');
  writeFileSync(
    routesFile,
    stringify(
      grpcRoutesConfig(
        TYPES.map((type) => ({
          messageType: type,
          servers: [{ url: `h2c://127.0.0.1:${plugins[type].grpcPort}` }],
        })),
      ),
    ),
  );
  await waitFor(
    'Traefik to route every message type to a healthy plugin',
    async () => {
      const services = (await (await fetch(`${traefik.apiUrl}/api/http/services`)).json()) as {
        name: string;
        serverStatus?: Record<string, string>;
      }[];
      return TYPES.every((type) => {
        const status = services.find((s) => s.name === `plugin-${type}@file`)?.serverStatus;
        return status !== undefined && Object.values(status).every((s) => s === 'UP');
      });
    },
    ROUTES_READY_TIMEOUT_MS,
    [traefik.process.logFile],
    traefik.process,
  );
  step(`Traefik routes x-message-type slack|telegram|teams|elastic, health-checked, all UP (${routesFile})`);

  section('4. The listener');
  guard();
  const listener = startProcess({
    name: 'listener',
    command: process.execPath,
    args: [join(ROOT, 'apps/listener/src/main.ts')],
    cwd: ROOT,
    logFile: join(logs, 'listener.log'),
    env: {
      ...process.env,
      KUBECONFIG: listenerKubeconfig,
      ROUTER_ADDRESS: traefik.grpcAddress,
      CLUSTER_NAME: 'demo',
      HTTP_ADDRESS: `127.0.0.1:${httpPort}`,
      WEBHOOK_ADDRESS: `127.0.0.1:${webhookPort}`,
      TLS_CERT_FILE: tlsCert,
      TLS_KEY_FILE: tlsKey,
      WEBHOOK_TOKEN_FILE: tokenFile,
      POD_NAMESPACE: 'k8slistener',
      POD_NAME: 'listener-demo',
      LEADER_ELECT: 'false',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    },
  });
  owner.own('listener', () => listener.stop(), [listener.pid]);
  running.push(listener);
  const statusUrl = `http://127.0.0.1:${httpPort}`;
  await waitFor(
    'the listener to be ready (rules loaded, watches running)',
    async () => (await fetch(`${statusUrl}/readyz`)).status === 200,
    LISTENER_READY_TIMEOUT_MS,
    [listener.logFile],
    listener,
  );
  step(`listener pid ${listener.pid} ready: watching Events and Deployments, audit webhook at ${auditUrl}`);
  for (const rule of ruleObjects(ruleFiles)) {
    const condition = await readyCondition(admin, rule, listener);
    step(`${rule.label.padEnd(54)} Ready=${condition.status} (generation ${condition.observedGeneration})`);
    if (condition.status !== 'True') throw new Error(`${rule.label} is not Ready: ${condition.message}`);
  }

  section('5. The story');
  const expert = kubeAs(endpoint, kube.tokens['expert@org.com']);
  const other = kubeAs(endpoint, kube.tokens['other@org.com']);
  const waitLogs = [listener.logFile, ...TYPES.map((t) => plugins[t].process.logFile)];
  step('expert@org.com creates Deployment shop/web: 2 replicas of shop/web:1.0');
  await must(
    expert('POST', '/apis/apps/v1/namespaces/shop/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'shop/web:1.0' }] },
        },
      },
    }),
    'creating Deployment shop/web as expert@org.com',
  );
  await rolledOut(admin, 1, [
    join(dir, 'kube/logs/kube-controller-manager.log'),
    join(dir, 'kube/logs/kwok.log'),
  ]);
  step('  rolled out: generation 1, 2/2 replicas updated and available');
  await waitFor(
    'Slack to hear that generation 1 rolled out',
    async () => (await slackDelivered(doubles.endpoints.control.slack ?? '')).lines.length >= 1,
    DELIVERY_TIMEOUT_MS,
    waitLogs,
  );
  step('  Slack has heard of it');
  step('other@org.com changes the image to shop/web:1.1');
  await must(
    other(
      'PATCH',
      '/apis/apps/v1/namespaces/shop/deployments/web',
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'shop/web:1.1' }] } } } },
      'application/strategic-merge-patch+json',
    ),
    'patching Deployment shop/web as other@org.com',
  );
  await rolledOut(admin, 2, [
    join(dir, 'kube/logs/kube-controller-manager.log'),
    join(dir, 'kube/logs/kwok.log'),
  ]);
  step('  rolled out: generation 2, 2/2 replicas updated and available');
  const control = doubles.endpoints.control;
  // What the rules promise for this story: Slack 2 (completed g1, g2), Telegram 3 (expert's create,
  // started and completed g1), Teams 4 (started and completed, g1 and g2), OpenSearch everything.
  const expected: [string, () => Promise<boolean>][] = [
    [
      'Slack to receive 2 messages',
      async () => (await slackDelivered(control.slack ?? '')).lines.length >= 2,
    ],
    [
      'Telegram to receive 3 messages',
      async () => (await telegramDelivered(control.telegram ?? '')).lines.length >= 3,
    ],
    ['Teams to receive 4 cards', async () => (await teamsDelivered(control.teams ?? '')).lines.length >= 4],
    [
      'OpenSearch to hold the completed rollout of generation 2',
      async () =>
        (await countDocuments(opensearch.url, {
          bool: {
            filter: [{ term: { 'event.reason': 'RolloutCompleted' } }, { term: { 'object.generation': 2 } }],
          },
        })) >= 1,
    ],
  ];
  for (const [what, check] of expected) await waitFor(what, check, DELIVERY_TIMEOUT_MS, waitLogs);
  await sleep(SETTLE_MS);
  step('every channel has heard of both rollouts');

  section('6. What each channel received');
  printDelivered(
    'Slack',
    'rule deployment-completed-to-slack → target deployments (incoming-webhook double)',
    await slackDelivered(control.slack ?? ''),
  );
  printDelivered(
    'Telegram',
    `rule expert-deployments-to-telegram → target oncall (Bot API double, chat ${TELEGRAM_CHAT_ID})`,
    await telegramDelivered(control.telegram ?? ''),
  );
  printDelivered(
    'Teams',
    'rule shop/shop-rollouts-to-teams → target shop-team (Workflows webhook double)',
    await teamsDelivered(control.teams ?? ''),
  );
  const indexed = await indexedEvents(opensearch.url, INDEX_PREFIX, 'expert@org.com');
  out(`\n  OpenSearch — rule all-events-to-elastic → target ${INDEX_PREFIX} (${opensearch.url})`);
  for (const [index, count] of Object.entries(indexed.indices)) out(`    index ${index}: ${count} documents`);
  const counts = (byKey: Record<string, number>) =>
    Object.entries(byKey)
      .map(([key, count]) => `${key} ${count}`)
      .join(', ');
  out(`    ${indexed.total} documents by source: ${counts(indexed.bySource)}`);
  out(`    by actor: ${counts(indexed.byActor)}`);
  out(
    '      ("-": Kubernetes Events, which carry no user; admin: the setup above and kwok, which acts as admin here)',
  );
  out(`    who did it — ${INDEX_PREFIX}-*/_search ${JSON.stringify(actorQuery('expert@org.com').query)}:`);
  out(`    ${indexed.actorHits} documents`);
  for (const line of indexed.actorLines) out(`      ${line}`);

  section('7. Which rules match, and what would be sent? (npm run explain, against the live cluster)');
  const eventFile = join(dir, 'event.yaml');
  writeFileSync(
    eventFile,
    stringify({
      id: 'what-if-expert-rolls-out-generation-3',
      source: 'Rollout',
      reason: 'RolloutCompleted',
      message: 'Rollout of generation 3 completed: 2 of 2 replicas updated and available',
      involvedObject: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        generation: 3,
        labels: { app: 'web' },
      },
      actor: { username: 'expert@org.com' },
    }),
  );
  const explainArgs = [
    '--event',
    eventFile,
    '--cluster',
    '--kubeconfig',
    kube.kubeconfigs.admin,
    '--cluster-name',
    'demo',
  ];
  out(`  ${eventFile}: a hand-written RolloutCompleted of shop/web generation 3 by expert@org.com`);
  out(`  npm run explain -- ${explainArgs.join(' ')}`);
  const explained = await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'apps/listener/src/explain/explain-main.ts'), ...explainArgs],
    { cwd: ROOT, timeout: EXPLAIN_TIMEOUT_MS },
  );
  // The verdicts and each message's title; the messages in full are for the reader to run.
  const explainLines = explained.stdout.trimEnd().split('\n');
  const shown = explainLines.filter((line) => !line.startsWith('    ') || /^\s+"title":/.test(line));
  for (const line of shown) out(`  │ ${line}`);
  out(`  │ … (${explainLines.length - shown.length} more lines: each message in full)`);

  section('What is where (everything stays up until Ctrl-C)');
  const kubectl = `kubectl --kubeconfig ${kube.kubeconfigs.admin}`;
  const lines = [
    `  Kubernetes API      ${kube.server}`,
    `    as admin          ${kubectl} get deploy,rs,pods -n shop`,
    `    rules and status  ${kubectl} get clustereventrules,eventrules -A`,
    `    as expert@org.com kubectl --kubeconfig '${kube.kubeconfigs['expert@org.com']}' -n shop set image deploy/web web=shop/web:2.0`,
    `    as other@org.com  kubectl --kubeconfig '${kube.kubeconfigs['other@org.com']}' -n shop scale deploy/web --replicas=3`,
    `    the listener's SA ${listenerKubeconfig}`,
    `  Listener            ${statusUrl}/status   ${statusUrl}/metrics   (pid ${listener.pid})`,
    `    audit webhook     ${auditUrl}`,
    `  Traefik gRPC        ${traefik.grpcAddress} (h2c; routes on the x-message-type header)`,
    `    dashboard         ${traefik.apiUrl}/dashboard/#/http/routers`,
    `    routing           ${traefik.apiUrl}/api/http/routers   ${traefik.apiUrl}/api/http/services`,
    `    routes file       ${routesFile}`,
    ...TYPES.map(
      (type) =>
        `  ${`${type} plugin`.padEnd(18)}  gRPC 127.0.0.1:${plugins[type].grpcPort}   http://127.0.0.1:${plugins[type].metricsPort}/metrics   (pid ${plugins[type].process.pid})`,
    ),
    `  OpenSearch          ${opensearch.url}/${INDEX_PREFIX}-*/_search?q=actor.username:%22other@org.com%22&pretty`,
    `  Slack double        ${control.slack}/requests`,
    `  Telegram double     ${control.telegram}/requests`,
    `  Teams double        ${control.teams}/requests`,
    `  explain             npm run explain -- ${explainArgs.join(' ')}`,
    `  logs                ${logs}/*.log  ${join(dir, 'kube/logs')}/*.log  ${traefik.process.logFile}`,
    '',
    `Everything is up after ${elapsed().trim()}.`,
  ];
  for (const line of lines) out(line);
}

function readText(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

function describeRule(file: string): string {
  const rule = parse(readFileSync(file, 'utf8')) as {
    spec: { match: Record<string, unknown>; destinations: { type: string; target: string }[] };
  };
  const match = Object.entries(rule.spec.match)
    .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join('|') : JSON.stringify(value)}`)
    .join(', ');
  const to = rule.spec.destinations.map((d) => `${d.type}/${d.target}`).join(', ');
  return `${match || 'every event'} → ${to}`;
}

interface RuleRef {
  label: string;
  path: string;
}

function ruleObjects(files: readonly string[]): RuleRef[] {
  return files.map((file) => {
    const rule = parse(readFileSync(file, 'utf8')) as {
      kind: string;
      metadata: { name: string; namespace?: string };
    };
    const ns = rule.metadata.namespace;
    return {
      label: `${rule.kind} ${ns ? `${ns}/` : ''}${rule.metadata.name}`,
      path: ns
        ? `/apis/k8slistener.io/v1alpha1/namespaces/${ns}/eventrules/${rule.metadata.name}`
        : `/apis/k8slistener.io/v1alpha1/clustereventrules/${rule.metadata.name}`,
    };
  });
}

interface Condition {
  status: string;
  message: string;
  observedGeneration: number;
}

async function readyCondition(admin: KubeCall, rule: RuleRef, listener: ManagedProcess): Promise<Condition> {
  let condition: Condition | undefined;
  await waitFor(
    `the listener to write a Ready condition on ${rule.label}`,
    async () => {
      const res = await admin('GET', rule.path);
      const conditions = (res.json as { status?: { conditions?: (Condition & { type: string })[] } }).status
        ?.conditions;
      condition = conditions?.find((c) => c.type === 'Ready');
      return condition !== undefined;
    },
    RULES_READY_TIMEOUT_MS,
    [listener.logFile],
    listener,
  );
  if (!condition) throw new Error(`no Ready condition on ${rule.label}`);
  return condition;
}

async function rolledOut(admin: KubeCall, generation: number, logFiles: readonly string[]): Promise<void> {
  await waitFor(
    `Deployment shop/web generation ${generation} to roll out (2/2 updated and available)`,
    async () => {
      const res = await admin('GET', '/apis/apps/v1/namespaces/shop/deployments/web');
      const d = res.json as {
        metadata: { generation: number };
        status?: {
          observedGeneration?: number;
          replicas?: number;
          updatedReplicas?: number;
          availableReplicas?: number;
        };
      };
      const s = d.status ?? {};
      return (
        d.metadata.generation === generation &&
        s.observedGeneration === generation &&
        s.replicas === 2 &&
        s.updatedReplicas === 2 &&
        s.availableReplicas === 2
      );
    },
    ROLLOUT_TIMEOUT_MS,
    logFiles,
  );
}

async function countDocuments(url: string, query: object): Promise<number> {
  const res = await fetch(`${url}/${INDEX_PREFIX}-*/_count`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return res.ok ? ((await res.json()) as { count: number }).count : 0;
}

function printDelivered(channel: string, how: string, delivered: Delivered): void {
  out(`\n  ${channel} — ${how}`);
  out(`    ${delivered.lines.length} delivered (${delivered.requests} requests recorded)`);
  for (const line of delivered.lines) out(`      ${line}`);
}

try {
  await main();
} catch (error) {
  if (!owner.stopping()) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\ndemo failed: ${message}\n`);
    await shutdown(1);
  }
  await shuttingDown;
}
if (EXIT_AFTER_REPORT) {
  out('DEMO_EXIT=1: not waiting for Ctrl-C.');
  await shutdown(0);
}
waitingForCtrlC = true;
out('Press Ctrl-C to stop everything.');
// Signal handlers alone do not keep Node running; this timer does, and it tells when something dies.
const reported = new Set<string>();
setInterval(() => {
  for (const watched of running) {
    if (!watched.alive() && !reported.has(watched.name)) {
      reported.add(watched.name);
      out(`  ${watched.name} has exited; read ${watched.logFile}`);
    }
  }
}, WATCH_INTERVAL_MS);
