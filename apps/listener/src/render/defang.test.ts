import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  breakAfter,
  breakDomains,
  breakLineStarts,
  breakTokenStart,
  defangSchemeUrls,
  replaceMarkup,
  stripControls,
  WORD_JOINER,
} from './defang.ts';

const w = (text: string) => text.replaceAll('¦', WORD_JOINER);

test('the joiner is U+2060 WORD JOINER, which normalisation keeps', () => {
  assert.is(WORD_JOINER, '\u2060');
  assert.is(WORD_JOINER.normalize('NFKC'), WORD_JOINER);
});

test('stripControls keeps tabs and newlines, normalises CRLF, drops other controls and bidi overrides', () => {
  assert.is(stripControls('a\tb\r\nc\rd\u0000e\u001Bf\u0085g\u202Eh\u2067i'), 'a\tb\nc\ndefghi');
});

test('defangSchemeUrls: any scheme, dots of the authority bracketed, path kept', () => {
  const table: [string, string][] = [
    ['https://evil.com/a.b', 'https[:]//evil[.]com/a.b'],
    ['x git+ssh://user@git.example.org:22/r', 'x git+ssh[:]//user@git[.]example[.]org:22/r'],
    ['tg://resolve', 'tg[:]//resolve'],
    ['http://10.0.0.1:8080', 'http[:]//10[.]0[.]0[.]1:8080'],
    ['no url: here', 'no url: here'],
  ];
  for (const [input, expected] of table) assert.is(defangSchemeUrls(input), expected);
});

test('breakDomains: a joiner after each dot between letters or digits, IDN full stops included', () => {
  assert.is(breakDomains('evil.com, v1.2, end. Next'), w('evil.¦com, v1.¦2, end. Next'));
  assert.is(breakDomains('evil。com'), w('evil。¦com'));
});

test('breakAfter and breakTokenStart', () => {
  assert.is(breakAfter('@a @ b @', '@'), w('@¦a @ b @'));
  assert.is(breakAfter(w('@¦a'), '@'), w('@¦a'));
  assert.is(breakTokenStart('/start a/b //x', '/', /[a-z]/), w('/¦start a/b //x'));
  assert.is(breakTokenStart('$USD 5$ a$b', '$', /\p{L}/u), w('$¦USD 5$ a$b'));
});

test('replaceMarkup keeps underscores inside words', () => {
  assert.is(replaceMarkup('*a* _b_ ~c~ `d` MY_VAR'), '∗a∗ ＿b＿ ∼c∼ ˋdˋ MY_VAR');
});

test('breakLineStarts: quotes, headings and list markers at a line start only', () => {
  assert.is(
    breakLineStarts('>q\n# h\n - i\n+ i\n12. i\n3) i\na - b\n#tag'),
    w('¦>q\n¦# h\n ¦- i\n¦+ i\n¦12. i\n¦3) i\na - b\n#tag'),
  );
});

test.run();
