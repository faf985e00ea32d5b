import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, formatSeconds } from './build-cache.ts';

let root: string;
test.before.each(() => {
  root = mkdtempSync(join(tmpdir(), 'build-cache-test-'));
});
test.after.each(() => rmSync(root, { recursive: true, force: true }));

test('builds once and reuses the result', async () => {
  let builds = 0;
  const lines: string[] = [];
  const spec = {
    dir: join(root, 'thing-v1'),
    label: 'thing v1',
    build: async (dir: string) => {
      builds++;
      writeFileSync(join(dir, 'bin'), 'x');
    },
    progress: (line: string) => lines.push(line),
  };
  assert.is(await ensureBuilt(spec), join(root, 'thing-v1'));
  assert.is(await ensureBuilt(spec), join(root, 'thing-v1'));
  assert.is(builds, 1);
  assert.ok(existsSync(join(root, 'thing-v1', 'bin')));
  assert.ok(lines[0]?.startsWith('building thing v1 into '));
  assert.ok(/^built thing v1 in \d+s$/.test(lines.at(-1) ?? ''));
});

test('a failed build leaves no marker, releases the lock and is retried', async () => {
  let attempts = 0;
  const spec = {
    dir: join(root, 'flaky'),
    label: 'flaky',
    progress: () => {},
    build: async () => {
      attempts++;
      if (attempts === 1) throw new Error('network hiccup');
    },
  };
  try {
    await ensureBuilt(spec);
    assert.unreachable('first build should fail');
  } catch (error) {
    assert.is((error as Error).message, 'network hiccup');
  }
  assert.not.ok(existsSync(join(root, 'flaky', '.complete')));
  assert.not.ok(existsSync(join(root, 'flaky', '.lock')));
  await ensureBuilt(spec);
  assert.is(attempts, 2);
});

test('two concurrent callers build once', async () => {
  let builds = 0;
  const spec = {
    dir: join(root, 'shared'),
    label: 'shared',
    progress: () => {},
    build: async () => {
      builds++;
      await new Promise((r) => setTimeout(r, 50));
    },
  };
  await Promise.all([ensureBuilt(spec), ensureBuilt(spec)]);
  assert.is(builds, 1);
});

test('formatSeconds', () => {
  assert.is(formatSeconds(4_400), '4s');
  assert.is(formatSeconds(59_600), '1m00s');
  assert.is(formatSeconds(361_000), '6m01s');
});

test.run();
