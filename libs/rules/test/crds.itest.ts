// The rule CRDs against a real kube-apiserver: the examples are accepted as
// written, invalid rules are refused with the field named, printer columns
// and the status subresource work, and the listener's compiler agrees with
// the API server about the examples.
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import {
  cacheDir,
  type KubeEndpoint,
  type KubernetesStack,
  kubeRequest,
  startKubernetes,
  waitUntil,
} from '@k8slistener/testkit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { compileRule, readyCondition } from '../src/index.ts';

const CRDS_DIR = fileURLToPath(new URL('../../../crds/', import.meta.url));
const GROUP_PATH = '/apis/k8slistener.io/v1alpha1';
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const TEAM_NAMESPACE = 'team-a';
const READY_TIMEOUT_MS = 60_000;

let stack: KubernetesStack;
let endpoint: KubeEndpoint;

function admin(method: string, path: string, body?: unknown, contentType?: string) {
  return kubeRequest(endpoint, stack.tokens.admin, method, path, body, contentType);
}

function readYaml(file: string): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

interface RuleObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; generation?: number };
  spec: Record<string, unknown>;
  status?: { conditions?: Record<string, unknown>[] };
}

function collectionPath(kind: string, namespace?: string): string {
  return kind === 'EventRule'
    ? `${GROUP_PATH}/namespaces/${namespace}/eventrules`
    : `${GROUP_PATH}/clustereventrules`;
}

function objectPath(rule: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${collectionPath(rule.kind, rule.metadata.namespace)}/${rule.metadata.name}`;
}

/** GET as a server-side Table, the way kubectl asks for printer columns. */
function getTable(path: string): Promise<{ status: number; json: unknown }> {
  const url = new URL(path, endpoint.server);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        ca: endpoint.ca,
        headers: {
          authorization: `Bearer ${stack.tokens.admin}`,
          accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
        },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test.before(async () => {
  stack = await startKubernetes({ cache: cacheDir() });
  endpoint = { server: stack.server, ca: stack.caPem };
  for (const file of ['eventrule.yaml', 'clustereventrule.yaml']) {
    const created = await admin('POST', CRD_PATH, readYaml(`${CRDS_DIR}${file}`));
    assert.is(created.status, 201, created.body);
  }
  for (const name of ['eventrules.k8slistener.io', 'clustereventrules.k8slistener.io']) {
    await waitUntil(
      async () => {
        const crd = await admin('GET', `${CRD_PATH}/${name}`);
        const conditions = (crd.json as { status?: { conditions?: { type: string; status: string }[] } })
          .status?.conditions;
        return conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
      },
      { what: `${name} established`, timeoutMs: READY_TIMEOUT_MS },
    );
  }
  // Established can precede the API server serving the new group; wait until it does.
  await waitUntil(async () => (await admin('GET', `${GROUP_PATH}/clustereventrules`)).status === 200, {
    what: 'clustereventrules served',
    timeoutMs: READY_TIMEOUT_MS,
  });
  const ns = await admin('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: TEAM_NAMESPACE },
  });
  assert.is(ns.status, 201, ns.body);
});

test.after(async () => {
  await stack?.stop();
});

const EXAMPLE_FILES = readdirSync(`${CRDS_DIR}examples`)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

test('crds/examples holds the three designed rules', () => {
  assert.equal(EXAMPLE_FILES, [
    'all-events-to-elastic.yaml',
    'deployment-completed-to-slack.yaml',
    'expert-deployments-to-telegram.yaml',
  ]);
});

test('the examples are accepted as written and compile with compileRule', async () => {
  for (const file of EXAMPLE_FILES) {
    const example = readYaml(`${CRDS_DIR}examples/${file}`) as unknown as RuleObject;
    assert.equal(compileRule(example).ok, true, `${file} compiles from the file`);
    const created = await admin('POST', collectionPath(example.kind, example.metadata.namespace), example);
    assert.is(created.status, 201, `${file}: ${created.body}`);
    const stored = (await admin('GET', objectPath(example))).json as RuleObject;
    // Nothing was pruned or defaulted away: what is stored is what is written.
    assert.equal(stored.spec, example.spec, `${file} stored as written`);
    const result = compileRule(stored);
    if (!result.ok) assert.unreachable(`${file} as stored: ${JSON.stringify(result.errors)}`);
    else {
      assert.is(result.rule.key, `ClusterEventRule/${example.metadata.name}`);
      assert.is(result.rule.generation, 1);
      assert.is(result.rule.uid, stored.metadata.uid);
      assert.ok(result.rule.uid !== '');
    }
  }
});

test('a namespaced EventRule is accepted in its namespace', async () => {
  const rule = {
    apiVersion: 'k8slistener.io/v1alpha1',
    kind: 'EventRule',
    metadata: { name: 'team-warnings', namespace: TEAM_NAMESPACE },
    spec: {
      match: {
        types: ['Warning'],
        labelSelector: {
          matchLabels: { app: 'shop' },
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['web'] },
            { key: 'canary', operator: 'DoesNotExist' },
          ],
        },
        messageRegex: 'Back-off|OOMKilled',
        expression: 'event.count > 3',
      },
      destinations: [{ type: 'teams', target: 'team-a', template: { title: '{{event.reason}}' } }],
    },
  };
  const created = await admin('POST', collectionPath('EventRule', TEAM_NAMESPACE), rule);
  assert.is(created.status, 201, created.body);
  const result = compileRule(created.json);
  assert.is(result.ok, true);
});

function clusterRule(name: string, spec: unknown) {
  return { apiVersion: 'k8slistener.io/v1alpha1', kind: 'ClusterEventRule', metadata: { name }, spec };
}
const ELASTIC = [{ type: 'elastic', target: 'k8s-events' }];

/**
 * The API server adds this cause when a required field or an enum fails,
 * because it then skips the schema's CEL rules.
 */
const CEL_SKIPPED = {
  field: '<nil>',
  message:
    'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
};

// [what, object, expected causes (field → message)]
const INVALID: [string, ReturnType<typeof clusterRule>, { field: string; message: string }[]][] = [
  [
    'no destinations',
    clusterRule('no-destinations', { match: {}, destinations: [] }),
    [
      {
        field: 'spec.destinations',
        message: 'Invalid value: 0: spec.destinations in body should have at least 1 items',
      },
    ],
  ],
  [
    'destinations left out',
    clusterRule('destinations-left-out', { match: {} }),
    [{ field: 'spec.destinations', message: 'Required value' }, CEL_SKIPPED],
  ],
  [
    'destination type not a plugin type',
    clusterRule('bad-type', { destinations: [{ type: 'Slack Webhook', target: 'deployments' }] }),
    [
      {
        field: 'spec.destinations[0].type',
        message:
          'Invalid value: "Slack Webhook": spec.destinations[0].type in body should match \'^[a-z]([a-z0-9-]*[a-z0-9])?$\'',
      },
    ],
  ],
  [
    'destination without a target',
    clusterRule('no-target', { destinations: [{ type: 'slack' }] }),
    [{ field: 'spec.destinations[0].target', message: 'Required value' }, CEL_SKIPPED],
  ],
  [
    'target that is a URL',
    clusterRule('url-target', { destinations: [{ type: 'slack', target: 'https://hooks.example/x' }] }),
    [
      {
        field: 'spec.destinations[0].target',
        message:
          'Invalid value: "https://hooks.example/x": spec.destinations[0].target in body should match \'^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$\'',
      },
    ],
  ],
  [
    'unknown source',
    clusterRule('bad-source', { match: { sources: ['Events'] }, destinations: ELASTIC }),
    [
      {
        field: 'spec.match.sources[0]',
        message: 'Unsupported value: "Events": supported values: "Event", "Rollout", "Change"',
      },
      CEL_SKIPPED,
    ],
  ],
  [
    'unknown type',
    clusterRule('bad-event-type', { match: { types: ['Error'] }, destinations: ELASTIC }),
    [
      {
        field: 'spec.match.types[0]',
        message: 'Unsupported value: "Error": supported values: "Normal", "Warning"',
      },
      CEL_SKIPPED,
    ],
  ],
  [
    'unknown label selector operator',
    clusterRule('bad-operator', {
      match: { labelSelector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['x'] }] } },
      destinations: ELASTIC,
    }),
    [
      {
        field: 'spec.match.labelSelector.matchExpressions[0].operator',
        message: 'Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
      },
      CEL_SKIPPED,
    ],
  ],
  [
    'In without values',
    clusterRule('in-without-values', {
      match: { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] } },
      destinations: ELASTIC,
    }),
    [
      {
        field: 'spec.match.labelSelector.matchExpressions[0].values',
        message:
          'Invalid value: values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist',
      },
    ],
  ],
  [
    'a user glob with ?',
    clusterRule('bad-user', { match: { users: ['expert?'] }, destinations: ELASTIC }),
    [
      {
        field: 'spec.match.users[0]',
        message: 'Invalid value: "expert?": spec.match.users[0] in body should match \'^[^?\\[\\]\\s]+$\'',
      },
    ],
  ],
  [
    'an empty expression',
    clusterRule('empty-expression', { match: { expression: '' }, destinations: ELASTIC }),
    [
      {
        field: 'spec.match.expression',
        message: 'Invalid value: "": spec.match.expression in body should be at least 1 chars long',
      },
    ],
  ],
];

for (const [what, object, causes] of INVALID) {
  test(`the API server refuses a rule with ${what}`, async () => {
    const response = await admin('POST', collectionPath(object.kind), object);
    assert.is(response.status, 422, response.body);
    const details = (response.json as { details?: { causes?: { field: string; message: string }[] } })
      .details;
    assert.equal(
      (details?.causes ?? []).map((c) => ({ field: c.field, message: c.message })),
      causes,
    );
    // The listener's own validation refuses the same rule, naming the same field.
    const compiled = compileRule(object);
    assert.is(compiled.ok, false);
    if (!compiled.ok)
      for (const cause of causes.filter((c) => c !== CEL_SKIPPED))
        assert.ok(
          compiled.errors.some((e) => e.field === cause.field),
          `compileRule names ${cause.field}: ${JSON.stringify(compiled.errors)}`,
        );
  });
}

test('the API server refuses namespaces in an EventRule', async () => {
  const object = {
    apiVersion: 'k8slistener.io/v1alpha1',
    kind: 'EventRule',
    metadata: { name: 'widening', namespace: TEAM_NAMESPACE },
    spec: { match: { namespaces: ['kube-system'] }, destinations: ELASTIC },
  };
  const response = await admin('POST', collectionPath('EventRule', TEAM_NAMESPACE), object);
  assert.is(response.status, 422, response.body);
  const causes = (
    response.json as { details: { causes: { field: string; message: string; reason: string }[] } }
  ).details.causes;
  assert.equal(causes, [
    {
      reason: 'FieldValueForbidden',
      field: 'spec.match.namespaces',
      message:
        'Forbidden: namespaces is not allowed in an EventRule, which only sees events of its own namespace; use a ClusterEventRule to match other namespaces',
    },
  ]);
  const compiled = compileRule(object);
  assert.equal(compiled.ok ? [] : compiled.errors.map((e) => e.field), ['spec.match.namespaces']);
});

test('printer columns: Ready, Sources, Destinations, Message, Age', async () => {
  const table = await getTable(`${GROUP_PATH}/clustereventrules`);
  assert.is(table.status, 200);
  const json = table.json as {
    kind: string;
    columnDefinitions: { name: string; priority?: number }[];
    rows: { cells: unknown[]; object: { metadata: { name: string } } }[];
  };
  assert.is(json.kind, 'Table');
  assert.equal(
    json.columnDefinitions.map((c) => [c.name, c.priority ?? 0]),
    [
      ['Name', 0],
      ['Ready', 0],
      ['Sources', 0],
      ['Destinations', 0],
      ['Message', 1],
      ['Age', 0],
    ],
  );
  const slack = json.rows.find((r) => r.object.metadata.name === 'deployment-completed-to-slack');
  assert.equal(slack?.cells.slice(0, 5), [
    'deployment-completed-to-slack',
    null,
    '["Rollout"]',
    'slack',
    null,
  ]);
});

test('status is written through /status without bumping generation', async () => {
  const path = `${GROUP_PATH}/clustereventrules/deployment-completed-to-slack`;
  const before = (await admin('GET', path)).json as RuleObject;
  const condition = readyCondition(
    compileRule(before),
    before.metadata.generation ?? 0,
    new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
  );
  const patched = await admin(
    'PATCH',
    `${path}/status`,
    { status: { conditions: [condition] } },
    'application/merge-patch+json',
  );
  assert.is(patched.status, 200, patched.body);
  const after = (await admin('GET', path)).json as RuleObject;
  assert.is(after.metadata.generation, 1);
  assert.equal(after.status?.conditions, [
    {
      type: 'Ready',
      status: 'True',
      reason: 'Valid',
      message: 'valid; delivers to slack/deployments',
      observedGeneration: 1,
      lastTransitionTime: '2026-01-02T03:04:05Z',
    },
  ]);
  // The main resource ignores status, so users with write access to rules cannot fake it.
  const overwrite = await admin(
    'PATCH',
    path,
    { status: { conditions: [{ ...condition, status: 'False', reason: 'Faked' }] } },
    'application/merge-patch+json',
  );
  assert.is(overwrite.status, 200, overwrite.body);
  const still = (await admin('GET', path)).json as RuleObject;
  assert.is(still.status?.conditions?.[0]?.status, 'True');
  assert.is(still.metadata.generation, 1);

  const table = await getTable(`${GROUP_PATH}/clustereventrules`);
  const row = (table.json as { rows: { cells: unknown[] }[] }).rows.find(
    (r) => r.cells[0] === 'deployment-completed-to-slack',
  );
  assert.equal(row?.cells.slice(0, 5), [
    'deployment-completed-to-slack',
    'True',
    '["Rollout"]',
    'slack',
    'valid; delivers to slack/deployments',
  ]);
});

test('a spec change bumps generation; a rule the listener refuses reports the field in status', async () => {
  const path = `${GROUP_PATH}/clustereventrules/all-events-to-elastic`;
  const patched = await admin(
    'PATCH',
    path,
    { spec: { match: { messageRegex: '(unclosed' } } },
    'application/merge-patch+json',
  );
  assert.is(patched.status, 200, patched.body);
  const rule = patched.json as RuleObject;
  assert.is(rule.metadata.generation, 2);
  const result = compileRule(rule);
  const condition = readyCondition(result, 2, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
  assert.is(condition.status, 'False');
  const written = await admin(
    'PATCH',
    `${path}/status`,
    { status: { conditions: [condition] } },
    'application/merge-patch+json',
  );
  assert.is(written.status, 200, written.body);
  const stored = ((await admin('GET', path)).json as RuleObject).status?.conditions?.[0];
  assert.is(stored?.reason, 'InvalidRule');
  assert.is(stored?.observedGeneration, 2);
  assert.match(
    String(stored?.message),
    /^spec\.match\.messageRegex: is not a valid JavaScript regular expression: /,
  );
});

const RBAC_PATHS: Record<string, string> = {
  ServiceAccount: '/api/v1/namespaces/k8slistener/serviceaccounts',
  ClusterRole: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  ClusterRoleBinding: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  Role: '/apis/rbac.authorization.k8s.io/v1/namespaces/k8slistener/roles',
  RoleBinding: '/apis/rbac.authorization.k8s.io/v1/namespaces/k8slistener/rolebindings',
};

test('rbac.yaml applies and grants the listener exactly what it needs', async () => {
  const ns = await admin('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'k8slistener' },
  });
  assert.is(ns.status, 201, ns.body);
  const docs = parseAllDocuments(readFileSync(`${CRDS_DIR}rbac.yaml`, 'utf8')).map(
    (d) => d.toJS() as { kind: string },
  );
  assert.equal(
    docs.map((d) => d.kind),
    ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  );
  for (const doc of docs) {
    const created = await admin('POST', RBAC_PATHS[doc.kind] ?? '', doc);
    assert.is(created.status, 201, `${doc.kind}: ${created.body}`);
  }
  // [verb, group, resource, subresource, namespace, allowed]
  const CHECKS: [string, string, string, string, string, boolean][] = [
    ['watch', '', 'events', '', '', true],
    ['list', 'events.k8s.io', 'events', '', 'shop', true],
    ['create', '', 'events', '', 'shop', false],
    ['watch', 'apps', 'deployments', '', '', true],
    ['update', 'apps', 'deployments', '', 'shop', false],
    ['get', 'k8slistener.io', 'clustereventrules', '', '', true],
    ['watch', 'k8slistener.io', 'eventrules', '', '', true],
    ['patch', 'k8slistener.io', 'eventrules', 'status', 'team-a', true],
    ['update', 'k8slistener.io', 'clustereventrules', 'status', '', true],
    ['update', 'k8slistener.io', 'clustereventrules', '', '', false],
    ['delete', 'k8slistener.io', 'eventrules', '', 'team-a', false],
    ['update', 'coordination.k8s.io', 'leases', '', 'k8slistener', true],
    ['update', 'coordination.k8s.io', 'leases', '', 'kube-system', false],
    ['patch', '', 'configmaps', '', 'k8slistener', true],
    ['get', '', 'configmaps', '', 'shop', false],
    ['delete', '', 'configmaps', '', 'k8slistener', false],
    ['get', '', 'secrets', '', 'k8slistener', false],
    ['list', '', 'pods', '', '', false],
  ];
  const answers: boolean[] = [];
  for (const [verb, group, resource, subresource, namespace] of CHECKS) {
    const review = await admin('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: 'system:serviceaccount:k8slistener:k8slistener',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:k8slistener', 'system:authenticated'],
        resourceAttributes: { verb, group, resource, subresource, namespace },
      },
    });
    assert.is(review.status, 201, review.body);
    answers.push((review.json as { status: { allowed: boolean } }).status.allowed);
  }
  assert.equal(
    answers,
    CHECKS.map((c) => c[5]),
  );
});

test.run();
