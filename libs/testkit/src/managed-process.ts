import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './stack-error.ts';

/** Time a process gets between SIGTERM and SIGKILL. */
export const STOP_GRACE_MS = 10_000;
const STOP_POLL_MS = 50;
const LOG_TAIL_LINES = 30;

export interface StartOptions {
  /** Short name for messages, e.g. "kube-apiserver". */
  name: string;
  command: string;
  args: readonly string[];
  /** stdout and stderr are appended here. */
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** True until the process has exited. */
  alive(): boolean;
  /** SIGTERM to the process group, SIGKILL after the grace period; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Processes started here and still running, for the exit hook. */
const running = new Set<number>();
let keepAfterExit = false;
let exitHooked = false;

/**
 * `npm run stack -- up` starts processes that must outlive it; everything
 * else (tests, the demo) wants its processes gone when it exits, even when it
 * crashes before its teardown ran.
 */
export function keepProcessesAfterExit(): void {
  keepAfterExit = true;
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    if (keepAfterExit) return;
    for (const pid of running) signalGroup(pid, 'SIGKILL');
  });
}

/**
 * Starts a process in its own process group with its output in a log file, so
 * it outlives the caller when the caller wants (`npm run stack -- up`) and can
 * be stopped by its pid alone (`down`, or a test's teardown). Never by name.
 */
export function startProcess(options: StartOptions): ManagedProcess {
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    throw new StackError('start-failed', `${options.name}: could not start ${options.command}`);
  }
  running.add(pid);
  hookExit();
  // The test runner stops, by pid, whatever a crashed test leaves behind (scripts/test.ts).
  const ledger = process.env.K8SLISTENER_PID_LEDGER;
  if (ledger) appendFileSync(ledger, `${pid}\n`);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      running.delete(pid);
      resolve();
    });
    child.once('error', () => {
      exited = true;
      resolve();
    });
  });
  child.unref();
  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    alive: () => !exited,
    stop: async (graceMs = STOP_GRACE_MS) => {
      if (exited) return;
      // Unref'd so a running process never keeps its starter alive, but a stop
      // must wait for the exit event.
      child.ref();
      signalGroup(pid, 'SIGTERM');
      // The grace timer must not keep the caller alive once the process is gone.
      const grace = new AbortController();
      const killed = await Promise.race([
        exit.then(() => true),
        sleep(graceMs, false, { signal: grace.signal }).catch(() => true),
      ]);
      grace.abort();
      if (!killed) {
        signalGroup(pid, 'SIGKILL');
        await exit;
      }
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** True when a process with this pid exists (a zombie counts until reaped). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stops a process this process did not start (e.g. one `up` left running) by
 * its pid: SIGTERM to its group, SIGKILL after the grace period.
 */
export async function stopPid(pid: number, graceMs = STOP_GRACE_MS): Promise<void> {
  if (!pidAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return;
    await sleep(STOP_POLL_MS);
  }
  signalGroup(pid, 'SIGKILL');
  while (pidAlive(pid)) await sleep(STOP_POLL_MS);
}

/** The last lines of a log file, for error messages. */
export function logTail(logFile: string, lines = LOG_TAIL_LINES): string {
  if (!existsSync(logFile)) return '(no log)';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export interface WaitOptions {
  /** What is awaited, for the error message, e.g. "kube-apiserver /readyz". */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Fails fast, with the log's tail, when the process dies while we wait. */
  process?: ManagedProcess;
}

/** Polls `check` until it returns true; a StackError with the log tail on timeout or death. */
export async function waitUntil(check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 200;
  for (;;) {
    if (options.process && !options.process.alive()) {
      throw new StackError(
        'start-failed',
        `${options.process.name} exited before ${options.what}; last lines of ${options.process.logFile}:\n${logTail(options.process.logFile)}`,
      );
    }
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      const tail = options.process
        ? `; last lines of ${options.process.logFile}:\n${logTail(options.process.logFile)}`
        : '';
      throw new StackError(
        'not-ready',
        `timed out after ${options.timeoutMs} ms waiting for ${options.what}${tail}`,
      );
    }
    await sleep(interval);
  }
}
