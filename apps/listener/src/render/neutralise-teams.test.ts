import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WORD_JOINER } from './defang.ts';
import { neutraliseTeams } from './neutralise-teams.ts';

/** Expected text with ¦ standing for the invisible word joiner. */
const w = (text: string) => text.replaceAll('¦', WORD_JOINER);

const HOSTILE: [input: string, expected: string][] = [
  ['**bold**', '∗∗bold∗∗'],
  ['*italic* _italic_', '∗italic∗ ＿italic＿'],
  ['`code` ~~gone~~', 'ˋcodeˋ ∼∼gone∼∼'],
  ['[text](https://evil.com)', '[text]¦(https[:]//evil[.]com)'],
  ['![img](https://evil.com/x.png)', '![img]¦(https[:]//evil[.]com/x.¦png)'],
  ['[text](javascript:alert(1))', '[text]¦(javascript:alert(1))'],
  ['<at>user</at>', '<¦at>user<¦/at>'],
  ['<b>html</b> <img src=x>', '<¦b>html<¦/b> <¦img src=x>'],
  ['<https://evil.com>', '<¦https[:]//evil[.]com>'],
  ['see https://evil.com/login', 'see https[:]//evil[.]com/login'],
  ['evil.com', 'evil.¦com'],
  ['@user', '@¦user'],
  ['mail expert@org.com', 'mail expert@¦org.¦com'],
  ['- item\n1. one\n# heading\n> quote', '¦- item\n¦1. one\n¦# heading\n¦> quote'],
  ['  + nested', '  ¦+ nested'],
  ['#general', '#¦general'],
  ['a\u202Db\u001Bc', 'abc'],
];

/** Left exactly as they are: the plugin escapes for the card; identifiers read unchanged. */
const BENIGN = [
  'a & b < c > d',
  'MY_VAR and kube_pod_info',
  'Deployment shop/web: RolloutCompleted',
  'Scaled up replica set web-5d8f9 to 3',
  '3 - 1 = 2',
];

const SURVIVORS: [what: string, pattern: RegExp][] = [
  ['emphasis, strike or code', /[*~`]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/u],
  ['markdown link or image', /\]\(/],
  ['HTML or <at> mention', /<\/?[a-z]/i],
  ['mention or e-mail', /@[\p{L}\p{N}]/u],
  ['URL with a scheme', /\b[a-z][a-z0-9+.-]*:\/\//i],
  ['domain', /[\p{L}\p{N}][.][\p{L}\p{N}]/u],
  ['list, heading or quote', /^[ \t]*(?:>|#+ |[-+*] |\d+[.)] )/m],
  ['hashtag', /(^|[^\p{L}\p{N}_])#[\p{L}\p{N}]/u],
  ['control or bidi override', /(?![\n\t])[\p{Cc}\u202A-\u202E\u2066-\u2069]/u],
];

test('hostile strings are neutralised exactly', () => {
  for (const [input, expected] of HOSTILE) {
    assert.is(neutraliseTeams(input), w(expected), JSON.stringify(input));
  }
});

test('benign text is left exactly as it is', () => {
  for (const input of BENIGN) assert.is(neutraliseTeams(input), input);
});

test('no markdown, HTML, mention or link syntax survives', () => {
  for (const input of [...HOSTILE.map(([input]) => input), ...BENIGN]) {
    const out = neutraliseTeams(input);
    for (const [what, pattern] of SURVIVORS) {
      assert.not.match(out, pattern, `${what} survived in ${JSON.stringify(out)}`);
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
    assert.is(neutraliseTeams(neutraliseTeams(input)), neutraliseTeams(input), JSON.stringify(input));
  }
});

test.run();
