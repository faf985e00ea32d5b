import { fitText } from '@k8slistener/plugin-kit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeMrkdwn } from './slack-text.ts';

test('escapeMrkdwn escapes &, < and > and nothing else', () => {
  const table: [string, string][] = [
    ['a & b', 'a &amp; b'],
    ['<!channel> ping', '&lt;!channel&gt; ping'],
    ['<@U123|bob>', '&lt;@U123|bob&gt;'],
    ['<http://evil.test|click>', '&lt;http://evil.test|click&gt;'],
    ['&amp;', '&amp;amp;'],
    ['*bold* _it_ `code` "q" \'s\'', '*bold* _it_ `code` "q" \'s\''],
  ];
  for (const [input, output] of table) assert.is(escapeMrkdwn(input), output, input);
});

test('escaped text is cut between entities', () => {
  assert.is(fitText('a<bc', 5, escapeMrkdwn), 'a…');
  assert.is(fitText('a<b', 6, escapeMrkdwn), 'a&lt;b');
});

test.run();
