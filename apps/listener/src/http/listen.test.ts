import { createServer } from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listen } from './listen.ts';

test('binds a free port, reports it, and closes even with a keep-alive connection open', async () => {
  const server = createServer((_req, res) => res.end('ok'));
  const bound = await listen(server, '127.0.0.1', 0);
  assert.ok(bound.port > 0);
  const res = await fetch(`http://127.0.0.1:${bound.port}/`, { headers: { connection: 'keep-alive' } });
  assert.is(await res.text(), 'ok');
  await bound.close();
  assert.is(server.listening, false);
});

test('a port in use is a rejection naming EADDRINUSE', async () => {
  const first = await listen(createServer(), '127.0.0.1', 0);
  try {
    await listen(createServer(), '127.0.0.1', first.port);
    assert.unreachable('the second bind should fail');
  } catch (error) {
    assert.is((error as NodeJS.ErrnoException).code, 'EADDRINUSE');
  } finally {
    await first.close();
  }
});

test.run();
