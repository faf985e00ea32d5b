import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeAttribute, escapeHtml } from './telegram-html.ts';

test('escapeHtml replaces <, > and & only', () => {
  const table: [string, string][] = [
    ['a < b > c & d', 'a &lt; b &gt; c &amp; d'],
    ['<b>bold</b>', '&lt;b&gt;bold&lt;/b&gt;'],
    ['&lt;', '&amp;lt;'],
    ['"quoted" \'s\' *md* _x_', '"quoted" \'s\' *md* _x_'],
  ];
  for (const [input, output] of table) assert.is(escapeHtml(input), output, input);
});

test('escapeAttribute also escapes the double quote', () => {
  assert.is(escapeAttribute('https://x.test/?a=1&b="2"<'), 'https://x.test/?a=1&amp;b=&quot;2&quot;&lt;');
});

test.run();
