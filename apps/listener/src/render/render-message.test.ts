import type { KubeEvent__Output } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WORD_JOINER } from './defang.ts';
import type { RenderContext } from './render-context.ts';
import { renderMessage } from './render-message.ts';
import { backOffEvent, changeEvent, rolloutEvent } from './test-events.ts';

const w = (text: string) => text.replaceAll('¦', WORD_JOINER);

const CONTEXT: RenderContext = {
  cluster: 'prod',
  now: new Date('2026-11-24T15:00:00.000Z'),
  links: [
    {
      title: 'Grafana',
      url: 'https://grafana.example/d/k8s?var-namespace={{event.object.namespace}}&var-name={{event.object.name}}',
    },
    { title: 'Runbook', url: 'https://runbooks.example/{{event.reason}}', types: ['slack'] },
  ],
};
const RULE = { kind: 'EventRule', namespace: 'shop', name: 'deploys' };

function render(type: string, event: KubeEvent__Output, template?: { title?: string; text?: string }) {
  return renderMessage(
    { type, event, rule: RULE, deliveryId: 'd-1', ...(template === undefined ? {} : { template }) },
    CONTEXT,
  );
}

const field = (name: string, value: string) => ({ name, value, short: true });

interface Expected {
  title: string;
  text: string;
  severity: string;
  fields: { name: string; value: string; short: boolean }[];
  fallback: string;
  context: string;
  grafana: string;
  runbook: string;
}

const EXPECTED: [source: string, event: () => KubeEvent__Output, expected: Expected][] = [
  [
    'Event',
    backOffEvent,
    {
      title: 'Pod shop/web-5d8f9-abcde: BackOff',
      text: 'Back-off restarting failed container web in pod web-5d8f9-abcde_shop(p1)',
      severity: 'SEVERITY_WARNING',
      fields: [
        field('Cluster', 'prod'),
        field('Namespace', 'shop'),
        field('Object', 'Pod/web-5d8f9-abcde'),
        field('Reason', 'BackOff'),
        field('Type', 'Warning'),
        field('Count', '3'),
        field('Time', '2026-11-24T14:02:11Z'),
      ],
      fallback: 'Pod shop/web-5d8f9-abcde: BackOff',
      context: 'cluster prod · 2026-11-24T14:02:11Z · rule EventRule/shop/deploys',
      grafana: 'https://grafana.example/d/k8s?var-namespace=shop&var-name=web-5d8f9-abcde',
      runbook: 'https://runbooks.example/BackOff',
    },
  ],
  [
    'Rollout',
    rolloutEvent,
    {
      title: 'Rollout of Deployment shop/web completed (generation 3)',
      text: 'Deployment shop/web rolled out revision 2: 3 of 3 replicas updated and available',
      severity: 'SEVERITY_SUCCESS',
      fields: [
        field('Cluster', 'prod'),
        field('Namespace', 'shop'),
        field('Object', 'Deployment/web'),
        field('Reason', 'RolloutCompleted'),
        field('Type', 'Normal'),
        field('Actor', w('expert@¦org.¦com')),
        field('Time', '2026-11-24T14:02:11Z'),
      ],
      fallback: w('Rollout of Deployment shop/web completed (generation 3) — by expert@¦org.¦com'),
      context: 'cluster prod · 2026-11-24T14:02:11Z · rule EventRule/shop/deploys',
      grafana: 'https://grafana.example/d/k8s?var-namespace=shop&var-name=web',
      runbook: 'https://runbooks.example/RolloutCompleted',
    },
  ],
  [
    'Change',
    changeEvent,
    {
      title: w('expert@¦org.¦com patched Deployment shop/web'),
      text: w('expert@¦org.¦com patched Deployment shop/web'),
      severity: 'SEVERITY_INFO',
      fields: [
        field('Cluster', 'prod'),
        field('Namespace', 'shop'),
        field('Object', 'Deployment/web'),
        field('Reason', 'Patched'),
        field('Type', 'Normal'),
        field('Actor', w('expert@¦org.¦com')),
        field('Time', '2026-11-24T13:59:58Z'),
      ],
      fallback: w('expert@¦org.¦com patched Deployment shop/web'),
      context: 'cluster prod · 2026-11-24T13:59:58Z · rule EventRule/shop/deploys',
      grafana: 'https://grafana.example/d/k8s?var-namespace=shop&var-name=web',
      runbook: 'https://runbooks.example/Patched',
    },
  ],
];

for (const [source, event, expected] of EXPECTED) {
  test(`${source} defaults on slack, telegram and teams`, () => {
    const grafana = { title: 'Grafana', url: expected.grafana };
    assert.equal(render('slack', event()), {
      message: {
        slack: {
          title: expected.title,
          text: expected.text,
          severity: expected.severity,
          fields: expected.fields,
          links: [grafana, { title: 'Runbook', url: expected.runbook }],
          fallback: expected.fallback,
          context: expected.context,
        },
      },
      warnings: [],
    });
    assert.equal(render('telegram', event()), {
      message: {
        telegram: {
          title: expected.title,
          text: expected.text,
          severity: expected.severity,
          fields: expected.fields,
          links: [grafana],
          silent: expected.severity !== 'SEVERITY_WARNING',
        },
      },
      warnings: [],
    });
    assert.equal(render('teams', event()), {
      message: {
        teams: {
          title: expected.title,
          text: expected.text,
          severity: expected.severity,
          fields: expected.fields,
          links: [grafana],
          context: expected.context,
        },
      },
      warnings: [],
    });
  });
}

test('elastic gets the stored document, with the delivery id and no index; templates do not apply', () => {
  const result = render('elastic', rolloutEvent(), { title: 'ignored {{#' });
  assert.equal(result.warnings, []);
  assert.ok('elastic' in result.message);
  const document = 'elastic' in result.message ? result.message.elastic : undefined;
  assert.is(document?.index, '');
  const parsed = JSON.parse(document?.documentJson ?? '{}');
  assert.is(parsed.delivery_id, 'd-1');
  assert.is(parsed['@timestamp'], '2026-11-24T14:02:11.000Z');
  assert.equal(parsed.rule, { kind: 'EventRule', namespace: 'shop', name: 'deploys' });
});

test('a plugin type without a message gets an empty one: its plugin reads the KubeEvent', () => {
  assert.equal(render('pagerduty', backOffEvent()), { message: {}, warnings: [] });
  assert.equal(render('__proto__', backOffEvent()), { message: {}, warnings: [] });
});

test('templates replace the title and text; values are neutralised for the channel after rendering', () => {
  const result = render('slack', rolloutEvent({ message: 'ping @here' }), {
    title:
      '{{event.object.kind}} {{event.object.name}} is live in {{event.cluster}} (by {{event.actor.username}})',
    text: '{{event.message}} — <!channel> {{nope}}!',
  });
  assert.equal(result.warnings, []);
  const slack = 'slack' in result.message ? result.message.slack : undefined;
  assert.is(slack?.title, w('Deployment web is live in prod (by expert@¦org.¦com)'));
  assert.is(slack?.text, w('ping @¦here — <¦!channel> !'));
  assert.is(slack?.fallback, w('Deployment web is live in prod (by expert@¦org.¦com)'));
});

test('a template that fails falls back to the default, with a warning', () => {
  const result = render('teams', backOffEvent(), {
    title: 'Broken {{#event.object}}',
    text: 'Count {{event.count}}',
  });
  assert.equal(result.warnings, [
    'title template failed (Unclosed section "event.object" at 24); used the default title',
  ]);
  const teams = 'teams' in result.message ? result.message.teams : undefined;
  assert.is(teams?.title, 'Pod shop/web-5d8f9-abcde: BackOff');
  assert.is(teams?.text, 'Count 3');
});

test('a title that renders blank falls back; a blank text is kept', () => {
  const result = render('telegram', backOffEvent(), { title: '{{nope}} ', text: '' });
  assert.equal(result.warnings, ['title template rendered blank; used the default title']);
  const telegram = 'telegram' in result.message ? result.message.telegram : undefined;
  assert.is(telegram?.title, 'Pod shop/web-5d8f9-abcde: BackOff');
  assert.is(telegram?.text, '');
});

test('a dropped link is reported alongside', () => {
  const result = renderMessage(
    { type: 'slack', event: backOffEvent(), rule: RULE, deliveryId: 'd-1' },
    { ...CONTEXT, links: [{ title: 'Bad', url: '{{event.message}}' }] },
  );
  assert.equal(result.warnings, ['link "Bad" dropped: the rendered url is not an absolute http(s) URL']);
  assert.equal('slack' in result.message ? result.message.slack.links : undefined, []);
});

test.run();
