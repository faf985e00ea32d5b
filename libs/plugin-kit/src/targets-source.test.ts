import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readTargetsSource, targetEntries } from './targets-source.ts';

const files: Record<string, string> = { '/secret/targets.yaml': 'ops:\n  webhookUrl: https://x.test/hook\n' };
const readFile = (path: string) => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  return text;
};

test('reads the file named by TARGETS_FILE, or inline TARGETS', () => {
  assert.equal(readTargetsSource({ TARGETS_FILE: '/secret/targets.yaml' }, readFile), {
    value: { ops: { webhookUrl: 'https://x.test/hook' } },
  });
  assert.equal(readTargetsSource({ TARGETS: '{"a": {"chatId": 1}}' }, readFile), {
    value: { a: { chatId: 1 } },
  });
});

test('errors name the setting and never quote the content', () => {
  const table: [NodeJS.ProcessEnv, string][] = [
    [{}, 'no targets: set TARGETS_FILE to a YAML/JSON file (a mounted Secret) or TARGETS to YAML'],
    [{ TARGETS_FILE: '/a', TARGETS: 'x: 1' }, 'set either TARGETS_FILE or TARGETS, not both'],
    [{ TARGETS_FILE: '/missing' }, 'TARGETS_FILE: cannot read /missing (ENOENT)'],
    [{ TARGETS: 'a: [secret-token\nb: }' }, 'TARGETS: not valid YAML at line 2, column 1'],
  ];
  for (const [env, message] of table) assert.equal(readTargetsSource(env, readFile), { errors: [message] });
});

test('targetEntries: a mapping of names to settings', () => {
  assert.equal(targetEntries({ ops: { a: 1 }, 'dev.team_1': {} }), {
    value: [
      ['ops', { a: 1 }],
      ['dev.team_1', {}],
    ],
  });
  const table: [unknown, string[]][] = [
    [null, ['targets: expected a mapping of target name to its settings']],
    [['ops'], ['targets: expected a mapping of target name to its settings']],
    [{}, ['targets: none configured']],
    [{ ops: 'https://x' }, ['target "ops": expected a mapping of settings']],
    [
      { Ops: {} },
      [
        `target "Ops": name must be 1-63 lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      ],
    ],
  ];
  for (const [raw, errors] of table) assert.equal(targetEntries(raw), { errors }, JSON.stringify(raw));
});

test.run();
