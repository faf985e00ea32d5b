// Rule-matching cost per event for 10, 100 and 1,000 rules.
//
//   node libs/rules/bench/match.ts        (or bun)
//
// Rules are a realistic mix: most name a reason, a kind or a namespace (as
// operators write them), a few match everything (an "all events to Elastic"
// rule and a CEL rule) and stay few however many rules there are. Events are
// drawn from the same vocabularies. Printed: µs per event for RuleIndex, and
// for a linear scan of the same predicates as the baseline it replaces.
import type { KubeEvent__Output } from '@k8slistener/proto';
import { type CompiledRule, compileRule, RuleIndex } from '../src/index.ts';

const SIZES = [10, 100, 1000];
const EVENTS_PER_ROUND = 5_000;
const WARMUP_ROUNDS = 2;
const MEASURED_ROUNDS = 5;
const REASONS = Array.from({ length: 200 }, (_, i) => `Reason${i}`);
const KINDS = Array.from({ length: 40 }, (_, i) => `Kind${i}`);
const NAMESPACES = Array.from({ length: 100 }, (_, i) => `ns-${i}`);

/** Deterministic so runs compare. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

function ruleObject(i: number, random: () => number): unknown {
  const destinations = [{ type: pick(random, ['slack', 'telegram', 'teams']), target: `t${i % 7}` }];
  const base = {
    apiVersion: 'k8slistener.io/v1alpha1',
    kind: 'ClusterEventRule',
    metadata: { name: `r${i}` },
  };
  const shape = i % 10;
  if (shape < 4)
    return {
      ...base,
      spec: { match: { reasons: [pick(random, REASONS)], types: ['Warning'] }, destinations },
    };
  if (shape < 6)
    return {
      ...base,
      spec: {
        match: {
          kinds: [pick(random, KINDS)],
          namespaces: [pick(random, NAMESPACES)],
          messageRegex: 'fail|error',
        },
        destinations,
      },
    };
  if (shape < 8)
    return {
      ...base,
      kind: 'EventRule',
      metadata: { name: `r${i}`, namespace: pick(random, NAMESPACES) },
      spec: { match: { labelSelector: { matchLabels: { app: `app${i % 20}` } } }, destinations },
    };
  if (shape === 8)
    return {
      ...base,
      spec: {
        match: { sources: ['Rollout'], kinds: [pick(random, KINDS)], reasons: ['RolloutCompleted'] },
        destinations,
      },
    };
  return {
    ...base,
    spec: {
      match: { kinds: [pick(random, KINDS)], users: ['*@org.com'], expression: 'event.count >= 1' },
      destinations,
    },
  };
}

const EVERYTHING_RULES = [
  {
    apiVersion: 'k8slistener.io/v1alpha1',
    kind: 'ClusterEventRule',
    metadata: { name: 'all-events-to-elastic' },
    spec: { destinations: [{ type: 'elastic', target: 'k8s-events' }] },
  },
  {
    apiVersion: 'k8slistener.io/v1alpha1',
    kind: 'ClusterEventRule',
    metadata: { name: 'many-repeats' },
    spec: {
      match: { expression: "event.count > 10 && event.object.labels['tier'] == 'prod'" },
      destinations: [{ type: 'slack', target: 'oncall' }],
    },
  },
];

function compileAll(size: number): CompiledRule[] {
  const random = prng(size);
  const objects = [
    ...EVERYTHING_RULES,
    ...Array.from({ length: size - EVERYTHING_RULES.length }, (_, i) => ruleObject(i, random)),
  ];
  return objects.map((object) => {
    const result = compileRule(object);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.rule;
  });
}

function events(count: number): KubeEvent__Output[] {
  const random = prng(42);
  return Array.from({ length: count }, (_, i) => ({
    id: `e${i}`,
    source: pick(random, ['SOURCE_EVENT', 'SOURCE_EVENT', 'SOURCE_ROLLOUT', 'SOURCE_CHANGE'] as const),
    involvedObject: {
      apiVersion: 'v1',
      kind: pick(random, KINDS),
      namespace: pick(random, NAMESPACES),
      name: `obj${i % 500}`,
      uid: `uid${i % 500}`,
      labels: { app: `app${i % 20}`, tier: pick(random, ['prod', 'dev']) },
      generation: '1',
      subresource: '',
      fieldPath: '',
    },
    reason: random() < 0.1 ? 'RolloutCompleted' : pick(random, REASONS),
    type: pick(random, ['EVENT_TYPE_NORMAL', 'EVENT_TYPE_WARNING'] as const),
    rawType: '',
    message: pick(random, ['Back-off restarting failed container', 'Scaled up', 'error pulling image']),
    action: '',
    verb: '',
    count: 1 + Math.floor(random() * 20),
    firstTimestamp: null,
    lastTimestamp: null,
    reportingComponent: 'kubelet',
    reportingInstance: '',
    actor:
      random() < 0.3
        ? {
            username: pick(random, ['expert@org.com', 'ci@bots']),
            uid: '',
            groups: [],
            impersonator: '',
            userAgent: '',
            sourceIps: [],
            learnedFrom: 'audit',
          }
        : null,
    cluster: 'bench',
    related: null,
    revision: '',
    auditId: '',
    responseCode: 0,
  }));
}

/** The baseline: every rule tested against every event, in an index of one rule each. */
function linearMatcher(rules: CompiledRule[]): (event: KubeEvent__Output) => number {
  const singles = rules.map((rule) => {
    const index = new RuleIndex();
    index.upsert(rule);
    return index;
  });
  return (event) => {
    let n = 0;
    for (const single of singles) n += single.match(event).length;
    return n;
  };
}

function nsPerEvent(
  match: (event: KubeEvent__Output) => number,
  sample: KubeEvent__Output[],
): { ns: number; matches: number } {
  let matches = 0;
  for (let round = 0; round < WARMUP_ROUNDS; round++) for (const event of sample) matches += match(event);
  const timings: number[] = [];
  for (let round = 0; round < MEASURED_ROUNDS; round++) {
    matches = 0;
    const started = process.hrtime.bigint();
    for (const event of sample) matches += match(event);
    timings.push(Number(process.hrtime.bigint() - started) / sample.length);
  }
  timings.sort((a, b) => a - b);
  return { ns: timings[Math.floor(timings.length / 2)] ?? 0, matches };
}

const sample = events(EVENTS_PER_ROUND);
console.log('rules  index µs/event  linear µs/event  matches/event');
for (const size of SIZES) {
  const rules = compileAll(size);
  const index = new RuleIndex();
  for (const rule of rules) index.upsert(rule);
  const indexed = nsPerEvent((event) => index.match(event).length, sample);
  const linear = nsPerEvent(linearMatcher(rules), sample);
  if (indexed.matches !== linear.matches) throw new Error(`index and linear scan disagree at ${size} rules`);
  console.log(
    `${String(size).padStart(5)}  ${(indexed.ns / 1000).toFixed(2).padStart(15)}  ${(linear.ns / 1000).toFixed(2).padStart(15)}  ${(indexed.matches / sample.length).toFixed(2).padStart(13)}`,
  );
}
