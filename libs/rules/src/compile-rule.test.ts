import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileRule } from './compile-rule.ts';
import type { FieldError } from './rule-types.ts';

function cluster(spec: unknown, metadata: Record<string, unknown> = {}) {
  return {
    apiVersion: 'k8slistener.io/v1alpha1',
    kind: 'ClusterEventRule',
    metadata: { name: 'r', uid: 'uid-r', generation: 4, ...metadata },
    spec,
  };
}
const ELASTIC = [{ type: 'elastic', target: 'k8s-events' }];

test('a full rule compiles to its normalised form', () => {
  const result = compileRule({
    apiVersion: 'k8slistener.io/v1alpha1',
    kind: 'EventRule',
    metadata: { name: 'team', namespace: 'shop', uid: 'u1', generation: 2 },
    spec: {
      match: {
        sources: ['Rollout', 'Change', 'Rollout'],
        types: ['Warning'],
        kinds: ['Deployment'],
        reasons: ['RolloutFailed'],
        users: ['*@org.com'],
        labelSelector: { matchLabels: { app: 'shop' } },
        messageRegex: 'deadline',
        expression: 'event.count >= 1',
      },
      destinations: [
        { type: 'slack', target: 'deployments', template: { title: '{{event.object.name}}' } },
        { type: 'elastic', target: 'k8s-events' },
      ],
    },
  });
  if (!result.ok) return assert.unreachable(JSON.stringify(result.errors));
  const { matchers, ...rule } = result.rule;
  assert.equal(rule, {
    key: 'EventRule/shop/team',
    kind: 'EventRule',
    name: 'team',
    namespace: 'shop',
    uid: 'u1',
    generation: 2,
    match: {
      sources: ['Rollout', 'Change'],
      kinds: ['Deployment'],
      namespaces: [],
      reasons: ['RolloutFailed'],
      types: ['Warning'],
      users: ['*@org.com'],
      labelSelector: { matchLabels: { app: 'shop' }, matchExpressions: [] },
      messageRegex: 'deadline',
      expression: 'event.count >= 1',
    },
    destinations: [
      { type: 'slack', target: 'deployments', template: { title: '{{event.object.name}}' } },
      { type: 'elastic', target: 'k8s-events' },
    ],
  });
  assert.equal(Object.keys(matchers).sort(), ['expression', 'labels', 'message', 'user']);
});

test('an empty match compiles with no matchers; metadata defaults when read from a file', () => {
  const result = compileRule({
    apiVersion: 'k8slistener.io/v1alpha1',
    kind: 'ClusterEventRule',
    metadata: { name: 'all' },
    spec: { destinations: ELASTIC },
  });
  if (!result.ok) return assert.unreachable(JSON.stringify(result.errors));
  assert.equal(result.rule.matchers, {});
  assert.is(result.rule.key, 'ClusterEventRule/all');
  assert.is(result.rule.uid, '');
  assert.is(result.rule.generation, 0);
  assert.equal(result.rule.match, {
    sources: [],
    kinds: [],
    namespaces: [],
    reasons: [],
    types: [],
    users: [],
  });
});

const INVALID: [what: string, object: unknown, errors: FieldError[]][] = [
  ['not an object', 'rule', [{ field: '', message: 'must be an object' }]],
  [
    'wrong apiVersion and kind',
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec: {} },
    [
      { field: 'apiVersion', message: 'must be k8slistener.io/v1alpha1' },
      { field: 'kind', message: 'must be EventRule or ClusterEventRule' },
    ],
  ],
  [
    'no name, no spec',
    { apiVersion: 'k8slistener.io/v1alpha1', kind: 'ClusterEventRule', metadata: {} },
    [
      { field: 'metadata.name', message: 'is required' },
      { field: 'spec', message: 'is required' },
    ],
  ],
  [
    'EventRule without namespace',
    {
      apiVersion: 'k8slistener.io/v1alpha1',
      kind: 'EventRule',
      metadata: { name: 'x' },
      spec: { destinations: ELASTIC },
    },
    [{ field: 'metadata.namespace', message: 'is required for an EventRule' }],
  ],
  [
    'ClusterEventRule with namespace',
    cluster({ destinations: ELASTIC }, { namespace: 'shop' }),
    [{ field: 'metadata.namespace', message: 'must be empty: a ClusterEventRule is cluster-scoped' }],
  ],
  [
    'EventRule listing namespaces',
    {
      apiVersion: 'k8slistener.io/v1alpha1',
      kind: 'EventRule',
      metadata: { name: 'x', namespace: 'shop' },
      spec: { match: { namespaces: ['shop'] }, destinations: ELASTIC },
    },
    [
      {
        field: 'spec.match.namespaces',
        message:
          'is not allowed in an EventRule, which only sees events of its own namespace; use a ClusterEventRule to match other namespaces',
      },
    ],
  ],
  [
    'no destinations',
    cluster({ destinations: [] }),
    [{ field: 'spec.destinations', message: 'must list at least one destination' }],
  ],
  [
    'destination type and target',
    cluster({ destinations: [{ type: 'Slack', target: 'Ops Channel' }, { type: '', target: '' }, 'x'] }),
    [
      {
        field: 'spec.destinations[0].type',
        message: `"Slack" is not a plugin type: lower-case letters, digits and '-', starting with a letter (e.g. slack, telegram, teams, elastic)`,
      },
      {
        field: 'spec.destinations[0].target',
        message: `"Ops Channel" is not a target name: 1-63 lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      },
      { field: 'spec.destinations[1].type', message: 'is required' },
      { field: 'spec.destinations[1].target', message: 'is required' },
      { field: 'spec.destinations[2]', message: 'must be an object' },
    ],
  ],
  [
    'too many destinations',
    cluster({ destinations: Array.from({ length: 17 }, () => ELASTIC[0]) }),
    [{ field: 'spec.destinations', message: 'has 17 destinations; at most 16 are allowed' }],
  ],
  [
    'unknown source and type values',
    cluster({ match: { sources: ['Event', 'Events'], types: ['Error'] }, destinations: ELASTIC }),
    [
      { field: 'spec.match.sources[1]', message: '"Events" is not one of Event, Rollout, Change' },
      { field: 'spec.match.types[0]', message: '"Error" is not one of Normal, Warning' },
    ],
  ],
  [
    'list fields of the wrong shape',
    cluster({ match: { kinds: 'Deployment', reasons: [''], users: [3] }, destinations: ELASTIC }),
    [
      { field: 'spec.match.kinds', message: 'must be a list of strings' },
      { field: 'spec.match.reasons[0]', message: 'must be a non-empty string' },
      { field: 'spec.match.users[0]', message: 'must be a non-empty string' },
    ],
  ],
  [
    'a bad user glob',
    cluster({ match: { users: ['ok@org.com', 'user?'] }, destinations: ELASTIC }),
    [
      {
        field: 'spec.match.users[1]',
        message: '"user?": only "*" is a wildcard; "?", "[" and "]" are not allowed',
      },
    ],
  ],
  [
    'a bad label selector operator',
    cluster({
      match: { labelSelector: { matchExpressions: [{ key: 'a', operator: 'Equals' }] } },
      destinations: ELASTIC,
    }),
    [
      {
        field: 'spec.match.labelSelector.matchExpressions[0].operator',
        message: '"Equals" is not one of In, NotIn, Exists, DoesNotExist',
      },
    ],
  ],
  [
    'a CEL expression with a misspelt field',
    cluster({ match: { expression: "event.reasn == 'BackOff'" }, destinations: ELASTIC }),
    [
      {
        field: 'spec.match.expression',
        message:
          "CEL does not type-check: undefined field 'reasn' of event (it has: id, source, type, rawType, reason, message, action, verb, count, object, related, actor, cluster, reportingComponent, reportingInstance, revision, auditId, responseCode, firstTimestamp, lastTimestamp) (at character 6)",
      },
    ],
  ],
  [
    'a CEL expression that is not bool',
    cluster({ match: { expression: 'event.count' }, destinations: ELASTIC }),
    [{ field: 'spec.match.expression', message: 'CEL must return bool, not int' }],
  ],
  [
    'templates that do not parse or name unknown values',
    cluster({
      destinations: [
        {
          type: 'slack',
          target: 'a',
          template: { title: '{{#event.reason}}', text: '{{event.objct.name}}' },
        },
        { type: 'slack', target: 'b', template: { text: '{{> header}}' } },
        { type: 'slack', target: 'c', template: 'text' },
      ],
    }),
    [
      {
        field: 'spec.destinations[0].template.title',
        message: 'is not a valid Mustache template: Unclosed section "event.reason" at 17',
      },
      {
        field: 'spec.destinations[0].template.text',
        message:
          'refers to unknown name "event.objct.name" (event has: id, source, type, rawType, reason, message, action, verb, count, object, related, actor, cluster, reportingComponent, reportingInstance, revision, auditId, responseCode, firstTimestamp, lastTimestamp) at character 1',
      },
      {
        field: 'spec.destinations[1].template.text',
        message: 'uses the partial {{> header}} at character 1; partials are not supported',
      },
      { field: 'spec.destinations[2].template', message: 'must be an object with title and/or text' },
    ],
  ],
  [
    'unknown fields (typos in a rule file)',
    cluster({
      match: { kind: ['Deployment'] },
      destinations: [{ type: 'slack', target: 'a', chanel: 'x' }],
      destination: [],
    }),
    [
      { field: 'spec.destination', message: 'unknown field' },
      { field: 'spec.match.kind', message: 'unknown field' },
      { field: 'spec.destinations[0].chanel', message: 'unknown field' },
    ],
  ],
];

for (const [what, object, errors] of INVALID) {
  test(`refuses ${what}`, () => {
    assert.equal(compileRule(object), { ok: false, errors });
  });
}

test("refuses a regex that does not compile, with the engine's own reason", () => {
  // The reason's wording is the JavaScript engine's (V8 and JavaScriptCore differ).
  const pattern = '(unclosed';
  const reason = (() => {
    try {
      new RegExp(pattern, 'u');
      return 'compiled';
    } catch (error) {
      return (error as Error).message;
    }
  })();
  assert.equal(compileRule(cluster({ match: { messageRegex: '(unclosed' }, destinations: ELASTIC })), {
    ok: false,
    errors: [
      {
        field: 'spec.match.messageRegex',
        message: `is not a valid JavaScript regular expression: ${reason}`,
      },
    ],
  });
  assert.match(reason, /^Invalid regular expression/);
});

test.run();
