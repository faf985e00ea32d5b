#!/usr/bin/env node
// npm run stack -- build [components…] | up [components…] [--port name=N…] | status | down
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { etcdBinary, kubernetesBinaries, kwokBinary, traefikBinary } from './binaries.ts';
import { formatSeconds } from './build-cache.ts';
import { cacheDir } from './cache-dir.ts';
import { keepProcessesAfterExit, pidAlive, stopPid } from './managed-process.ts';
import { prepareElasticsearch, prepareOpenSearch } from './search-server.ts';
import {
  COMPONENTS,
  type Component,
  parseComponents,
  type StackOptions,
  type StackState,
  startStack,
} from './stack.ts';
import { StackError } from './stack-error.ts';

const USAGE = `usage: npm run stack -- <command>

  build [components…]   build or fetch the real parts once into the cache (${cacheDir()})
  up [components…]      start components in the background and print one JSON line of endpoints
                        options: --port apiserver=N --port traefik=N --port traefikApi=N
                                 --port opensearch=N --port elasticsearch=N
  status                show what is running
  down                  stop everything \`up\` started, by pid, and remove its data

components: ${COMPONENTS.join(', ')} (default: all)`;

const PORT_NAMES = ['apiserver', 'traefik', 'traefikApi', 'opensearch', 'elasticsearch'] as const;
type PortName = (typeof PORT_NAMES)[number];

/** Where `up` keeps its state and the components' data: $K8SLISTENER_STACK_DIR or .stack/ in the repository. */
export function stackDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.K8SLISTENER_STACK_DIR || fileURLToPath(new URL('../../../.stack', import.meta.url));
}

export interface ParsedArgs {
  command: string;
  components: Component[];
  ports: Partial<Record<PortName, number>>;
}

/** Reads the command line; a StackError that names the bad argument otherwise. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command = 'help', ...rest] = argv;
  const names: string[] = [];
  const ports: Partial<Record<PortName, number>> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? rest[++i] : arg.slice('--port='.length);
      const match = /^([A-Za-z]+)=(\d+)$/.exec(value ?? '');
      const name = match?.[1] as PortName | undefined;
      const port = Number(match?.[2]);
      if (!match || !name || !PORT_NAMES.includes(name) || port < 1 || port > 65535) {
        throw new StackError(
          'bad-state',
          `--port wants name=N with name one of ${PORT_NAMES.join(', ')} and N in 1–65535, got "${value ?? ''}"`,
        );
      }
      ports[name] = port;
    } else if (arg.startsWith('-')) {
      throw new StackError('bad-state', `unknown option "${arg}"\n\n${USAGE}`);
    } else {
      names.push(arg);
    }
  }
  return { command, components: parseComponents(names), ports };
}

async function build(components: readonly Component[]): Promise<void> {
  const cache = cacheDir();
  const started = Date.now();
  if (components.includes('kube')) {
    await etcdBinary(cache);
    await kubernetesBinaries(cache);
  }
  if (components.includes('controllers')) await kwokBinary(cache);
  if (components.includes('traefik')) await traefikBinary(cache);
  if (components.includes('opensearch')) await prepareOpenSearch(cache);
  if (components.includes('elasticsearch')) await prepareElasticsearch(cache);
  process.stderr.write(`all parts ready in ${cache} (${formatSeconds(Date.now() - started)})\n`);
}

function readState(file: string): StackState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackState;
  } catch (error) {
    throw new StackError(
      'bad-state',
      `${file} is not readable JSON (${String(error)}); remove it and run up again`,
    );
  }
}

async function up(args: ParsedArgs): Promise<void> {
  const dir = stackDir();
  const stateFile = join(dir, 'state.json');
  const existing = readState(stateFile);
  if (existing?.processes.some((p) => pidAlive(p.pid))) {
    throw new StackError(
      'bad-state',
      `a stack is already up (see ${stateFile}); run \`npm run stack -- down\` first`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
  // The stack outlives this command; `down` stops it.
  keepProcessesAfterExit();
  const options: StackOptions = { cache: cacheDir(), dir, ports: args.ports };
  const stack = await startStack(args.components, options);
  writeFileSync(stateFile, `${JSON.stringify(stack.state, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ stateFile, ...stack.state })}\n`);
}

async function status(): Promise<number> {
  const stateFile = join(stackDir(), 'state.json');
  const state = readState(stateFile);
  if (!state) {
    process.stdout.write('no stack is up\n');
    return 0;
  }
  let down = 0;
  for (const p of state.processes) {
    const alive = pidAlive(p.pid);
    if (!alive) down++;
    process.stdout.write(
      `${alive ? 'running' : 'STOPPED'}  ${p.name.padEnd(24)} pid ${String(p.pid).padEnd(8)} ${p.logFile}\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ stateFile, ...state })}\n`);
  return down === 0 ? 0 : 1;
}

async function downCommand(): Promise<void> {
  const dir = stackDir();
  const state = readState(join(dir, 'state.json'));
  if (!state) {
    process.stdout.write('no stack is up\n');
    return;
  }
  for (const p of [...state.processes].reverse()) {
    process.stderr.write(`stopping ${p.name} (pid ${p.pid})\n`);
    await stopPid(p.pid);
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`stopped ${state.processes.length} processes\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'build':
      await build(args.components);
      return 0;
    case 'up':
      await up(args);
      return 0;
    case 'status':
      return status();
    case 'down':
      await downCommand();
      return 0;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      throw new StackError('bad-state', `unknown command "${args.command}"\n\n${USAGE}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof StackError ? `error: ${error.message}` : String(error)}\n`);
      process.exit(error instanceof StackError && error.code !== 'build-failed' ? 2 : 1);
    },
  );
}
