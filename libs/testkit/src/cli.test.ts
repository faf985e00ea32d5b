import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseArgs, stackDir } from './cli.ts';

test('up with components and ports', () => {
  assert.equal(parseArgs(['up', 'traefik', '--port', 'traefik=8081', '--port=traefikApi=8080']), {
    command: 'up',
    components: ['traefik'],
    ports: { traefik: 8081, traefikApi: 8080 },
  });
});

test('no arguments is help', () => {
  assert.is(parseArgs([]).command, 'help');
});

test('bad --port values and unknown options are refused with what is wrong', () => {
  for (const [argv, start] of [
    [
      ['up', '--port', 'etcd=1'],
      '--port wants name=N with name one of apiserver, traefik, traefikApi, opensearch, elasticsearch',
    ],
    [['up', '--port', 'traefik=0'], '--port wants name=N'],
    [['up', '--port', 'traefik=70000'], '--port wants name=N'],
    [['up', '--port'], '--port wants name=N'],
    [['up', '--verbose'], 'unknown option "--verbose"'],
  ] as const) {
    try {
      parseArgs(argv);
      assert.unreachable(argv.join(' '));
    } catch (error) {
      assert.ok((error as Error).message.startsWith(start), (error as Error).message);
    }
  }
});

test('stack directory comes from K8SLISTENER_STACK_DIR, else .stack in the repository', () => {
  assert.is(stackDir({ K8SLISTENER_STACK_DIR: '/tmp/s' }), '/tmp/s');
  assert.ok(stackDir({}).endsWith('/.stack'));
});

test.run();
