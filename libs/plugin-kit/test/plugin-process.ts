// Test helper for the plugins' integration tests: runs a plugin's main.ts as a
// real child process and talks to it over real gRPC. Not part of the kit's API.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { credentials, type Metadata, type ServiceError, type status } from '@grpc/grpc-js';
import {
  type HealthClient,
  loadContracts,
  type Notification,
  type NotifierClient,
  type NotifyResponse__Output,
  type PluginInfo__Output,
  readResponseTrailer,
} from '@k8slistener/proto';
import { freePorts, waitUntil } from '@k8slistener/testkit';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const NODE = `${ROOT}node_modules/.bin/node`;
/** How long a plugin may take to start answering health checks. */
const START_TIMEOUT_MS = 30_000;
/** How long a stop waits for exit before SIGKILL. */
const STOP_TIMEOUT_MS = 30_000;

export type CallResult =
  | { ok: NotifyResponse__Output }
  | { code: status; details: string; trailer: NotifyResponse__Output | undefined };

/** A failed call as [code, channel status, detail]; ['OK'] for a success. Compact for exact assertions. */
export function failureOf(result: CallResult): (string | number | undefined)[] {
  return 'code' in result ? [result.code, result.trailer?.channelStatus, result.trailer?.detail] : ['OK'];
}

export interface PluginProcess {
  pid: number;
  grpcPort: number;
  metricsPort: number;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  /** Everything written to stdout and stderr, for failure messages. */
  output(): string;
  notify(n: Notification, deadlineMs?: number): Promise<CallResult>;
  info(): Promise<PluginInfo__Output>;
  health(service?: string): Promise<string>;
  /** SIGTERM, wait for exit; resolves the exit code (null when killed by a signal). */
  stop(): Promise<number | null>;
}

/** Starts `node <main>` with `env` on free ports and waits until it answers health checks. */
export async function startPluginProcess(mainPath: string, env: NodeJS.ProcessEnv): Promise<PluginProcess> {
  const [grpcPort, metricsPort] = (await freePorts(2)) as [number, number];
  const child: ChildProcess = spawn(NODE, [mainPath], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: String(metricsPort),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${mainPath}`);
  const ledger = process.env.K8SLISTENER_PID_LEDGER;
  if (ledger) appendFileSync(ledger, `${pid}\n`);
  let text = '';
  const logs: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );

  const contracts = loadContracts();
  const address = `127.0.0.1:${grpcPort}`;
  const client: NotifierClient = new contracts.k8slistener.v1.Notifier(address, credentials.createInsecure());
  const healthClient: HealthClient = new contracts.grpc.health.v1.Health(
    address,
    credentials.createInsecure(),
  );
  const health = (service = '') =>
    new Promise<string>((resolve, reject) =>
      healthClient.Check({ service }, (error: ServiceError | null, response?: { status: string }) =>
        error ? reject(error) : resolve(response?.status ?? ''),
      ),
    );
  const stop = async (): Promise<number | null> => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    client.close();
    healthClient.close();
    return exitCode ?? null;
  };

  try {
    await waitUntil(
      async () => {
        if (exitCode !== undefined) throw new Error('exited');
        await health();
        return true;
      },
      { what: `${mainPath} health`, timeoutMs: START_TIMEOUT_MS, intervalMs: 100 },
    );
  } catch (error) {
    await stop();
    throw new Error(`${mainPath} did not start: ${String(error)}\n${text}`);
  }

  return {
    pid,
    grpcPort,
    metricsPort,
    logs,
    output: () => text,
    notify: (n, deadlineMs = 30_000) =>
      new Promise((resolve) =>
        client.Notify(
          n,
          { deadline: Date.now() + deadlineMs },
          (error: ServiceError | null, response?: NotifyResponse__Output) => {
            if (error) {
              resolve({
                code: error.code,
                details: error.details,
                trailer: readResponseTrailer(error.metadata as Metadata),
              });
            } else resolve({ ok: response as NotifyResponse__Output });
          },
        ),
      ),
    info: () =>
      new Promise((resolve, reject) =>
        client.Info({}, (error: ServiceError | null, response?: PluginInfo__Output) =>
          error ? reject(error) : resolve(response as PluginInfo__Output),
        ),
      ),
    health,
    stop,
  };
}

/** A Notification of the given type, with the fields every test repeats. */
export function notification(
  deliveryId: string,
  target: string,
  message: Omit<Notification, 'deliveryId' | 'target'>,
): Notification {
  return {
    deliveryId,
    target,
    attempt: 1,
    rule: { kind: 'ClusterEventRule', name: 'it', destinationIndex: 0 },
    ...message,
  };
}
