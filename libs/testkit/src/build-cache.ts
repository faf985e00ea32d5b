import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How often a running build reports that it is still busy. */
export const PROGRESS_INTERVAL_MS = 15_000;
/** A lock older than this belongs to a build that died; it is taken over. */
const STALE_LOCK_MS = 3 * 60 * 60 * 1000;
const LOCK_POLL_MS = 1000;
const COMPLETE_MARKER = '.complete';

export type Progress = (line: string) => void;

/** Writes progress to stderr, so `up`'s one JSON line on stdout stays clean. */
export const stderrProgress: Progress = (line) => process.stderr.write(`${line}\n`);

export interface CachedBuild {
  /** Directory under the cache, named by component and version. */
  dir: string;
  /** For messages: "kube-apiserver v1.36.3". */
  label: string;
  /** Fills `dir`. Runs at most once per dir; a failed build leaves no marker and is retried next time. */
  build: (dir: string, progress: Progress) => Promise<void>;
  progress?: Progress;
}

/**
 * Runs `build` unless a previous run completed it, guarded by a lock so two
 * test processes never build the same thing at once. Reports progress while it
 * runs and the build time at the end.
 */
export async function ensureBuilt({
  dir,
  label,
  build,
  progress = stderrProgress,
}: CachedBuild): Promise<string> {
  if (existsSync(join(dir, COMPLETE_MARKER))) return dir;
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, '.lock');
  await acquireLock(lock, label, progress);
  try {
    if (existsSync(join(dir, COMPLETE_MARKER))) return dir;
    const started = Date.now();
    progress(`building ${label} into ${dir} (first run only; later runs reuse it)`);
    const ticker = setInterval(
      () => progress(`  still building ${label}: ${formatSeconds(Date.now() - started)} so far`),
      PROGRESS_INTERVAL_MS,
    );
    ticker.unref();
    try {
      await build(dir, progress);
    } finally {
      clearInterval(ticker);
    }
    writeFileSync(join(dir, COMPLETE_MARKER), new Date().toISOString());
    progress(`built ${label} in ${formatSeconds(Date.now() - started)}`);
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function acquireLock(lock: string, label: string, progress: Progress): Promise<void> {
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
    } catch {
      continue;
    }
    if (!announced) {
      progress(`waiting for another process that is building ${label}`);
      announced = true;
    }
    await sleep(LOCK_POLL_MS);
  }
}

export function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60
    ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
    : `${seconds}s`;
}
