// Runs before `npm test` and `npm run demo` (pretest, predemo), on whatever
// Node the machine has: plain JavaScript, no TypeScript. Installs the
// project's dependencies — including the project's own Node and Bun — when
// they are missing or older than package-lock.json, so a fresh clone needs
// only the README's two commands.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
const projectNode = join(root, 'node_modules', 'node', 'bin', 'node');

const stale = !existsSync(installed) || !existsSync(projectNode) || statSync(lock).mtimeMs > statSync(installed).mtimeMs;
if (stale) {
  process.stderr.write('k8slistener: installing dependencies (npm ci), including the project\'s own Node and Bun…\n');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('k8slistener: npm ci failed; see its output above\n');
    process.exit(result.status ?? 1);
  }
}
