import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { kubeRequest } from '../src/kube-http.ts';
import { pidAlive } from '../src/managed-process.ts';
import { freePort } from '../src/ports.ts';
import type { StackState } from '../src/stack.ts';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
let stackDir: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, K8SLISTENER_STACK_DIR: stackDir }, timeout: 600_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test.before(() => {
  stackDir = mkdtempSync(join(tmpdir(), 'stack-cli-'));
});

test.after(async () => {
  // If an assertion failed mid-way, still leave nothing behind.
  await cli(['down']);
  rmSync(stackDir, { recursive: true, force: true });
});

test('an unknown component is refused with the list of components, exit 2', async () => {
  const result = await cli(['up', 'kube', 'redis']);
  assert.is(result.code, 2);
  assert.is(
    result.stderr.trim(),
    'error: unknown component "redis"; components are: kube, controllers, traefik, opensearch, elasticsearch, doubles',
  );
});

test('a port in use is refused, naming the port and its holder', async () => {
  const port = await freePort();
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  try {
    const result = await cli(['up', 'traefik', '--port', `traefik=${port}`]);
    assert.is(result.code, 2);
    assert.ok(
      (result.stderr.trim().split('\n').at(-1) ?? '').startsWith(
        `error: port ${port} on 127.0.0.1 wanted by Traefik grpc entrypoint is already in use`,
      ),
      result.stderr,
    );
  } finally {
    holder.close();
  }
});

test('up starts every component for real, status sees them, down leaves no process behind', async () => {
  const up = await cli(['up']);
  assert.is(up.code, 0, up.stderr);
  const lines = up.stdout.trim().split('\n');
  assert.is(lines.length, 1, 'up prints exactly one line');
  const state = JSON.parse(lines[0] ?? '') as StackState & { stateFile: string };
  assert.equal(
    state.processes.map((p) => p.name),
    [
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'kwok',
      'traefik',
      'opensearch',
      'elasticsearch',
      'channel-doubles',
    ],
  );
  assert.ok(state.processes.every((p) => pidAlive(p.pid)));

  // Each endpoint answers.
  const kubeconfig = parse(readFileSync(state.kube?.kubeconfigs['expert@org.com'] ?? '', 'utf8')) as {
    users: { user: { token: string } }[];
  };
  const ca = readFileSync(state.kube?.caFile ?? '', 'utf8');
  const readyz = await kubeRequest(
    { server: state.kube?.server ?? '', ca },
    kubeconfig.users[0]?.user.token ?? '',
    'GET',
    '/readyz',
  );
  assert.is(readyz.status, 200);
  assert.is((await fetch(`${state.traefik?.api}/ping`)).status, 200);
  const os = (await (await fetch(state.opensearch?.url ?? '')).json()) as {
    version: { distribution?: string; number: string };
  };
  assert.is(os.version.distribution, 'opensearch');
  assert.is(os.version.number, '2.19.1');
  const es = (await (await fetch(state.elasticsearch?.url ?? '')).json()) as { version: { number: string } };
  assert.is(es.version.number, '7.10.2');
  const slack = await fetch(state.doubles?.slack ?? '', {
    method: 'POST',
    body: JSON.stringify({ text: 'hi' }),
  });
  assert.is(slack.status, 200);
  assert.is(await slack.text(), 'ok');

  const status = await cli(['status']);
  assert.is(status.code, 0);
  assert.is(status.stdout.split('\n').filter((l) => l.startsWith('running')).length, 9);

  const again = await cli(['up', 'traefik']);
  assert.is(again.code, 2);
  assert.ok(again.stderr.includes('a stack is already up'));

  const down = await cli(['down']);
  assert.is(down.code, 0);
  assert.is(down.stdout.trim(), 'stopped 9 processes');
  assert.equal(
    state.processes.filter((p) => pidAlive(p.pid)).map((p) => p.name),
    [],
  );
  assert.not.ok(existsSync(join(stackDir, 'state.json')));
  assert.is((await cli(['status'])).stdout.trim(), 'no stack is up');
});

test.run();
