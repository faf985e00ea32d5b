import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where built binaries and downloaded servers live, outside the repository so
 * every clone and every run reuses them: $K8SLISTENER_CACHE, else
 * $XDG_CACHE_HOME/k8slistener, else ~/.cache/k8slistener. Entries are keyed
 * by component and version (e.g. `kubernetes-v1.36.3/`).
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.K8SLISTENER_CACHE) return env.K8SLISTENER_CACHE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'k8slistener');
}
