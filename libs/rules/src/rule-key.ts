import type { RuleKind } from './rule-types.ts';

/** The identity of a rule in a RuleIndex: "ClusterEventRule/<name>" or "EventRule/<namespace>/<name>". */
export function ruleKey(rule: { kind: RuleKind; name: string; namespace?: string }): string {
  return rule.kind === 'ClusterEventRule'
    ? `ClusterEventRule/${rule.name}`
    : `EventRule/${rule.namespace ?? ''}/${rule.name}`;
}
