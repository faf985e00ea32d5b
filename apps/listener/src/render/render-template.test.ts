import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { displayValue, renderTemplate } from './render-template.ts';

const VIEW = {
  message: 'Back-off <b> & "quotes"',
  count: 3,
  object: { name: 'web', labels: { tier: 'front', app: 'web' }, generation: 0 },
  actor: { username: 'expert@org.com', groups: ['developers', 'system:authenticated'] },
};

test('names, dotted paths, sections and inverted sections render as plain text (no HTML escaping)', () => {
  assert.equal(renderTemplate('{{object.name}}: {{message}} (x{{count}})', VIEW), {
    text: 'web: Back-off <b> & "quotes" (x3)',
  });
  assert.equal(renderTemplate('{{#actor.groups}}[{{.}}]{{/actor.groups}}', VIEW), {
    text: '[developers][system:authenticated]',
  });
  assert.equal(renderTemplate('{{^object.generation}}no generation{{/object.generation}}', VIEW), {
    text: 'no generation',
  });
  assert.equal(renderTemplate('{{#object}}{{name}} / {{actor.username}}{{/object}}', VIEW), {
    text: 'web / expert@org.com',
  });
  assert.equal(renderTemplate('{{message.length}}', VIEW), { text: '23' });
});

test('arrays and label maps read as lists', () => {
  assert.equal(renderTemplate('{{actor.groups}} | {{object.labels}}', VIEW), {
    text: 'developers, system:authenticated | app=web, tier=front',
  });
  assert.is(displayValue(true), 'true');
  assert.is(displayValue(null), '');
});

test('a missing name renders as empty', () => {
  assert.equal(renderTemplate('[{{nope}}] [{{object.nope}}] [{{nope.deeper}}]', VIEW), { text: '[] [] []' });
});

test('a template mustache cannot parse is an error naming the problem', () => {
  const table: [string, string][] = [
    ['{{#message}}open', 'Unclosed section "message" at 16'],
    ['unclosed {{message', 'Unclosed tag at 18'],
    ['{{#a}}{{/b}}', 'Unclosed section "a" at 6'],
    ['{{/a}}', 'Unopened section "a" at 0'],
  ];
  for (const [template, error] of table) assert.equal(renderTemplate(template, VIEW), { error }, template);
});

test('lambdas, prototypes and functions cannot run: the view is data and only own properties are read', () => {
  assert.equal(renderTemplate('{{#lambda}}boom{{/lambda}}', VIEW), { text: '' });
  assert.equal(
    renderTemplate(
      '[{{object.constructor}}][{{#object.constructor.constructor}}return process{{/object.constructor.constructor}}][{{message.constructor}}][{{__proto__}}][{{toString}}][{{actor.groups.constructor}}]',
      VIEW,
    ),
    { text: '[][][][][][]' },
  );
  let called = 0;
  const hostile = {
    fn: () => {
      called++;
      return 'ran';
    },
  };
  assert.equal(renderTemplate('[{{fn}}][{{#fn}}section{{/fn}}][{{{fn}}}]', hostile), { text: '[][][]' });
  assert.is(called, 0);
});

test('partials are disabled', () => {
  assert.equal(renderTemplate('[{{> secrets}}]', VIEW), { text: '[]' });
});

test('every substitution, triple braces and & included, goes through encode', () => {
  assert.equal(
    renderTemplate(
      'https://x.example/?a={{message}}&b={{{message}}}&c={{&object.name}}',
      VIEW,
      encodeURIComponent,
    ),
    {
      text: 'https://x.example/?a=Back-off%20%3Cb%3E%20%26%20%22quotes%22&b=Back-off%20%3Cb%3E%20%26%20%22quotes%22&c=web',
    },
  );
});

test.run();
