import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileLabelSelector, parseLabelSelector } from './label-selector.ts';

function selector(raw: unknown) {
  const parsed = parseLabelSelector(raw, 'sel');
  if (parsed.errors) throw new Error(JSON.stringify(parsed.errors));
  return compileLabelSelector(parsed.value);
}

const MATCHES: [raw: unknown, labels: Record<string, string>, expected: boolean][] = [
  [{}, {}, true],
  [{}, { app: 'x' }, true],
  [{ matchLabels: { app: 'shop' } }, { app: 'shop', tier: 'web' }, true],
  [{ matchLabels: { app: 'shop' } }, { app: 'shop2' }, false],
  [{ matchLabels: { app: 'shop' } }, {}, false],
  [{ matchLabels: { app: '' } }, { app: '' }, true],
  [{ matchLabels: { app: '' } }, {}, false],
  [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, { tier: 'api' }, true],
  [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, { tier: 'db' }, false],
  [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, {}, false],
  [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, { tier: 'web' }, true],
  [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, {}, true],
  [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, { tier: 'db' }, false],
  [{ matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, { canary: '' }, true],
  [{ matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, {}, false],
  [{ matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, {}, true],
  [{ matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, { canary: 'y' }, false],
  [
    {
      matchLabels: { app: 'shop' },
      matchExpressions: [{ key: 'example.com/team', operator: 'In', values: ['a'] }],
    },
    { app: 'shop', 'example.com/team': 'a' },
    true,
  ],
  [
    { matchLabels: { app: 'shop' }, matchExpressions: [{ key: 'team', operator: 'Exists' }] },
    { app: 'shop' },
    false,
  ],
  // A label named like an Object.prototype member is not "present" unless set.
  [{ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, {}, false],
];

MATCHES.forEach(([raw, labels, expected], i) => {
  test(`selector case ${i}: ${JSON.stringify(raw)} on ${JSON.stringify(labels)} → ${expected}`, () => {
    assert.is(selector(raw)(labels), expected);
  });
});

const BAD: [raw: unknown, errors: { field: string; message: string }[]][] = [
  ['x', [{ field: 'sel', message: 'must be an object' }]],
  [{ matchLabels: ['a'] }, [{ field: 'sel.matchLabels', message: 'must be a map of label key to value' }]],
  [
    { matchLabels: { 'bad key!': 'x' } },
    [
      {
        field: 'sel.matchLabels[bad key!]',
        message:
          "\"bad key!\": must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, with an optional DNS-subdomain prefix and '/'",
      },
    ],
  ],
  [
    { matchLabels: { 'Example.com/app': 'x' } },
    [
      {
        field: 'sel.matchLabels[Example.com/app]',
        message: '"Example.com/app": the prefix must be a DNS subdomain (lower case, at most 253 characters)',
      },
    ],
  ],
  [
    { matchLabels: { app: '-x' } },
    [
      {
        field: 'sel.matchLabels[app]',
        message:
          "\"-x\": must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
      },
    ],
  ],
  [{ matchLabels: { app: 1 } }, [{ field: 'sel.matchLabels[app]', message: 'must be a string' }]],
  [
    { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] },
    [
      {
        field: 'sel.matchExpressions[0].operator',
        message: '"Equals" is not one of In, NotIn, Exists, DoesNotExist',
      },
    ],
  ],
  [
    { matchExpressions: [{ key: 'a' }] },
    [
      {
        field: 'sel.matchExpressions[0].operator',
        message: 'null is not one of In, NotIn, Exists, DoesNotExist',
      },
    ],
  ],
  [
    { matchExpressions: [{ operator: 'Exists' }] },
    [{ field: 'sel.matchExpressions[0].key', message: 'is required' }],
  ],
  [
    { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
    [{ field: 'sel.matchExpressions[0].values', message: 'must be non-empty when operator is In' }],
  ],
  [
    { matchExpressions: [{ key: 'a', operator: 'NotIn' }] },
    [{ field: 'sel.matchExpressions[0].values', message: 'must be non-empty when operator is NotIn' }],
  ],
  [
    { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
    [{ field: 'sel.matchExpressions[0].values', message: 'must be empty when operator is Exists' }],
  ],
  [
    { matchExpressions: [{ key: 'a', operator: 'In', values: [3] }] },
    [{ field: 'sel.matchExpressions[0].values[0]', message: 'must be a string' }],
  ],
  [{ matchExpressions: {} }, [{ field: 'sel.matchExpressions', message: 'must be a list' }]],
];

BAD.forEach(([raw, errors], i) => {
  test(`invalid selector ${i}: ${JSON.stringify(raw)}`, () => {
    assert.equal(parseLabelSelector(raw, 'sel'), { errors });
  });
});

test.run();
