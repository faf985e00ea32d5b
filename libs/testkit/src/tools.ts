import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { StackError } from './stack-error.ts';

/** The absolute path of an executable on PATH, or undefined. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const INSTALL_HINTS: Record<string, string> = {
  go: 'install a Go toolchain (1.24 or newer; newer toolchains a module asks for are fetched through the Go module proxy), e.g. `apt-get install golang-go`, and put `go` on PATH',
  java: 'install a JDK 17 or newer, e.g. `apt-get install openjdk-17-jdk-headless`, or set JAVA_HOME',
  mvn: 'install Apache Maven, e.g. `apt-get install maven`; it fetches the OpenSearch and Elasticsearch runners from Maven Central',
  openssl: 'install OpenSSL, e.g. `apt-get install openssl`',
};

/** The path of a required tool, or a missing-tool StackError that says how to get it. */
export function requireTool(name: string, neededFor: string, env: NodeJS.ProcessEnv = process.env): string {
  const found = findExecutable(name, env);
  if (found) return found;
  const hint = INSTALL_HINTS[name] ?? `install ${name} and put it on PATH`;
  throw new StackError('missing-tool', `${neededFor} needs \`${name}\`, which is not on PATH: ${hint}`);
}
