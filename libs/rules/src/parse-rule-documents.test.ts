import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRuleDocuments } from './parse-rule-documents.ts';

const FILE = `
apiVersion: k8slistener.io/v1alpha1
kind: ClusterEventRule
metadata: {name: first}
spec:
  destinations: [{type: elastic, target: k8s-events}]
---
# an empty document is skipped
---
apiVersion: k8slistener.io/v1alpha1
kind: ClusterEventRule
metadata: {name: broken}
spec:
  match: {sources: [Events]}
  destinations: [{type: slack, target: a}]
---
apiVersion: k8slistener.io/v1alpha1
kind: EventRule
metadata: {name: team, namespace: shop}
spec:
  destinations: [{type: teams, target: team}]
---
key: [unclosed
`;

test('compiles each document and reports the bad ones by position and name', () => {
  const { rules, errors } = parseRuleDocuments(FILE);
  assert.equal(
    rules.map((r) => r.key),
    ['ClusterEventRule/first', 'EventRule/shop/team'],
  );
  assert.is(errors.length, 2);
  assert.equal(errors[0], {
    document: 3,
    name: 'broken',
    errors: [{ field: 'spec.match.sources[0]', message: '"Events" is not one of Event, Rollout, Change' }],
  });
  assert.is(errors[1]?.document, 5);
  assert.is(errors[1]?.name, undefined);
  assert.is(errors[1]?.errors[0]?.field, '');
  assert.ok((errors[1]?.errors.length ?? 0) > 0);
});

test('an empty file has no rules and no errors', () => {
  assert.equal(parseRuleDocuments(''), { rules: [], errors: [] });
});

test.run();
