import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { slackTargets } from './slack-targets.ts';

test('reads webhook targets', () => {
  const result = slackTargets({ ops: { webhookUrl: 'https://hooks.slack.com/services/T1/B1/abc' } });
  assert.equal(result, {
    targets: new Map([['ops', { webhookUrl: 'https://hooks.slack.com/services/T1/B1/abc' }]]),
  });
});

test('errors name target and field, never the URL', () => {
  const table: [unknown, string[]][] = [
    [{ ops: {} }, ['target "ops": webhookUrl: required']],
    [
      { ops: { webhookUrl: 'hooks.slack.com/services/T1/B1/secret' } },
      ['target "ops": webhookUrl: expected an absolute http(s) URL'],
    ],
    [
      { ops: { webhookUrl: 'https://x.test/h', channel: '#ops' } },
      ['target "ops": channel: unknown setting; expected one of webhookUrl'],
    ],
    ['https://x', ['targets: expected a mapping of target name to its settings']],
  ];
  for (const [raw, errors] of table) assert.equal(slackTargets(raw), { errors }, JSON.stringify(raw));
});

test('the example Secret in k8s/ holds valid targets', () => {
  const manifest = parse(readFileSync(new URL('../k8s/secret.example.yaml', import.meta.url), 'utf8')) as {
    stringData: { 'targets.yaml': string };
  };
  const result = slackTargets(parse(manifest.stringData['targets.yaml']));
  assert.ok('targets' in result, JSON.stringify(result));
});

test.run();
