import type { KubeEvent__Output } from '@k8slistener/proto';
import type { CompiledRule, RuleMatch } from './rule-types.ts';

/**
 * Exact-valued event fields rules are indexed by, most selective first: a
 * rule is filed under the first of these it constrains, once per listed
 * value, so an event only visits the rules filed under its own values (plus
 * the rules that constrain none of them).
 */
const DIMENSIONS = ['reason', 'kind', 'namespace', 'source', 'type'] as const;
type Dimension = (typeof DIMENSIONS)[number];

const SOURCE_ENUM = { Event: 'SOURCE_EVENT', Rollout: 'SOURCE_ROLLOUT', Change: 'SOURCE_CHANGE' } as const;
const TYPE_ENUM = { Normal: 'EVENT_TYPE_NORMAL', Warning: 'EVENT_TYPE_WARNING' } as const;

/** A rule with its exact-value constraints as sets, in the event's own vocabulary. */
interface Entry {
  rule: CompiledRule;
  sets: Record<Dimension, ReadonlySet<string>>;
  dimension: Dimension | undefined;
}

export interface RuleIndexOptions {
  /**
   * Called when a rule's CEL expression fails to evaluate for an event (a
   * missing map key, a dyn value of the wrong type…). The event then does not
   * match that rule; matching goes on.
   */
  onCelError?: (rule: CompiledRule, error: Error, event: KubeEvent__Output) => void;
}

/**
 * The set of compiled rules, matched against each event. Candidate rules
 * come from hash lookups on the event's reason, kind, namespace, source and
 * type, so the cost per event follows the number of rules that could match,
 * not the number of rules; the remaining predicates run on those candidates
 * only, cheapest first, CEL last.
 */
export class RuleIndex {
  readonly #entries = new Map<string, Entry>();
  readonly #buckets = new Map<Dimension, Map<string, Set<Entry>>>(DIMENSIONS.map((d) => [d, new Map()]));
  readonly #wildcard = new Set<Entry>();
  readonly #onCelError: RuleIndexOptions['onCelError'];
  #celErrors = 0;

  constructor(options: RuleIndexOptions = {}) {
    this.#onCelError = options.onCelError;
  }

  /** Number of rules in the index. */
  get size(): number {
    return this.#entries.size;
  }

  /** How many CEL evaluations have failed since the index was made. */
  get celErrors(): number {
    return this.#celErrors;
  }

  get(key: string): CompiledRule | undefined {
    return this.#entries.get(key)?.rule;
  }

  /** Adds a rule, or replaces the rule with the same key. */
  upsert(rule: CompiledRule): void {
    this.remove(rule.key);
    const namespaces = rule.kind === 'EventRule' ? [rule.namespace] : rule.match.namespaces;
    const sets: Entry['sets'] = {
      reason: new Set(rule.match.reasons),
      kind: new Set(rule.match.kinds),
      namespace: new Set(namespaces),
      source: new Set(rule.match.sources.map((s) => SOURCE_ENUM[s])),
      type: new Set(rule.match.types.map((t) => TYPE_ENUM[t])),
    };
    const dimension = DIMENSIONS.find((d) => sets[d].size > 0);
    const entry: Entry = { rule, sets, dimension };
    this.#entries.set(rule.key, entry);
    if (dimension === undefined) {
      this.#wildcard.add(entry);
      return;
    }
    const bucket = this.#buckets.get(dimension) as Map<string, Set<Entry>>;
    for (const value of sets[dimension]) {
      let entries = bucket.get(value);
      if (!entries) {
        entries = new Set();
        bucket.set(value, entries);
      }
      entries.add(entry);
    }
  }

  /** Removes the rule with this key (see ruleKey); unknown keys are ignored. */
  remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    if (entry.dimension === undefined) {
      this.#wildcard.delete(entry);
      return;
    }
    const bucket = this.#buckets.get(entry.dimension) as Map<string, Set<Entry>>;
    for (const value of entry.sets[entry.dimension]) {
      const entries = bucket.get(value);
      entries?.delete(entry);
      if (entries?.size === 0) bucket.delete(value);
    }
  }

  /** Every (rule, destination) the event matches, ordered by rule key, then destination index. */
  match(event: KubeEvent__Output): RuleMatch[] {
    const values: Record<Dimension, string> = {
      reason: event.reason ?? '',
      kind: event.involvedObject?.kind ?? '',
      namespace: event.involvedObject?.namespace ?? '',
      source: event.source ?? '',
      type: event.type ?? '',
    };
    const matched: CompiledRule[] = [];
    for (const entry of this.#wildcard) if (this.#test(entry, event, values)) matched.push(entry.rule);
    for (const dimension of DIMENSIONS) {
      const entries = this.#buckets.get(dimension)?.get(values[dimension]);
      if (entries)
        for (const entry of entries) if (this.#test(entry, event, values)) matched.push(entry.rule);
    }
    if (matched.length > 1) matched.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const result: RuleMatch[] = [];
    for (const rule of matched)
      rule.destinations.forEach((destination, destinationIndex) => {
        result.push({ rule, destinationIndex, destination });
      });
    return result;
  }

  #test(entry: Entry, event: KubeEvent__Output, values: Record<Dimension, string>): boolean {
    for (const dimension of DIMENSIONS) {
      const set = entry.sets[dimension];
      if (set.size > 0 && !set.has(values[dimension])) return false;
    }
    const { matchers } = entry.rule;
    if (matchers.user) {
      const username = event.actor?.username ?? '';
      // An event without a known actor never matches a rule about who did it.
      if (username === '' || !matchers.user(username)) return false;
    }
    if (matchers.labels && !matchers.labels(event.involvedObject?.labels ?? {})) return false;
    if (matchers.message && !matchers.message.test(event.message ?? '')) return false;
    if (matchers.expression) {
      const result = matchers.expression(event);
      if (result instanceof Error) {
        this.#celErrors++;
        this.#onCelError?.(entry.rule, result, event);
        return false;
      }
      return result;
    }
    return true;
  }
}
