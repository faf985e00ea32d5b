import { createServer } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensurePortFree, freePort, freePorts } from './ports.ts';
import { StackError } from './stack-error.ts';

test('freePorts gives distinct bindable ports', async () => {
  const ports = await freePorts(3);
  assert.is(new Set(ports).size, 3);
  for (const port of ports) await ensurePortFree(port, 'test');
});

test('ensurePortFree names the port, who wanted it and what to do', async () => {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  try {
    await ensurePortFree(port, 'kube-apiserver');
    assert.unreachable('port is taken');
  } catch (error) {
    assert.instance(error, StackError);
    assert.is((error as StackError).code, 'port-in-use');
    assert.ok(
      (error as Error).message.startsWith(
        `port ${port} on 127.0.0.1 wanted by kube-apiserver is already in use`,
      ),
    );
  } finally {
    server.close();
  }
});

test.run();
