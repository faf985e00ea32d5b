import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, type Progress } from './build-cache.ts';
import { runCommand } from './run-command.ts';
import { requireTool } from './tools.ts';

interface GoModJson {
  Replace?: { Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }[];
  Exclude?: { Path: string; Version: string }[];
}

export interface GoBinary {
  /** File name in the cache directory. */
  name: string;
  /** Import path of the main package. */
  pkg: string;
}

export interface GoBuildSpec {
  /** Cache sub-directory, e.g. "kubernetes-v1.36.3". */
  key: string;
  label: string;
  /** The module whose commands are built, e.g. "k8s.io/kubernetes". */
  module: string;
  version: string;
  binaries: readonly GoBinary[];
  /** `-ldflags` for every binary (version stamping). */
  ldflags?: string;
  /**
   * What to do with a `replace` of the module that points at a relative path
   * (not in the module zip): return a published module version to use instead,
   * e.g. k8s.io/api => k8s.io/api v0.36.3.
   */
  replaceRelative?: (oldPath: string) => string | undefined;
  /**
   * Builds from a prepared copy of the module instead of the module cache, for
   * files the module zip lacks (Traefik's built web UI): gets the module's
   * read-only directory and the build directory, returns the copy's directory,
   * which the wrapper module replaces the module with.
   */
  prepareSource?: (moduleDir: string, buildDir: string, progress: Progress) => Promise<string>;
}

/**
 * Builds commands of a Go module that `go install` refuses (because its go.mod
 * has replace or exclude lines): a small wrapper module requires it, repeats
 * its replace and exclude lines (relative replaces mapped to published
 * versions), blank-imports the commands, and `go build`s them.
 */
export function ensureGoBinaries(cache: string, spec: GoBuildSpec, progress?: Progress): Promise<string> {
  const go = requireTool('go', `building ${spec.label}`);
  return ensureBuilt({
    dir: join(cache, spec.key),
    label: spec.label,
    ...(progress ? { progress } : {}),
    build: async (dir, report) => {
      const work = join(dir, 'module');
      mkdirSync(work, { recursive: true });
      const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto' };
      report(`  fetching ${spec.module}@${spec.version} go.mod`);
      const download = await runCommand(go, ['mod', 'download', '-json', `${spec.module}@${spec.version}`], {
        cwd: work,
        env,
        step: `go mod download ${spec.module}@${spec.version}`,
      });
      const { GoMod: goModPath, Dir: moduleDir } = JSON.parse(download) as { GoMod: string; Dir: string };
      const upstream = JSON.parse(
        await runCommand(go, ['mod', 'edit', '-json', goModPath], {
          cwd: work,
          env,
          step: 'go mod edit -json',
        }),
      ) as GoModJson;
      const localSource = spec.prepareSource ? await spec.prepareSource(moduleDir, dir, report) : undefined;
      writeFileSync(join(work, 'go.mod'), wrapperGoMod(spec, upstream, localSource));
      writeFileSync(
        join(work, 'tools.go'),
        `//go:build tools\n\npackage tools\n\nimport (\n${spec.binaries.map((b) => `\t_ "${b.pkg}"`).join('\n')}\n)\n`,
      );
      report('  resolving dependencies (go mod tidy)');
      await runCommand(go, ['mod', 'tidy'], { cwd: work, env, step: `go mod tidy for ${spec.label}` });
      for (const binary of spec.binaries) {
        report(`  compiling ${binary.name}`);
        await runCommand(
          go,
          [
            'build',
            '-trimpath',
            '-ldflags',
            `-s -w ${spec.ldflags ?? ''}`,
            '-o',
            join(dir, binary.name),
            binary.pkg,
          ],
          { cwd: work, env, step: `go build ${binary.pkg}` },
        );
      }
    },
  });
}

export function wrapperGoMod(
  spec: Pick<GoBuildSpec, 'module' | 'version' | 'replaceRelative'>,
  upstream: GoModJson,
  /** A local copy of the module to build instead of the published one. */
  localSource?: string,
): string {
  const replaces: string[] = [];
  for (const { Old, New } of upstream.Replace ?? []) {
    const old = Old.Version ? `${Old.Path} ${Old.Version}` : Old.Path;
    if (New.Path.startsWith('.') || New.Path.startsWith('/')) {
      const mapped = spec.replaceRelative?.(Old.Path);
      if (mapped) replaces.push(`\t${old} => ${mapped}`);
    } else {
      replaces.push(`\t${old} => ${New.Path}${New.Version ? ` ${New.Version}` : ''}`);
    }
  }
  // go.mod needs a quoted path when it has spaces (a cache under such a home directory).
  if (localSource !== undefined) {
    replaces.push(
      `\t${spec.module} => ${/[\s"]/.test(localSource) ? JSON.stringify(localSource) : localSource}`,
    );
  }
  const excludes = (upstream.Exclude ?? []).map((e) => `exclude ${e.Path} ${e.Version}`);
  return [
    'module k8slistener.local/build',
    '',
    'go 1.24',
    '',
    `require ${spec.module} ${spec.version}`,
    '',
    ...(replaces.length > 0 ? ['replace (', ...replaces, ')', ''] : []),
    ...excludes,
    '',
  ].join('\n');
}

/** `go install module/cmd@version` into the cache, for modules without replace lines (kwok). */
export function ensureGoInstalled(
  cache: string,
  spec: {
    key: string;
    label: string;
    pkg: string;
    version: string;
    name: string;
    /** Extra files to keep beside the binary, given the module's source directory. */
    afterInstall?: (moduleDir: string, dir: string) => void;
  },
  progress?: Progress,
): Promise<string> {
  const go = requireTool('go', `building ${spec.label}`);
  return ensureBuilt({
    dir: join(cache, spec.key),
    label: spec.label,
    ...(progress ? { progress } : {}),
    build: async (dir) => {
      await runCommand(go, ['install', '-trimpath', '-ldflags', '-s -w', `${spec.pkg}@${spec.version}`], {
        env: { ...process.env, GOBIN: dir, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto' },
        step: `go install ${spec.pkg}@${spec.version}`,
      });
      if (spec.afterInstall) {
        const module = spec.pkg.split('/cmd/')[0] ?? spec.pkg;
        const download = await runCommand(go, ['mod', 'download', '-json', `${module}@${spec.version}`], {
          step: `go mod download ${module}@${spec.version}`,
        });
        spec.afterInstall((JSON.parse(download) as { Dir: string }).Dir, dir);
      }
    },
  });
}
