import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StackError } from './stack-error.ts';
import { findExecutable, requireTool } from './tools.ts';

test('findExecutable finds sh on PATH and nothing on an empty PATH', () => {
  assert.ok(findExecutable('sh')?.endsWith('/sh'));
  assert.is(findExecutable('sh', { PATH: '' }), undefined);
});

test('requireTool says what needs the tool and how to install it', () => {
  for (const [tool, hint] of [
    ['go', 'install a Go toolchain'],
    ['java', 'install a JDK 17 or newer'],
    ['mvn', 'install Apache Maven'],
    ['weird-tool', 'install weird-tool and put it on PATH'],
  ] as const) {
    try {
      requireTool(tool, 'building Traefik', { PATH: '/nonexistent' });
      assert.unreachable(`${tool} should be missing`);
    } catch (error) {
      assert.instance(error, StackError);
      assert.is((error as StackError).code, 'missing-tool');
      assert.ok(
        (error as Error).message.startsWith(
          `building Traefik needs \`${tool}\`, which is not on PATH: ${hint}`,
        ),
      );
    }
  }
});

test.run();
