import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WORD_JOINER } from './defang.ts';
import { neutraliseSlack } from './neutralise-slack.ts';

/** Expected text with ¦ standing for the invisible word joiner. */
const w = (text: string) => text.replaceAll('¦', WORD_JOINER);

/** What the slack plugin does to text it puts in mrkdwn (apps/slack/src/slack-text.ts). */
const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const HOSTILE: [input: string, expected: string][] = [
  ['@channel', '@¦channel'],
  ['@here', '@¦here'],
  ['@everyone', '@¦everyone'],
  ['hey @channel, deploy now!', 'hey @¦channel, deploy now!'],
  ['@U123 and @alice', '@¦U123 and @¦alice'],
  ['<!channel>', '<¦!channel>'],
  ['<!here|x>', '<¦!here|x>'],
  ['<!everyone>', '<¦!everyone>'],
  ['<@U123>', '<¦@¦U123>'],
  ['<#C123>', '<¦#¦C123>'],
  ['<!subteam^S1>', '<¦!subteam^S1>'],
  ['<https://evil|click>', '<¦https[:]//evil|click>'],
  ['<mailto:a@evil.com|mail>', '<¦mailto:a@¦evil.¦com|mail>'],
  ['login at https://evil.example.com/x?a=1', 'login at https[:]//evil[.]example[.]com/x?a=1'],
  ['HTTP://EVIL.COM', 'HTTP[:]//EVIL[.]COM'],
  ['visit evil.com today', 'visit evil.¦com today'],
  ['www.evil.com/login', 'www.¦evil.¦com/login'],
  ['mail expert@org.com', 'mail expert@¦org.¦com'],
  ['*bold* _it_ ~strike~ `code`', '∗bold∗ ＿it＿ ∼strike∼ ˋcodeˋ'],
  ['```rm -rf /```', 'ˋˋˋrm -rf /ˋˋˋ'],
  ['>quoted\n> again', '¦>quoted\n¦> again'],
  ['#general', '#¦general'],
  [':rotating_light: PAGE :fire:', ':¦rotating_light: PAGE :¦fire:'],
  ['[click](https://evil.com)', '[click]¦(https[:]//evil[.]com)'],
  ['a\u202Eb\u0007c\r\nd', 'abc\nd'],
];

/** Left exactly as they are: the plugin escapes &, < and >; identifiers and times read unchanged. */
const BENIGN = [
  'a & b < c > d',
  '&lt;!channel&gt;',
  'MY_VAR and kube_pod_info',
  'Started at 14:02:11, 3 < 5',
  'Deployment shop/web: RolloutCompleted',
  'Back-off restarting failed container web in pod web-5d8f9_shop(p1)',
];

// Syntax Slack would turn into a ping, a link, a reference or formatting.
const SURVIVORS: [what: string, pattern: RegExp][] = [
  ['broadcast mention', /@(channel|here|everyone)\b/i],
  ['user mention or e-mail', /@[\p{L}\p{N}]/u],
  ['control sequence', /<[!@#a-z]/i],
  ['URL with a scheme', /\b[a-z][a-z0-9+.-]*:\/\//i],
  ['domain', /[\p{L}\p{N}][.][\p{L}\p{N}]/u],
  ['channel reference', /(^|[^\p{L}\p{N}_])#[\p{L}\p{N}]/u],
  ['emphasis, strike or code', /[*~`]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/u],
  ['markdown link', /\]\(/],
  ['block quote', /^\s*(>|&gt;)/m],
  ['emoji code', /:[a-z_]+:/i],
  ['control or bidi override', /(?![\n\t])[\p{Cc}\u202A-\u202E\u2066-\u2069]/u],
];

test('hostile strings are neutralised exactly', () => {
  for (const [input, expected] of HOSTILE) {
    assert.is(neutraliseSlack(input), w(expected), JSON.stringify(input));
  }
});

test('benign text is left exactly as it is', () => {
  for (const input of BENIGN) assert.is(neutraliseSlack(input), input);
});

test('no mention, link or markup syntax survives, before or after the plugin escapes', () => {
  for (const input of [...HOSTILE.map(([input]) => input), ...BENIGN]) {
    const out = neutraliseSlack(input);
    for (const text of [out, escapeMrkdwn(out)]) {
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
    assert.is(neutraliseSlack(neutraliseSlack(input)), neutraliseSlack(input), JSON.stringify(input));
  }
});

test.run();
