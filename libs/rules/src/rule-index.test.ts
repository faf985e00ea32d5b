import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileRule } from './compile-rule.ts';
import { actor, kubeEvent } from './event-fixture.ts';
import { RuleIndex } from './rule-index.ts';
import type { CompiledRule } from './rule-types.ts';

function rule(name: string, match: unknown, options: { namespace?: string; destinations?: unknown[] } = {}) {
  const result = compileRule({
    apiVersion: 'k8slistener.io/v1alpha1',
    kind: options.namespace === undefined ? 'ClusterEventRule' : 'EventRule',
    metadata: { name, namespace: options.namespace },
    spec: { match, destinations: options.destinations ?? [{ type: 'elastic', target: 'k8s-events' }] },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.rule;
}

function matchedKeys(index: RuleIndex, event = kubeEvent()): string[] {
  return index.match(event).map((m) => `${m.rule.key}#${m.destinationIndex}`);
}

// [rule match, event overrides, matches?]
const SEMANTICS: [string, unknown, Parameters<typeof kubeEvent>[0], boolean][] = [
  ['empty match', {}, {}, true],
  ['source Event', { sources: ['Event'] }, {}, true],
  ['source Rollout', { sources: ['Rollout'] }, {}, false],
  ['source Rollout on a rollout', { sources: ['Rollout'] }, { source: 'SOURCE_ROLLOUT' }, true],
  ['source Change on a change', { sources: ['Change', 'Event'] }, { source: 'SOURCE_CHANGE' }, true],
  [
    'unspecified source only matches rules without sources',
    { sources: ['Event'] },
    { source: 'SOURCE_UNSPECIFIED' },
    false,
  ],
  ['type Warning', { types: ['Warning'] }, { type: 'EVENT_TYPE_WARNING' }, true],
  ['type Warning on Normal', { types: ['Warning'] }, {}, false],
  ['kinds exact', { kinds: ['Deployment'] }, {}, true],
  ['kinds case-sensitive', { kinds: ['deployment'] }, {}, false],
  ['namespaces', { namespaces: ['shop', 'web'] }, {}, true],
  ['namespaces other', { namespaces: ['kube-system'] }, {}, false],
  ['reasons', { reasons: ['ScalingReplicaSet'] }, {}, true],
  ['reasons other', { reasons: ['BackOff'] }, {}, false],
  ['users exact', { users: ['expert@org.com'] }, { actor: actor('expert@org.com') }, true],
  ['users other', { users: ['expert@org.com'] }, { actor: actor('other@org.com') }, false],
  ['users glob', { users: ['*@org.com'] }, { actor: actor('other@org.com') }, true],
  ['users without actor', { users: ['*'] }, { actor: null }, false],
  ['users with empty username', { users: ['*'] }, { actor: actor('') }, false],
  ['label selector', { labelSelector: { matchLabels: { app: 'shop' } } }, {}, true],
  ['label selector other', { labelSelector: { matchLabels: { app: 'db' } } }, {}, false],
  [
    'label selector without object',
    { labelSelector: { matchLabels: { app: 'shop' } } },
    { involvedObject: null },
    false,
  ],
  ['message regex (search, not anchored)', { messageRegex: 'replica set web' }, {}, true],
  ['message regex anchored', { messageRegex: '^replica' }, {}, false],
  ['expression', { expression: 'event.count == 1' }, {}, true],
  ['expression false', { expression: 'event.count > 1' }, {}, false],
  [
    'all fields AND together',
    {
      sources: ['Event'],
      types: ['Normal'],
      kinds: ['Deployment'],
      namespaces: ['shop'],
      reasons: ['ScalingReplicaSet'],
      labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['shop'] }] },
      messageRegex: 'Scaled',
      expression: "event.object.name == 'web'",
    },
    {},
    true,
  ],
  ['one field failing fails the rule', { kinds: ['Deployment'], reasons: ['BackOff'] }, {}, false],
];

for (const [what, match, overrides, expected] of SEMANTICS) {
  test(`${what}: ${expected ? 'matches' : 'does not match'}`, () => {
    const index = new RuleIndex();
    index.upsert(rule('r', match));
    assert.equal(matchedKeys(index, kubeEvent(overrides)), expected ? ['ClusterEventRule/r#0'] : []);
  });
}

test('an EventRule only sees events of its own namespace, never cluster-scoped objects', () => {
  const index = new RuleIndex();
  index.upsert(rule('team', {}, { namespace: 'shop' }));
  assert.equal(matchedKeys(index, kubeEvent()), ['EventRule/shop/team#0']);
  assert.equal(matchedKeys(index, kubeEvent({ involvedObject: { namespace: 'other' } })), []);
  assert.equal(matchedKeys(index, kubeEvent({ involvedObject: { kind: 'Node', namespace: '' } })), []);
  assert.equal(matchedKeys(index, kubeEvent({ involvedObject: null })), []);
});

test('results are ordered by rule key, then destination index, whatever the insertion order', () => {
  const index = new RuleIndex();
  const two = [
    { type: 'slack', target: 'a' },
    { type: 'telegram', target: 'b' },
  ];
  index.upsert(rule('zeta', { reasons: ['ScalingReplicaSet'] }, { destinations: two }));
  index.upsert(rule('alpha', {}));
  index.upsert(rule('team', { kinds: ['Deployment'] }, { namespace: 'shop', destinations: two }));
  index.upsert(rule('mid', { sources: ['Event'] }));
  assert.equal(matchedKeys(index), [
    'ClusterEventRule/alpha#0',
    'ClusterEventRule/mid#0',
    'ClusterEventRule/zeta#0',
    'ClusterEventRule/zeta#1',
    'EventRule/shop/team#0',
    'EventRule/shop/team#1',
  ]);
  const [first] = index.match(kubeEvent()).filter((m) => m.rule.name === 'zeta');
  assert.equal(first?.destination, { type: 'slack', target: 'a' });
});

test('upsert replaces a rule with the same key; remove forgets it; size counts rules', () => {
  const index = new RuleIndex();
  index.upsert(rule('r', { reasons: ['ScalingReplicaSet'] }));
  index.upsert(rule('other', { reasons: ['BackOff'] }));
  assert.is(index.size, 2);
  assert.equal(matchedKeys(index), ['ClusterEventRule/r#0']);
  // Re-filed under another dimension: the old bucket must not keep it.
  index.upsert(rule('r', { kinds: ['Pod'] }));
  assert.is(index.size, 2);
  assert.equal(matchedKeys(index), []);
  index.upsert(rule('r', { kinds: ['Deployment'] }));
  assert.equal(matchedKeys(index), ['ClusterEventRule/r#0']);
  assert.is(index.get('ClusterEventRule/r')?.match.kinds[0], 'Deployment');
  index.remove('ClusterEventRule/r');
  index.remove('ClusterEventRule/never-there');
  assert.is(index.size, 1);
  assert.equal(matchedKeys(index), []);
  assert.is(index.get('ClusterEventRule/r'), undefined);
});

test('a CEL evaluation error is no match, counted and reported, and other rules still match', () => {
  const errors: [string, string, string][] = [];
  const index = new RuleIndex({
    onCelError: (r, error, event) => errors.push([r.key, error.message, event.id]),
  });
  index.upsert(rule('broken', { expression: "event.object.labels.missing == 'x'" }));
  index.upsert(rule('fine', { expression: 'event.count == 1' }));
  assert.equal(matchedKeys(index), ['ClusterEventRule/fine#0']);
  assert.equal(matchedKeys(index), ['ClusterEventRule/fine#0']);
  assert.is(index.celErrors, 2);
  assert.equal(errors, [
    ['ClusterEventRule/broken', 'field not found: missing', 'ev-1'],
    ['ClusterEventRule/broken', 'field not found: missing', 'ev-1'],
  ]);
});

test('CEL runs only for candidates that pass every other predicate', () => {
  let evaluations = 0;
  const counted = (r: CompiledRule): CompiledRule => {
    const expression = r.matchers.expression;
    if (!expression) throw new Error('no expression');
    return {
      ...r,
      matchers: {
        ...r.matchers,
        expression: (event) => {
          evaluations++;
          return expression(event);
        },
      },
    };
  };
  const index = new RuleIndex();
  index.upsert(counted(rule('other-reason', { reasons: ['BackOff'], expression: 'true' })));
  index.upsert(
    counted(rule('other-label', { labelSelector: { matchLabels: { app: 'db' } }, expression: 'true' })),
  );
  index.upsert(counted(rule('hit', { kinds: ['Deployment'], expression: 'true' })));
  assert.equal(matchedKeys(index), ['ClusterEventRule/hit#0']);
  assert.is(evaluations, 1);
});

test('a thousand rules on other reasons are never visited', () => {
  const index = new RuleIndex();
  let visited = 0;
  for (let i = 0; i < 1000; i++) {
    const r = rule(`r${i}`, { reasons: [`Reason${i}`] });
    index.upsert({
      ...r,
      matchers: {
        ...r.matchers,
        user: () => {
          visited++;
          return true;
        },
      },
    });
  }
  const hit = rule('hit', { reasons: ['Reason7'] });
  index.upsert({ ...hit, key: hit.key });
  assert.equal(matchedKeys(index, kubeEvent({ reason: 'Reason7', actor: actor('x') })), [
    'ClusterEventRule/hit#0',
    'ClusterEventRule/r7#0',
  ]);
  assert.is(visited, 1);
});

test.run();
