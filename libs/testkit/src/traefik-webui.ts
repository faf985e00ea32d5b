import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { Progress } from './build-cache.ts';
import { runCommand } from './run-command.ts';
import { StackError } from './stack-error.ts';
import { requireTool } from './tools.ts';

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Yarn's own package on the npm registry: the yarn release as one JavaScript file, run with Node. */
const YARN_PACKAGE = '@yarnpkg/cli-dist';

/**
 * The yarn release a package.json asks for in `packageManager`
 * (`yarn@4.9.1`, optionally with a `+sha512.…` suffix).
 */
export function yarnVersionOf(packageJson: unknown): Parsed<string> {
  const field =
    typeof packageJson === 'object' && packageJson !== null
      ? (packageJson as Record<string, unknown>).packageManager
      : undefined;
  if (typeof field !== 'string')
    return { ok: false, errors: ['packageManager: missing, expected "yarn@X.Y.Z"'] };
  const match = /^yarn@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\+[0-9A-Za-z.]+)?$/.exec(field);
  if (!match?.[1]) return { ok: false, errors: [`packageManager: "${field}" is not "yarn@X.Y.Z"`] };
  return { ok: true, value: match[1] };
}

/**
 * The module scripts a built index.html loads (`./assets/index-…js`), relative
 * to the directory it is in. The unbuilt index.html loads `/src/index.tsx`;
 * that and absolute or remote URLs are not built assets and are left out.
 */
export function builtScriptPaths(indexHtml: string): string[] {
  const paths: string[] = [];
  for (const tag of indexHtml.matchAll(/<script\b[^>]*>/g)) {
    const src = /\ssrc="([^"]+)"/.exec(tag[0])?.[1];
    if (src === undefined || !src.endsWith('.js') || /^[a-z]+:|^\/\//i.test(src) || src.startsWith('/'))
      continue;
    paths.push(src.replace(/^\.\//, ''));
  }
  return paths;
}

/** The registry URL in the output of `npm config get registry`, which may carry npm's warnings. */
export function registryFromNpmOutput(output: string): string | undefined {
  return output
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /^https?:\/\/\S+$/.test(line));
}

/**
 * Copies Traefik's module source (read-only in the module cache) into
 * `buildDir/source`, builds its web UI into `webui/static` — which
 * `webui/embed.go` embeds, and which the module zip ships only as a placeholder —
 * and returns the copy's directory for the Go build to use instead of the module.
 *
 * The UI is built the way upstream does it: yarn (the release its package.json
 * names, taken from the npm registry) installs exactly its yarn.lock with
 * install scripts disabled (its .yarnrc.yml), then `yarn build` runs vite.
 */
export async function buildTraefikWebUi(
  moduleDir: string,
  buildDir: string,
  progress: Progress,
): Promise<string> {
  const source = join(buildDir, 'source');
  progress('  copying the Traefik module source (for its web UI)');
  removeTree(source);
  cpSync(moduleDir, source, { recursive: true });
  makeWritable(source);
  const webui = join(source, 'webui');
  const yarnVersion = yarnVersionOf(JSON.parse(readFileSync(join(webui, 'package.json'), 'utf8')));
  if (!yarnVersion.ok) {
    throw new StackError(
      'build-failed',
      `Traefik web UI: webui/package.json ${yarnVersion.errors.join('; ')}`,
    );
  }

  // The tests may run on Bun; yarn and vite run on Node.
  const node = process.versions.bun ? requireTool('node', 'building the Traefik web UI') : process.execPath;
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
  const npm = requireTool('npm', 'building the Traefik web UI (it fetches yarn)', env);
  const tar = requireTool('tar', 'building the Traefik web UI (it unpacks yarn)', env);

  const yarnDir = join(buildDir, 'yarn');
  rmSync(yarnDir, { recursive: true, force: true });
  mkdirSync(yarnDir, { recursive: true });
  progress(`  fetching yarn ${yarnVersion.value} (${YARN_PACKAGE})`);
  await runCommand(
    npm,
    ['pack', `${YARN_PACKAGE}@${yarnVersion.value}`, '--pack-destination', yarnDir, '--loglevel=error'],
    { cwd: yarnDir, env, step: `npm pack ${YARN_PACKAGE}@${yarnVersion.value}` },
  );
  const tarball = readdirSync(yarnDir).find((name) => name.endsWith('.tgz'));
  if (!tarball)
    throw new StackError('build-failed', `npm pack ${YARN_PACKAGE} left no tarball in ${yarnDir}`);
  await runCommand(tar, ['xzf', tarball], { cwd: yarnDir, env, step: `unpacking ${tarball}` });
  const yarn = join(yarnDir, 'package', 'bin', 'yarn.js');

  // yarn fetches from the registry npm is configured with (a mirror, if any);
  // yarn.lock pins versions and checksums, whichever registry serves them.
  const registry = registryFromNpmOutput(
    await runCommand(npm, ['config', 'get', 'registry', '--loglevel=error'], {
      cwd: webui,
      env,
      step: 'npm config get registry',
    }),
  );
  const yarnEnv = {
    ...env,
    ...(registry ? { YARN_NPM_REGISTRY_SERVER: registry } : {}),
    YARN_ENABLE_GLOBAL_CACHE: 'false',
    YARN_CACHE_FOLDER: join(yarnDir, 'cache'),
    YARN_ENABLE_TELEMETRY: '0',
    YARN_ENABLE_PROGRESS_BARS: 'false',
    // Hardened mode (on by default in pull requests on GitHub) re-resolves the
    // whole lockfile against the registry; the checksums in yarn.lock are checked either way.
    YARN_ENABLE_HARDENED_MODE: '0',
    // As upstream's webui/buildx.Dockerfile: assets relative to /dashboard/, API under /api.
    VITE_APP_BASE_URL: '',
    VITE_APP_BASE_API_URL: '/api',
  };
  progress('  installing the web UI dependencies (yarn install --immutable)');
  await runCommand(node, [yarn, 'install', '--immutable'], {
    cwd: webui,
    env: yarnEnv,
    step: 'yarn install for the Traefik web UI',
  });
  progress('  building the web UI (yarn build: vite)');
  await runCommand(node, [yarn, 'build'], {
    cwd: webui,
    env: yarnEnv,
    step: 'yarn build for the Traefik web UI',
  });

  const staticDir = join(webui, 'static');
  const indexFile = join(staticDir, 'index.html');
  const scripts = existsSync(indexFile) ? builtScriptPaths(readFileSync(indexFile, 'utf8')) : [];
  const missing = scripts.filter((path) => !existsSync(join(staticDir, path)));
  if (scripts.length === 0 || missing.length > 0) {
    throw new StackError(
      'build-failed',
      `the Traefik web UI build did not produce a usable ${indexFile} (scripts: ${scripts.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'})`,
    );
  }
  // Hundreds of megabytes the Go build does not need.
  rmSync(join(webui, 'node_modules'), { recursive: true, force: true });
  rmSync(yarnDir, { recursive: true, force: true });
  return source;
}

/** Module cache files and directories are read-only; the copy must be writable to build in and to remove. */
function makeWritable(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  chmodSync(path, stat.mode | 0o200);
  if (stat.isDirectory()) for (const name of readdirSync(path)) makeWritable(join(path, name));
}

/** Removes a copy a failed earlier build left, read-only parts included. */
function removeTree(path: string): void {
  if (!existsSync(path)) return;
  makeWritable(path);
  rmSync(path, { recursive: true, force: true });
}
