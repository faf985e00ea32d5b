import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileExpression } from './compile-expression.ts';
import { actor, kubeEvent } from './event-fixture.ts';

const EVENT = kubeEvent({
  source: 'SOURCE_CHANGE',
  reason: 'Updated',
  verb: 'update',
  count: 7,
  actor: actor('expert@org.com', ['developers', 'system:authenticated']),
  involvedObject: { labels: { app: 'shop', tier: 'web' } },
});

const TRUE_OR_FALSE: [string, boolean][] = [
  ["event.source == 'Change' && event.type == 'Normal'", true],
  ["event.source == 'Event'", false],
  ['event.count > 5', true],
  ['event.count == 7 && event.object.generation == 3', true],
  [
    "event.object.kind == 'Deployment' && event.object.namespace == 'shop' && event.object.name == 'web'",
    true,
  ],
  ["event.object.labels.tier == 'web'", true],
  ["event.object.labels['app'] == 'shop'", true],
  ["'canary' in event.object.labels", false],
  ["has(event.object.labels.canary) && event.object.labels.canary == 'true'", false],
  ["event.actor.username.endsWith('@org.com')", true],
  ["'developers' in event.actor.groups", true],
  ["event.actor.groups.exists(g, g.startsWith('system:'))", true],
  ["event.verb in ['create', 'update']", true],
  ["event.message.matches('^Scaled (up|down)')", true],
  ["event.reason.lowerAscii() == 'updated'", true],
  ["event.cluster == 'test' && event.related.kind == ''", true],
  ["event.lastTimestamp == '2026-01-01T00:00:00.500Z'", true],
  ["timestamp(event.lastTimestamp) > timestamp('2025-12-31T00:00:00Z')", true],
  ['size(event.object.labels) == 2', true],
  ['event.object.labels.all(k, k in ["app", "tier"])', true],
];

for (const [source, expected] of TRUE_OR_FALSE) {
  test(`${source} → ${expected}`, () => {
    const compiled = compileExpression(source);
    if ('error' in compiled) assert.unreachable(compiled.error);
    else assert.is(compiled.program(EVENT), expected);
  });
}

const REFUSED: [string, string][] = [
  ['', 'must not be empty (leave it out to match every event)'],
  ['event.count >', 'does not parse: <input>:1:13: found > but expecting end of input'],
  ["event.objet.name == 'x'", "does not type-check: undefined field 'objet' of event (it has: id, source,"],
  ["event.object.nmae == 'x'", "does not type-check: undefined field 'nmae' of event.object"],
  ['has(event.actor.user)', "does not type-check: undefined field 'user' of event.actor"],
  [
    "event.count == '7'",
    "does not type-check: found no matching overload for '_==_' applied to (int, string)",
  ],
  ['event.reason > 3', "does not type-check: found no matching overload for '_>_' applied to (string, int)"],
  [
    'event.reason.startsWith(1)',
    "does not type-check: found no matching overload for 'startsWith' applied to (string, int)",
  ],
  [
    'event.count.contains("x")',
    "does not type-check: found no matching overload for 'contains' applied to (int, string)",
  ],
  ["request.user == 'x'", "does not type-check: undeclared reference to 'request'"],
  ['lookup(event.reason)', "does not type-check: undeclared reference to function 'lookup'"],
  [
    "event.message.matches('a(')",
    'does not type-check: invalid regular expression in matches(): error parsing regexp: missing closing ): `a(`',
  ],
  ['event.count', 'must return bool, not int'],
  ['event.object', 'must return bool, not map(string, dyn)'],
  ['x'.repeat(4097), 'is 4097 characters long; at most 4096 are allowed'],
];

for (const [source, message] of REFUSED) {
  test(`refuses ${JSON.stringify(source.slice(0, 60))}`, () => {
    const compiled = compileExpression(source);
    if (!('error' in compiled)) assert.unreachable('compiled');
    else assert.ok(compiled.error.startsWith(message), compiled.error);
  });
}

test('an evaluation error is returned, never thrown', () => {
  const compiled = compileExpression("event.object.labels.canary == 'true'");
  if ('error' in compiled) return assert.unreachable(compiled.error);
  const result = compiled.program(EVENT);
  assert.instance(result, Error);
  assert.is((result as Error).message, 'field not found: canary');
});

test('a dyn result that is not a bool is an evaluation error', () => {
  const compiled = compileExpression("dyn(event.object.labels)['app']");
  if ('error' in compiled) return assert.unreachable(compiled.error);
  const result = compiled.program(EVENT);
  assert.instance(result, Error);
  assert.is((result as Error).message, 'expression returned a non-bool value');
});

test('an event without actor or object has empty values, not missing ones', () => {
  const compiled = compileExpression(
    "event.actor.username == '' && event.object.kind == '' && size(event.actor.groups) == 0",
  );
  if ('error' in compiled) return assert.unreachable(compiled.error);
  assert.is(compiled.program(kubeEvent({ involvedObject: null, actor: null })), true);
});

test.run();
