import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { actor, kubeEvent } from './event-fixture.ts';
import { compileTemplate, templateError, templateView } from './template.ts';

const VIEW = templateView(
  kubeEvent({
    source: 'SOURCE_ROLLOUT',
    reason: 'RolloutCompleted',
    message: 'web <b>&</b> "done"',
    revision: '4',
    actor: actor('expert@org.com', ['developers', 'system:authenticated']),
  }),
  { kind: 'ClusterEventRule', name: 'deployment-completed-to-slack', namespace: '' },
  { type: 'slack', target: 'deployments' },
);

const RENDERS: [string, string][] = [
  ['{{event.object.kind}} {{event.object.namespace}}/{{event.object.name}}', 'Deployment shop/web'],
  [
    '{{event.source}} {{event.type}} {{event.reason}} rev {{event.revision}}',
    'Rollout Normal RolloutCompleted rev 4',
  ],
  // Plain text: no HTML escaping in either form; the plugins escape for their format.
  ['{{event.message}}|{{{event.message}}}', 'web <b>&</b> "done"|web <b>&</b> "done"'],
  ['{{event.object.labels.app}} gen {{event.object.generation}} x{{event.count}}', 'shop gen 3 x1'],
  ['{{#event.actor.username}}by {{event.actor.username}}{{/event.actor.username}}', 'by expert@org.com'],
  ['{{#event.actor.groups}}[{{.}}]{{/event.actor.groups}}', '[developers][system:authenticated]'],
  ['{{^event.related.name}}no related object{{/event.related.name}}', 'no related object'],
  [
    '{{rule.kind}}/{{rule.name}} → {{destination.type}}/{{destination.target}}',
    'ClusterEventRule/deployment-completed-to-slack → slack/deployments',
  ],
  ['{{event.lastTimestamp}}', '2026-01-01T00:00:00.500Z'],
  // Names from the cluster cannot reach Object.prototype (mustache.js looks names up with `in`).
  ['[{{event.object.labels.constructor}}][{{event.object.labels.__proto__}}]', '[][]'],
];

for (const [template, expected] of RENDERS) {
  test(`renders ${template}`, () => {
    assert.is(templateError(template, 1000), undefined);
    assert.is(compileTemplate(template).render(VIEW), expected);
  });
}

const REFUSED: [string, string, number?][] = [
  ['{{#event.reason}}', 'is not a valid Mustache template: Unclosed section "event.reason" at 17'],
  ['{{event.reason}', 'is not a valid Mustache template: Unclosed tag at 15'],
  ['{{> header}}', 'uses the partial {{> header}} at character 1; partials are not supported'],
  [
    '{{event.nope}}',
    'refers to unknown name "event.nope" (event has: id, source, type, rawType, reason, message, action, verb, count, object, related, actor, cluster, reportingComponent, reportingInstance, revision, auditId, responseCode, firstTimestamp, lastTimestamp) at character 1',
  ],
  ['hi {{name}}', 'refers to unknown name "name" (top level has: event, rule, destination) at character 4'],
  [
    '{{event.reason.length}}',
    'refers to "event.reason.length", but event.reason has no fields at character 1',
  ],
  ['{{rule.uid}}', 'refers to unknown name "rule.uid" (rule has: kind, name, namespace) at character 1'],
  ['x'.repeat(11), 'is 11 characters long; at most 10 are allowed', 10],
];

for (const [template, message, maxLength = 1000] of REFUSED) {
  test(`refuses ${template.slice(0, 30)}`, () => {
    assert.is(templateError(template, maxLength), message);
  });
}

test.run();
