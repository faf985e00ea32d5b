import { createRequire } from 'node:module';
import type { TeamsMessage__Output } from '@k8slistener/proto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type AdaptiveCard, adaptiveCard, MAX_ACTIONS, MAX_FACTS, teamsEnvelope } from './adaptive-card.ts';

// Microsoft's own library. Its ESM build imports without file extensions, which Node refuses; the
// UMD bundle loads. Parsing and validation need no DOM (only render() does).
const AC = createRequire(import.meta.url)(
  'adaptivecards/dist/adaptivecards.js',
) as typeof import('adaptivecards');

/** Every problem Microsoft's parser and validator report for a card, plus what a round trip loses. */
function cardProblems(card: AdaptiveCard): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of parsed.validateProperties().validationEvents)
    problems.push(`validate: ${event.message}`);
  // Anything the library did not understand is dropped on the way back out.
  const { msteams: _teamsOnly, ...portable } = card;
  const roundTrip = parsed.toJSON() as Record<string, unknown>;
  if (canonical(roundTrip) !== canonical(portable)) {
    problems.push(`round trip differs:\n${canonical(roundTrip)}\n${canonical(portable)}`);
  }
  return problems;
}

/** JSON with keys sorted, so two objects compare by content, not key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

const message = (over: Partial<TeamsMessage__Output> = {}): TeamsMessage__Output => ({
  title: 'Deployment shop/web rolled out',
  text: 'Rollout completed: 3 of 3 replicas updated.',
  severity: 'SEVERITY_SUCCESS',
  fields: [
    { name: 'Namespace', value: 'shop', short: true },
    { name: 'Revision', value: '7', short: true },
  ],
  links: [{ title: 'Dashboard', url: 'https://grafana.example.com/d/1' }],
  context: 'cluster prod · by expert@org.com · 2026-11-24T14:02:11Z',
  ...over,
});
const card = (m: TeamsMessage__Output) => {
  const result = adaptiveCard(m);
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.value;
};

test('the full card, exactly', () => {
  assert.equal(card(message()), {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      {
        type: 'Container',
        style: 'good',
        bleed: true,
        items: [
          {
            type: 'RichTextBlock',
            inlines: [
              { type: 'TextRun', text: '✅ SUCCESS', size: 'Small', weight: 'Bolder', color: 'Good' },
            ],
          },
          {
            type: 'RichTextBlock',
            inlines: [
              {
                type: 'TextRun',
                text: 'Deployment shop/web rolled out',
                size: 'Large',
                weight: 'Bolder',
                color: 'Good',
              },
            ],
          },
        ],
      },
      {
        type: 'RichTextBlock',
        inlines: [{ type: 'TextRun', text: 'Rollout completed: 3 of 3 replicas updated.' }],
        spacing: 'Medium',
      },
      {
        type: 'FactSet',
        spacing: 'Medium',
        facts: [
          { title: 'Namespace', value: 'shop' },
          { title: 'Revision', value: '7' },
        ],
      },
      {
        type: 'RichTextBlock',
        inlines: [
          {
            type: 'TextRun',
            text: 'cluster prod · by expert@org.com · 2026-11-24T14:02:11Z',
            size: 'Small',
            isSubtle: true,
          },
        ],
        spacing: 'Medium',
      },
    ],
    actions: [{ type: 'Action.OpenUrl', title: 'Dashboard', url: 'https://grafana.example.com/d/1' }],
    msteams: { width: 'Full' },
  });
});

test("Microsoft's adaptivecards library parses and validates every card we produce without a complaint", () => {
  const cases: Partial<TeamsMessage__Output>[] = [
    {},
    { severity: 'SEVERITY_UNSPECIFIED' },
    { severity: 'SEVERITY_INFO' },
    { severity: 'SEVERITY_WARNING' },
    { severity: 'SEVERITY_ERROR' },
    { text: '', fields: [], links: [], context: '' },
    { title: '', context: '' },
    {
      title: 'x'.repeat(10_000),
      text: '**not bold** [link](https://evil.test) <at>all</at>'.repeat(500),
      fields: Array.from({ length: 100 }, (_, i) => ({
        name: `*f${i}*`,
        value: `_v_ [x](y)`,
        short: i % 2 === 0,
      })),
      links: Array.from({ length: 10 }, (_, i) => ({ title: `l${i}`, url: `https://x.test/${i}` })),
    },
  ];
  for (const over of cases)
    assert.equal(cardProblems(card(message(over))), [], JSON.stringify(over).slice(0, 80));
});

test('the validator used above does catch a bad card', () => {
  const bad = card(message());
  (bad.body[0] as { style: string }).style = 'loud';
  bad.body.push({ type: 'Bogus' });
  assert.equal(cardProblems(bad).slice(0, 2), [
    'parse: Invalid value "loud" for property "style".',
    'parse: Unknown element type "Bogus". Fallback will be used if present.',
  ]);
});

test('severity sets the container style and the title colour', () => {
  const table: [TeamsMessage__Output['severity'], string, string][] = [
    ['SEVERITY_UNSPECIFIED', 'accent', 'Accent'],
    ['SEVERITY_INFO', 'accent', 'Accent'],
    ['SEVERITY_SUCCESS', 'good', 'Good'],
    ['SEVERITY_WARNING', 'warning', 'Warning'],
    ['SEVERITY_ERROR', 'attention', 'Attention'],
  ];
  for (const [severity, style, color] of table) {
    const container = card(message({ severity })).body[0] as {
      style: string;
      items: { inlines: { color: string }[] }[];
    };
    assert.equal([container.style, container.items[1]?.inlines[0]?.color], [style, color], severity);
  }
});

test('untrusted text: TextRuns carry it verbatim, fact titles and values are Markdown-escaped', () => {
  const c = card(
    message({
      title: '**boom** <at>all</at>',
      fields: [{ name: 'Pod_name', value: '[x](https://evil.test)', short: true }],
    }),
  );
  const title = (c.body[0] as { items: { inlines: { text: string }[] }[] }).items[1]?.inlines[0]?.text;
  assert.is(title, '**boom** <at>all</at>');
  assert.equal((c.body[2] as { facts: unknown[] }).facts[0], {
    title: 'Pod\\_name',
    value: '\\[x\\]\\(https://evil.test\\)',
  });
});

test('limits: at most 30 facts and 5 actions', () => {
  const c = card(
    message({
      fields: Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, value: 'v', short: true })),
      links: Array.from({ length: 9 }, (_, i) => ({ title: `l${i}`, url: `https://x.test/${i}` })),
    }),
  );
  assert.is((c.body[2] as { facts: unknown[] }).facts.length, MAX_FACTS);
  assert.is(c.actions?.length, MAX_ACTIONS);
  assert.ok(JSON.stringify(teamsEnvelope(card(message({ text: 'x'.repeat(50_000) })))).length < 28_000);
});

test('refuses non-http links and empty messages', () => {
  const table: [Partial<TeamsMessage__Output>, string[]][] = [
    [
      { links: [{ title: 'x', url: 'file:///etc/passwd' }] },
      ['links[0].url: expected an absolute http(s) URL'],
    ],
    [{ title: '', text: '', fields: [] }, ['message has no title, text or fields']],
  ];
  for (const [over, errors] of table) assert.equal(adaptiveCard(message(over)), { errors });
});

test('the envelope: a message with the card as its one Adaptive Card attachment', () => {
  const c = card(message());
  assert.equal(teamsEnvelope(c), {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: c }],
  });
});

test.run();
