import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WORD_JOINER } from './defang.ts';
import { neutraliseTelegram } from './neutralise-telegram.ts';

/** Expected text with ¦ standing for the invisible word joiner. */
const w = (text: string) => text.replaceAll('¦', WORD_JOINER);

/** What the telegram plugin does for HTML parse mode. */
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const HOSTILE: [input: string, expected: string][] = [
  // A closing tag's slash is broken too: once the plugin escapes "<", "&lt;/b" could read as a /command.
  ['<b>bold</b>', '<¦b>bold<¦/¦b>'],
  ['<a href="https://evil.com">x</a>', '<¦a href="https[:]//evil[.]com">x<¦/¦a>'],
  ['<tg-spoiler>x</tg-spoiler>', '<¦tg-spoiler>x<¦/¦tg-spoiler>'],
  ['<code>x</code><pre>y</pre>', '<¦code>x<¦/¦code><¦pre>y<¦/¦pre>'],
  ['@username', '@¦username'],
  ['ping @admin and @all', 'ping @¦admin and @¦all'],
  ['tg://resolve?domain=evil', 'tg[:]//resolve?domain=evil'],
  ['tg://user?id=42', 'tg[:]//user?id=42'],
  ['https://t.me/joinchat/abc', 'https[:]//t[.]me/joinchat/abc'],
  ['t.me/evil', 't.¦me/evil'],
  ['go to evil.com', 'go to evil.¦com'],
  ['mail expert@org.com', 'mail expert@¦org.¦com'],
  ['/start@evil_bot', '/¦start@¦evil_bot'],
  ['please run /ban now', 'please run /¦ban now'],
  ['mounted /var/lib/kubelet', 'mounted /¦var/lib/kubelet'],
  ['#hashtag and $USD', '#¦hashtag and $¦USD'],
  ['a\u2066b\u0000c', 'abc'],
];

/** Left exactly as they are: entities stay literal once the plugin escapes &; HTML mode has no markdown. */
const BENIGN = [
  '&lt;b&gt; stays &amp; literal',
  '*bold* _it_ ~s~ `code`',
  'a & b < c > d',
  'Deployment shop/web: RolloutCompleted',
  'price 5$ at 14:02:11',
];

const SURVIVORS: [what: string, pattern: RegExp][] = [
  ['HTML tag', /<\/?[a-z]/i],
  ['mention or e-mail', /@[\p{L}\p{N}_]/u],
  ['URL with a scheme', /\b[a-z][a-z0-9+.-]*:\/\//i],
  ['domain', /[\p{L}\p{N}][.][\p{L}\p{N}]/u],
  ['bot command', /(^|[^\p{L}\p{N}_/])\/[\p{L}\p{N}_]/u],
  ['hashtag or cashtag', /(^|[^\p{L}\p{N}_])[#$]\p{L}/u],
  ['control or bidi override', /(?![\n\t])[\p{Cc}\u202A-\u202E\u2066-\u2069]/u],
];

test('hostile strings are neutralised exactly', () => {
  for (const [input, expected] of HOSTILE) {
    assert.is(neutraliseTelegram(input), w(expected), JSON.stringify(input));
  }
});

test('benign text is left exactly as it is', () => {
  for (const input of BENIGN) assert.is(neutraliseTelegram(input), input);
});

test('entities stay literal: the plugin escapes & and the reader sees &lt;', () => {
  assert.is(escapeHtml(neutraliseTelegram('&lt;b&gt;')), '&amp;lt;b&amp;gt;');
});

test('no tag, mention, link, command or tag syntax survives, before or after the plugin escapes', () => {
  for (const input of [...HOSTILE.map(([input]) => input), ...BENIGN]) {
    const out = neutraliseTelegram(input);
    for (const text of [out, escapeHtml(out)]) {
      for (const [what, pattern] of SURVIVORS) {
        assert.not.match(text, pattern, `${what} survived in ${JSON.stringify(text)}`);
      }
    }
  }
});

test('each raw hostile string is caught by a survivor pattern (the check above can fail)', () => {
  for (const [input] of HOSTILE) {
    assert.ok(
      SURVIVORS.some(([, pattern]) => pattern.test(input)),
      `no pattern catches ${JSON.stringify(input)}`,
    );
  }
});

test('neutralising twice changes nothing more', () => {
  for (const [input] of HOSTILE) {
    assert.is(
      neutraliseTelegram(neutraliseTelegram(input)),
      neutraliseTelegram(input),
      JSON.stringify(input),
    );
  }
});

test.run();
