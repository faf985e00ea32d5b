import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { logTail, pidAlive, startProcess, stopPid, waitUntil } from './managed-process.ts';
import { StackError } from './stack-error.ts';

let dir: string;
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'managed-process-test-'));
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

test('starts a process with its output in the log and stops it by pid', async () => {
  const p = startProcess({
    name: 'sleeper',
    command: 'sh',
    args: ['-c', 'echo hello; exec sleep 30'],
    logFile: join(dir, 'log'),
  });
  await waitUntil(async () => logTail(p.logFile) === 'hello', { what: 'hello', timeoutMs: 5000 });
  assert.ok(p.alive());
  assert.ok(pidAlive(p.pid));
  await p.stop();
  assert.not.ok(p.alive());
});

test('a process that ignores SIGTERM is killed after the grace period', async () => {
  const p = startProcess({
    name: 'stubborn',
    command: 'sh',
    args: ['-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'],
    logFile: join(dir, 'log'),
  });
  await waitUntil(async () => logTail(p.logFile) === 'ready', { what: 'ready', timeoutMs: 5000 });
  await p.stop(100);
  assert.not.ok(p.alive());
});

test('stopPid stops a process group it did not start', async () => {
  const p = startProcess({ name: 'orphan', command: 'sleep', args: ['30'], logFile: join(dir, 'log') });
  await stopPid(p.pid, 2000);
  await waitUntil(async () => !p.alive(), { what: 'exit', timeoutMs: 5000 });
  assert.not.ok(p.alive());
});

test('waitUntil fails fast with the log tail when the process dies', async () => {
  const p = startProcess({
    name: 'crasher',
    command: 'sh',
    args: ['-c', 'echo "bad flag --x"; exit 3'],
    logFile: join(dir, 'log'),
  });
  try {
    await waitUntil(async () => false, { what: 'readiness', timeoutMs: 10_000, process: p });
    assert.unreachable('should fail');
  } catch (error) {
    assert.instance(error, StackError);
    assert.is((error as StackError).code, 'start-failed');
    assert.ok((error as Error).message.startsWith('crasher exited before readiness; last lines of '));
    assert.ok((error as Error).message.endsWith('bad flag --x'));
  }
});

test('waitUntil times out naming what it waited for', async () => {
  try {
    await waitUntil(async () => false, { what: 'the moon', timeoutMs: 50, intervalMs: 10 });
    assert.unreachable('should time out');
  } catch (error) {
    assert.is((error as StackError).code, 'not-ready');
    assert.is((error as Error).message, 'timed out after 50 ms waiting for the moon');
  }
});

test('logTail of a missing file', () => {
  assert.is(logTail(join(dir, 'nope')), '(no log)');
});

test('a process this one started is killed when this one exits without stopping it', async () => {
  const script = `
    import { startProcess } from ${JSON.stringify(new URL('./managed-process.ts', import.meta.url).href)};
    const p = startProcess({ name: 'orphan', command: 'sleep', args: ['30'], logFile: ${JSON.stringify(join(dir, 'log'))} });
    console.log(p.pid);
    process.exit(3);
  `;
  const { execFileSync } = await import('node:child_process');
  let pid = 0;
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  } catch (error) {
    pid = Number((error as { stdout: string }).stdout.trim());
  }
  assert.ok(pid > 0);
  await waitUntil(async () => !pidAlive(pid), { what: 'the orphan to be gone', timeoutMs: 5000 });
  assert.not.ok(pidAlive(pid));
});

test.run();
