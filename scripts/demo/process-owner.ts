import { existsSync, readFileSync } from 'node:fs';
import { pidAlive, stopPid } from '@k8slistener/testkit';

/** How many rounds of stopping leftover pids before giving up and naming them. */
const MAX_SWEEP_ROUNDS = 5;

export interface ProcessOwner {
  /** Registers a started component: how to stop it, and the pids that stop takes care of. */
  own(name: string, stop: () => Promise<void>, pids: readonly number[]): void;
  /** True once stopAll has begun: no new step should start. */
  stopping(): boolean;
  /**
   * Stops every owned component, newest first, then by pid whatever the pid
   * ledger lists that is still alive (a component interrupted while it was
   * starting never returned its stop function). Resolves with the pids it
   * could not stop. Safe to call more than once: later calls share the first.
   */
  stopAll(report: (line: string) => void): Promise<number[]>;
}

/**
 * Owns everything the demo starts. Every process the testkit starts appends
 * its pid to `ledgerFile` (K8SLISTENER_PID_LEDGER), so even a Ctrl-C in the
 * middle of `startKubernetes` leaves nothing behind: the ledger names what the
 * interrupted step had started, and it is stopped by pid, never by name.
 */
export function createProcessOwner(ledgerFile: string): ProcessOwner {
  const owned: { name: string; stop: () => Promise<void>; pids: readonly number[] }[] = [];
  let stopped: Promise<number[]> | undefined;

  const ledgerPids = (): number[] =>
    existsSync(ledgerFile)
      ? readFileSync(ledgerFile, 'utf8')
          .split('\n')
          .map((line) => Number(line.trim()))
          .filter((pid) => Number.isSafeInteger(pid) && pid > 0)
      : [];

  const stopAll = async (report: (line: string) => void): Promise<number[]> => {
    const done = new Set<number>();
    for (const component of [...owned].reverse()) {
      report(`stopping ${component.name}`);
      try {
        await component.stop();
      } catch (error) {
        report(`  stopping ${component.name} failed: ${String(error)}; stopping its pids directly`);
        for (const pid of component.pids) await stopPid(pid);
      }
      for (const pid of component.pids) done.add(pid);
    }
    // Stopped components' pids are skipped, so a pid reused by an unrelated process is never signalled.
    for (let round = 0; round < MAX_SWEEP_ROUNDS; round++) {
      const left = ledgerPids().filter((pid) => !done.has(pid) && pidAlive(pid));
      if (left.length === 0) return [];
      for (const pid of left) {
        report(`stopping pid ${pid} (started by an interrupted step)`);
        await stopPid(pid);
        done.add(pid);
      }
    }
    return ledgerPids().filter((pid) => !done.has(pid) && pidAlive(pid));
  };

  return {
    own: (name, stop, pids) => {
      owned.push({ name, stop, pids });
    },
    stopping: () => stopped !== undefined,
    stopAll: (report) => {
      stopped ??= stopAll(report);
      return stopped;
    },
  };
}
