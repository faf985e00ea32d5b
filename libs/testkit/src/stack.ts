import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Progress, stderrProgress } from './build-cache.ts';
import { startDoublesProcess } from './doubles-process.ts';
import { startKubernetes } from './kube.ts';
import { startElasticsearch, startOpenSearch } from './search-server.ts';
import { StackError } from './stack-error.ts';
import { startTraefik } from './traefik.ts';

/** What `up` can start. `controllers` implies `kube`. */
export const COMPONENTS = [
  'kube',
  'controllers',
  'traefik',
  'opensearch',
  'elasticsearch',
  'doubles',
] as const;
export type Component = (typeof COMPONENTS)[number];

export interface ProcessRecord {
  component: Component;
  name: string;
  pid: number;
  logFile: string;
}

/** Everything `up` started: the one JSON line it prints, and what `status` and `down` read back. */
export interface StackState {
  startedAt: string;
  /** Directory holding every component's data, config and logs; `down` removes it. */
  dir: string;
  kube?: {
    server: string;
    caFile: string;
    kubeconfigs: Record<string, string>;
    etcd: string;
    controllers: boolean;
  };
  traefik?: { grpc: string; api: string; dashboard: string; dynamicDir: string; staticConfig: string };
  opensearch?: { url: string; version: string };
  elasticsearch?: { url: string; version: string };
  doubles?: { slack: string; telegram: string; teams: string; control: Record<string, string> };
  processes: ProcessRecord[];
}

export interface StackOptions {
  cache: string;
  /** Directory for the stack's data, config and logs. */
  dir: string;
  ports?: Partial<Record<'apiserver' | 'traefik' | 'traefikApi' | 'opensearch' | 'elasticsearch', number>>;
  progress?: Progress;
}

export interface RunningStack {
  state: StackState;
  stop(): Promise<void>;
}

/** Parses component names from the command line: all of them when none are given. */
export function parseComponents(names: readonly string[]): Component[] {
  if (names.length === 0) return [...COMPONENTS];
  const unknown = names.filter((n) => !(COMPONENTS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new StackError(
      'unknown-component',
      `unknown component${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; components are: ${COMPONENTS.join(', ')}`,
    );
  }
  const set = new Set(names as Component[]);
  if (set.has('controllers')) set.add('kube');
  return COMPONENTS.filter((c) => set.has(c));
}

/**
 * Starts the chosen components one after another (they share two cores) and
 * returns their endpoints. On any failure, what was started is stopped again.
 */
export async function startStack(
  components: readonly Component[],
  options: StackOptions,
): Promise<RunningStack> {
  const { cache, dir, ports = {}, progress = stderrProgress } = options;
  mkdirSync(dir, { recursive: true });
  const state: StackState = { startedAt: new Date().toISOString(), dir, processes: [] };
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of [...stops].reverse()) await s();
  };
  try {
    if (components.includes('kube')) {
      const controllers = components.includes('controllers');
      progress(
        `starting kube-apiserver and etcd${controllers ? ', kube-controller-manager, kube-scheduler and kwok' : ''}`,
      );
      const kube = await startKubernetes({
        cache,
        controllers,
        workDir: join(dir, 'kube'),
        ...(ports.apiserver === undefined ? {} : { apiserverPort: ports.apiserver }),
        progress,
      });
      stops.push(kube.stop);
      state.kube = {
        server: kube.server,
        caFile: kube.caFile,
        kubeconfigs: kube.kubeconfigs,
        etcd: kube.etcdUrl,
        controllers,
      };
      for (const p of kube.processes) {
        state.processes.push({ component: 'kube', name: p.name, pid: p.pid, logFile: p.logFile });
      }
    }
    if (components.includes('traefik')) {
      progress('starting Traefik');
      const traefik = await startTraefik({
        cache,
        dynamicDir: join(dir, 'traefik', 'dynamic'),
        workDir: join(dir, 'traefik'),
        ...(ports.traefik === undefined ? {} : { grpcPort: ports.traefik }),
        ...(ports.traefikApi === undefined ? {} : { apiPort: ports.traefikApi }),
        progress,
      });
      stops.push(traefik.stop);
      state.traefik = {
        grpc: traefik.grpcAddress,
        api: traefik.apiUrl,
        dashboard: `${traefik.apiUrl}/dashboard/`,
        dynamicDir: traefik.dynamicDir,
        staticConfig: traefik.staticConfigFile,
      };
      state.processes.push({
        component: 'traefik',
        name: 'traefik',
        pid: traefik.process.pid,
        logFile: traefik.process.logFile,
      });
    }
    for (const kind of ['opensearch', 'elasticsearch'] as const) {
      if (!components.includes(kind)) continue;
      progress(`starting ${kind === 'opensearch' ? 'OpenSearch' : 'Elasticsearch'}`);
      const start = kind === 'opensearch' ? startOpenSearch : startElasticsearch;
      const port = ports[kind];
      const server = await start({
        cache,
        dataDir: join(dir, kind),
        ...(port === undefined ? {} : { port }),
        progress,
      });
      stops.push(server.stop);
      state[kind] = { url: server.url, version: server.version };
      state.processes.push({ component: kind, name: kind, pid: server.pid, logFile: server.logFile });
    }
    if (components.includes('doubles')) {
      progress('starting the Slack, Telegram and Teams doubles');
      const doubles = await startDoublesProcess({ logFile: join(dir, 'doubles.log') });
      stops.push(doubles.stop);
      state.doubles = doubles.endpoints;
      state.processes.push({
        component: 'doubles',
        name: 'channel-doubles',
        pid: doubles.pid,
        logFile: doubles.logFile,
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { state, stop };
}
