import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { characterCount, parseTelegramHtml, trimFormattedText } from './telegram-text.ts';

test('supported tags become entities with UTF-16 offsets', () => {
  const cases: [string, string, unknown[]][] = [
    ['plain', 'plain', []],
    [
      '<b>bold</b> and <strong>strong</strong>',
      'bold and strong',
      [
        { type: 'bold', offset: 0, length: 4 },
        { type: 'bold', offset: 9, length: 6 },
      ],
    ],
    [
      '<i>a</i><em>b</em><u>c</u><ins>d</ins>',
      'abcd',
      [
        { type: 'italic', offset: 0, length: 1 },
        { type: 'italic', offset: 1, length: 1 },
        { type: 'underline', offset: 2, length: 1 },
        { type: 'underline', offset: 3, length: 1 },
      ],
    ],
    [
      '<s>a</s><strike>b</strike><del>c</del>',
      'abc',
      [
        { type: 'strikethrough', offset: 0, length: 1 },
        { type: 'strikethrough', offset: 1, length: 1 },
        { type: 'strikethrough', offset: 2, length: 1 },
      ],
    ],
    [
      '<span class="tg-spoiler">x</span><tg-spoiler>y</tg-spoiler>',
      'xy',
      [
        { type: 'spoiler', offset: 0, length: 1 },
        { type: 'spoiler', offset: 1, length: 1 },
      ],
    ],
    [
      '<a href="https://example.com/?a=1&amp;b=2">link</a>',
      'link',
      [{ type: 'text_link', offset: 0, length: 4, url: 'https://example.com/?a=1&b=2' }],
    ],
    [
      '<a>https://example.com</a>',
      'https://example.com',
      [{ type: 'text_link', offset: 0, length: 19, url: 'https://example.com' }],
    ],
    [
      '<code>x</code> <pre>y</pre>',
      'x y',
      [
        { type: 'code', offset: 0, length: 1 },
        { type: 'pre', offset: 2, length: 1 },
      ],
    ],
    [
      '<pre><code class="language-go">f()</code></pre>',
      'f()',
      [{ type: 'pre', offset: 0, length: 3, language: 'go' }],
    ],
    [
      '<blockquote>q</blockquote><blockquote expandable>e</blockquote>',
      'qe',
      [
        { type: 'blockquote', offset: 0, length: 1 },
        { type: 'expandable_blockquote', offset: 1, length: 1 },
      ],
    ],
    [
      '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
      '👍',
      [{ type: 'custom_emoji', offset: 0, length: 2, custom_emoji_id: '5368324170671202286' }],
    ],
    ['😀<b>x</b>', '😀x', [{ type: 'bold', offset: 2, length: 1 }]],
    [
      '<b>bold <i>both</i></b>',
      'bold both',
      [
        { type: 'bold', offset: 0, length: 9 },
        { type: 'italic', offset: 5, length: 4 },
      ],
    ],
    ['<B>upper</B>', 'upper', [{ type: 'bold', offset: 0, length: 5 }]],
    ['<b>x</>', 'x', [{ type: 'bold', offset: 0, length: 1 }]],
    ['<b></b>empty', 'empty', []],
    ['<b class=x>x</b >', 'x', [{ type: 'bold', offset: 0, length: 1 }]],
  ];
  for (const [html, text, entities] of cases) {
    assert.equal(parseTelegramHtml(html), { ok: true, text, entities }, html);
  }
});

test('HTML entities are decoded as Telegram does', () => {
  const cases: [string, string][] = [
    ['&lt;pod&gt; &amp; &quot;x&quot;', '<pod> & "x"'],
    ['&#60;&#x3E;&#x1F600;', '<>😀'],
    ['&lt no semicolon', '< no semicolon'],
    ['&nbsp; &copy; & alone', '&nbsp; &copy; & alone'],
    ['&#0; &#xFFFFFF;', '&#0; &#xFFFFFF;'],
  ];
  for (const [html, text] of cases) {
    assert.equal(parseTelegramHtml(html), { ok: true, text, entities: [] }, html);
  }
});

test('markup Telegram refuses is refused with its words and byte offsets', () => {
  const cases: [string, string][] = [
    ['a <p>b</p>', 'Unsupported start tag "p" at byte offset 2'],
    ['é <div>', 'Unsupported start tag "div" at byte offset 3'],
    ['1 < 2', 'Unsupported start tag "" at byte offset 2'],
    ['x <b', 'Unclosed start tag at byte offset 2'],
    ['<b>open', `Can't find end tag corresponding to start tag "b"`],
    ['<b><i>x</b></i>', 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'],
    ['x</b>', 'Unexpected end tag at byte offset 1'],
    ['<b>x</b', 'Unclosed end tag at byte offset 4'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ['<span class="other">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ['<a href>x</a>', 'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0'],
    ['<a =x>x</a>', 'Empty attribute name in the tag "a" at byte offset 0'],
    ['<a href="x>x</a>', 'Unclosed start tag at byte offset 0'],
    ['<a href=x/y>x</a>', 'Unexpected end of name token at byte offset 8'],
  ];
  for (const [html, error] of cases) {
    assert.equal(parseTelegramHtml(html), { ok: false, error }, html);
  }
});

test('trimming drops outer whitespace and moves entities with the text', () => {
  assert.equal(
    trimFormattedText({
      text: '  <b> x </b>  ',
      entities: [
        { type: 'bold', offset: 2, length: 10 },
        { type: 'italic', offset: 0, length: 1 },
      ],
    }),
    { text: '<b> x </b>', entities: [{ type: 'bold', offset: 0, length: 10 }] },
  );
  assert.equal(trimFormattedText({ text: ' \n ', entities: [{ type: 'bold', offset: 0, length: 3 }] }), {
    text: '',
    entities: [],
  });
});

test('characterCount counts code points, not UTF-16 units', () => {
  assert.is(characterCount('abc'), 3);
  assert.is(characterCount('😀😀'), 2);
});

test.run();
