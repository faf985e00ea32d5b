// The owner's requirement that every app also runs under Bun, checked for
// real: the whole end-to-end listener test again, with the listener process
// on Bun (the test itself stays on Node).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const BUN = fileURLToPath(new URL('../../../node_modules/.bin/bun', import.meta.url));
const SUITE = fileURLToPath(new URL('./listener.itest.ts', import.meta.url));

test('the end-to-end listener test passes with the listener running on Bun', () => {
  const run = spawnSync(process.execPath, [SUITE], {
    env: { ...process.env, LISTENER_RUNTIME: BUN, FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  const output = `${run.stdout}${run.stderr}`;
  const total = /Total:\s+(\d+)/.exec(output)?.[1];
  const passed = /Passed:\s+(\d+)/.exec(output)?.[1];
  assert.is(run.status, 0, output);
  assert.ok(total !== undefined && total === passed && Number(total) > 0, output);
});

test.run();
