import type { KubeEvent__Output } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  contextLine,
  defaultContent,
  defaultSeverity,
  defaultTitle,
  fallbackText,
  oneLine,
} from './default-content.ts';
import { eventFacts } from './event-facts.ts';
import { backOffEvent, changeEvent, deploymentRef, emptyEvent, rolloutEvent } from './test-events.ts';

const NOW = new Date('2026-11-24T15:00:00.000Z');
const facts = (event: KubeEvent__Output) => eventFacts(event, NOW);
const RULE = { kind: 'EventRule', namespace: 'shop', name: 'deploys' };
const deployment = deploymentRef();

test('titles read well for each source', () => {
  const table: [KubeEvent__Output, string][] = [
    [backOffEvent(), 'Pod shop/web-5d8f9-abcde: BackOff'],
    [backOffEvent({ reason: '' }), 'Pod shop/web-5d8f9-abcde'],
    [
      backOffEvent({
        involvedObject: { ...deployment, kind: 'Node', namespace: '', name: 'node-1' },
        reason: 'NodeNotReady',
      }),
      'Node node-1: NodeNotReady',
    ],
    [backOffEvent({ involvedObject: null }), 'BackOff'],
    [emptyEvent(), 'Kubernetes event'],
    [rolloutEvent(), 'Rollout of Deployment shop/web completed (generation 3)'],
    [
      rolloutEvent({ reason: 'RolloutStarted', action: 'Started' }),
      'Rollout of Deployment shop/web started (generation 3)',
    ],
    [
      rolloutEvent({ reason: 'RolloutFailed', involvedObject: { ...deployment, generation: '0' } }),
      'Rollout of Deployment shop/web failed',
    ],
    [changeEvent(), 'expert@org.com patched Deployment shop/web'],
    [changeEvent({ verb: 'create', reason: 'Created' }), 'expert@org.com created Deployment shop/web'],
    [changeEvent({ verb: 'delete', reason: 'Deleted', actor: null }), 'someone deleted Deployment shop/web'],
    [
      changeEvent({ involvedObject: { ...deployment, subresource: 'scale' }, verb: 'update' }),
      'expert@org.com updated Deployment shop/web (scale)',
    ],
    [changeEvent({ verb: 'approve', reason: 'Approved' }), 'expert@org.com approved Deployment shop/web'],
  ];
  for (const [event, title] of table) assert.is(defaultTitle(facts(event)), title);
});

test('severity: Warning, RolloutFailed, RolloutCompleted, else info', () => {
  const table: [KubeEvent__Output, string][] = [
    [backOffEvent(), 'SEVERITY_WARNING'],
    [backOffEvent({ type: 'EVENT_TYPE_NORMAL' }), 'SEVERITY_INFO'],
    [rolloutEvent(), 'SEVERITY_SUCCESS'],
    [rolloutEvent({ reason: 'RolloutFailed', type: 'EVENT_TYPE_WARNING' }), 'SEVERITY_ERROR'],
    [rolloutEvent({ reason: 'RolloutStarted' }), 'SEVERITY_INFO'],
    [changeEvent(), 'SEVERITY_INFO'],
    [emptyEvent(), 'SEVERITY_INFO'],
  ];
  for (const [event, severity] of table) assert.is(defaultSeverity(facts(event)), severity);
});

test('an Event: message as text, fields with Count, no Actor', () => {
  assert.equal(defaultContent(facts(backOffEvent()), RULE, 'listener'), {
    title: 'Pod shop/web-5d8f9-abcde: BackOff',
    text: 'Back-off restarting failed container web in pod web-5d8f9-abcde_shop(p1)',
    severity: 'SEVERITY_WARNING',
    fields: [
      { name: 'Cluster', value: 'prod', short: true },
      { name: 'Namespace', value: 'shop', short: true },
      { name: 'Object', value: 'Pod/web-5d8f9-abcde', short: true },
      { name: 'Reason', value: 'BackOff', short: true },
      { name: 'Type', value: 'Warning', short: true },
      { name: 'Count', value: '3', short: true },
      { name: 'Time', value: '2026-11-24T14:02:11Z', short: true },
    ],
    context: 'cluster prod · 2026-11-24T14:02:11Z · rule EventRule/shop/deploys',
  });
});

test('an empty event: only the listener cluster and the time', () => {
  const content = defaultContent(
    facts(emptyEvent()),
    { kind: 'ClusterEventRule', namespace: '', name: 'all' },
    'dev',
  );
  assert.equal(content.fields, [
    { name: 'Cluster', value: 'dev', short: true },
    { name: 'Time', value: '2026-11-24T15:00:00Z', short: true },
  ]);
  assert.is(content.context, 'cluster dev · 2026-11-24T15:00:00Z · rule ClusterEventRule/all');
  assert.is(
    contextLine(facts(emptyEvent()), { kind: '', namespace: '', name: '' }, ''),
    '2026-11-24T15:00:00Z',
  );
});

test('the fallback adds the actor unless the title already names them', () => {
  assert.is(
    fallbackText('Rollout of Deployment shop/web completed', 'expert@org.com'),
    'Rollout of Deployment shop/web completed — by expert@org.com',
  );
  assert.is(
    fallbackText('expert@org.com patched Deployment shop/web', 'expert@org.com'),
    'expert@org.com patched Deployment shop/web',
  );
  assert.is(fallbackText('Pod shop/web: BackOff', ''), 'Pod shop/web: BackOff');
});

test('oneLine folds whitespace runs', () => {
  assert.is(oneLine('  a\n\tb   c \r\n'), 'a b c');
});

test.run();
