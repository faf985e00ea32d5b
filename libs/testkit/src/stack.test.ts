import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COMPONENTS, parseComponents } from './stack.ts';
import { StackError } from './stack-error.ts';

test('no names means every component', () => {
  assert.equal(parseComponents([]), [...COMPONENTS]);
});

test('controllers brings the API server with it; order is the start order', () => {
  assert.equal(parseComponents(['doubles', 'controllers']), ['kube', 'controllers', 'doubles']);
});

test('unknown components are named, with the list of known ones', () => {
  for (const [names, message] of [
    [
      ['kubernetes'],
      'unknown component "kubernetes"; components are: kube, controllers, traefik, opensearch, elasticsearch, doubles',
    ],
    [
      ['kube', 'es', 'slack'],
      'unknown components "es", "slack"; components are: kube, controllers, traefik, opensearch, elasticsearch, doubles',
    ],
  ] as const) {
    try {
      parseComponents(names);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, StackError);
      assert.is((error as StackError).code, 'unknown-component');
      assert.is((error as Error).message, message);
    }
  }
});

test.run();
