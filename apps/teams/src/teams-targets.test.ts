import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { teamsTargets } from './teams-targets.ts';

const URL_ =
  'https://prod-1.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRET';

test('reads webhook targets', () => {
  assert.equal(teamsTargets({ ops: { webhookUrl: URL_ } }), {
    targets: new Map([['ops', { webhookUrl: URL_ }]]),
  });
});

test('errors name target and field, never the URL', () => {
  const table: [unknown, string[]][] = [
    [{ ops: {} }, ['target "ops": webhookUrl: required']],
    [
      { ops: { webhookUrl: 'outlook.office.com/webhook/SECRET' } },
      ['target "ops": webhookUrl: expected an absolute http(s) URL'],
    ],
    [
      { ops: { webhookUrl: URL_, card: 'x' } },
      ['target "ops": card: unknown setting; expected one of webhookUrl'],
    ],
  ];
  for (const [raw, errors] of table) {
    const result = teamsTargets(raw);
    assert.equal(result, { errors });
    assert.not.ok(JSON.stringify(result).includes('SECRET'));
  }
});

test('the example Secret in k8s/ holds valid targets', () => {
  const manifest = parse(readFileSync(new URL('../k8s/secret.example.yaml', import.meta.url), 'utf8')) as {
    stringData: { 'targets.yaml': string };
  };
  const result = teamsTargets(parse(manifest.stringData['targets.yaml']));
  assert.ok('targets' in result, JSON.stringify(result));
});

test.run();
