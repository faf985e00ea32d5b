import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileUserPatterns, userPatternError } from './user-glob.ts';

const CASES: [patterns: string[], username: string, matches: boolean][] = [
  [['expert@org.com'], 'expert@org.com', true],
  [['expert@org.com'], 'Expert@org.com', false],
  [['expert@org.com'], 'expert@org.com.evil', false],
  [['*@org.com'], 'expert@org.com', true],
  [['*@org.com'], '@org.com', true],
  [['*@org.com'], 'expert@org.co', false],
  [['*@org.com'], 'expert@evil.org.com.x', false],
  [['system:serviceaccount:ci:*'], 'system:serviceaccount:ci:deployer', true],
  [['system:serviceaccount:ci:*'], 'system:serviceaccount:cd:deployer', false],
  [['a*b*c'], 'abc', true],
  [['a*b*c'], 'axxbyyc', true],
  [['a*b*c'], 'acb', false],
  [['ab*ba'], 'aba', false],
  [['ab*ba'], 'abba', true],
  [['*'], '', true],
  [['*'], 'anyone', true],
  [['x', '*@org.com'], 'other@org.com', true],
];

for (const [patterns, username, matches] of CASES) {
  test(`${JSON.stringify(patterns)} ${matches ? 'matches' : 'does not match'} "${username}"`, () => {
    assert.is(compileUserPatterns(patterns)(username), matches);
  });
}

const BAD: [string, string][] = [
  ['', 'must not be empty'],
  ['  ', 'must not be empty'],
  ['user?', '"user?": only "*" is a wildcard; "?", "[" and "]" are not allowed'],
  ['[ab]c', '"[ab]c": only "*" is a wildcard; "?", "[" and "]" are not allowed'],
  ['a b', '"a b": usernames contain no whitespace'],
];
for (const [pattern, message] of BAD) {
  test(`pattern ${JSON.stringify(pattern)} is refused`, () => {
    assert.is(userPatternError(pattern), message);
  });
}

test('valid patterns have no error', () => {
  for (const pattern of ['expert@org.com', '*@org.com', 'system:serviceaccount:ci:*', '*'])
    assert.is(userPatternError(pattern), undefined);
});

test.run();
