import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRuleDocuments } from '@k8slistener/rules';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseEventInput } from './event-input.ts';
import { explain, formatExplanation } from './explain.ts';

const EXAMPLES = [
  'all-events-to-elastic',
  'deployment-completed-to-slack',
  'expert-deployments-to-telegram',
].map((name) =>
  readFileSync(fileURLToPath(new URL(`../../../../crds/examples/${name}.yaml`, import.meta.url)), 'utf8'),
);
const { rules, errors } = parseRuleDocuments(EXAMPLES.join('\n---\n'));
const CONTEXT = { cluster: 'prod', now: new Date('2026-11-24T12:00:00Z'), links: [] };

function event(yaml: string) {
  const parsed = parseEventInput(yaml, 'prod');
  if (!('events' in parsed)) throw new Error(parsed.errors.join('; '));
  const [first] = parsed.events;
  if (!first) throw new Error('no event');
  return first;
}

test('the example rules parse', () => {
  assert.equal(errors, []);
  assert.equal(
    rules.map((r) => r.key),
    [
      'ClusterEventRule/all-events-to-elastic',
      'ClusterEventRule/deployment-completed-to-slack',
      'ClusterEventRule/expert-deployments-to-telegram',
    ],
  );
});

test('a completed rollout by expert@org.com: elastic, Slack and Telegram, with what each would receive', () => {
  const x = explain(
    event(`id: rollout:d1:3:Completed
source: Rollout
reason: RolloutCompleted
time: 2026-11-24T12:00:00Z
involvedObject: { kind: Deployment, namespace: shop, name: web }
actor: { username: expert@org.com }
message: Rollout of generation 3 completed
`),
    rules,
    [],
    CONTEXT,
  );
  assert.equal(
    x.deliveries.map((d) => [d.rule, d.type, d.target]),
    [
      ['ClusterEventRule/all-events-to-elastic', 'elastic', 'k8s-events'],
      ['ClusterEventRule/deployment-completed-to-slack', 'slack', 'deployments'],
      ['ClusterEventRule/expert-deployments-to-telegram', 'telegram', 'oncall'],
    ],
  );
  assert.equal(x.notMatched, []);
  const slack = x.deliveries[1]?.message as { slack: { title: string } };
  assert.is(slack.slack.title, 'Deployment shop/web rolled out');
  assert.is(x.deliveries[0]?.deliveryId.length, 32);
  const text = formatExplanation(x);
  assert.ok(
    text.startsWith(
      'event rollout:d1:3:Completed: rollout Normal RolloutCompleted on Deployment shop/web by expert@org.com\n',
    ),
  );
  assert.ok(
    text.includes('  MATCH ClusterEventRule/deployment-completed-to-slack → slack target "deployments"'),
  );
});

test('a pod event by nobody: only elastic; the others are listed as not matching; invalid rules are shown', () => {
  const x = explain(
    event(
      '{ source: Event, reason: BackOff, type: Warning, involvedObject: { kind: Pod, namespace: shop, name: web-1 } }',
    ),
    rules,
    [
      {
        rule: 'bad.yaml document 1 (broken)',
        errors: [{ field: 'spec.match.messageRegex', message: 'is not a valid regular expression' }],
      },
    ],
    CONTEXT,
  );
  assert.equal(
    x.deliveries.map((d) => d.rule),
    ['ClusterEventRule/all-events-to-elastic'],
  );
  assert.equal(x.notMatched, [
    'ClusterEventRule/deployment-completed-to-slack',
    'ClusterEventRule/expert-deployments-to-telegram',
  ]);
  const text = formatExplanation(x);
  assert.ok(text.includes('  no match: ClusterEventRule/expert-deployments-to-telegram\n'));
  assert.ok(
    text.includes(
      '  INVALID bad.yaml document 1 (broken) (never matches until fixed):\n    spec.match.messageRegex: is not a valid regular expression\n',
    ),
  );
});

test('nothing matches: said plainly', () => {
  const x = explain(event('{ source: Event, reason: X }'), [], [], CONTEXT);
  assert.ok(formatExplanation(x).includes('  no rule matches: nothing would be sent\n'));
});

test.run();
