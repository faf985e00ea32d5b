import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeMarkdown } from './teams-markdown.ts';

test('escapes what can start Markdown formatting, and nothing a name usually holds', () => {
  const table: [string, string][] = [
    ['web-1', 'web-1'],
    ['shop.example.com', 'shop.example.com'],
    ['**bold** _it_ ~~s~~ `code`', '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\`'],
    ['[click](https://evil.test)', '\\[click\\]\\(https://evil.test\\)'],
    ['![img](x)', '\\!\\[img\\]\\(x\\)'],
    ['<at>user</at>', '\\<at\\>user\\</at\\>'],
    ['a\\b', 'a\\\\b'],
    ['# heading', '\\# heading'],
    ['- item\n+ item\n> quote', '\\- item\n\\+ item\n\\> quote'],
    ['1. first\n 2) second', '1\\. first\n 2\\) second'],
    ['a - b', 'a - b'],
  ];
  for (const [input, output] of table) assert.is(escapeMarkdown(input), output, input);
});

test.run();
