import type { KubeEvent__Output } from '@k8slistener/proto';

/** The two rule kinds. An EventRule is namespaced and only sees its own namespace. */
export type RuleKind = 'EventRule' | 'ClusterEventRule';

/** The API group and version of both rule kinds. */
export const RULES_API_VERSION = 'k8slistener.io/v1alpha1';

/** One problem with a rule, named by its path in the object (e.g. "spec.match.messageRegex"). */
export interface FieldError {
  field: string;
  message: string;
}

/** Values of spec.match.sources, as rules write them; KubeEvent.source is SOURCE_<UPPER>. */
export const SOURCE_NAMES = ['Event', 'Rollout', 'Change'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** Values of spec.match.types, as Kubernetes writes event types. */
export const TYPE_NAMES = ['Normal', 'Warning'] as const;
export type TypeName = (typeof TYPE_NAMES)[number];

export const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type LabelSelectorOperator = (typeof LABEL_SELECTOR_OPERATORS)[number];

export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values: string[];
}

/** A standard Kubernetes LabelSelector; both parts must hold (AND). */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: LabelSelectorRequirement[];
}

/** spec.match after validation. Every list empty (and nothing else set) matches every event. */
export interface MatchSpec {
  sources: SourceName[];
  kinds: string[];
  namespaces: string[];
  reasons: string[];
  types: TypeName[];
  users: string[];
  labelSelector?: LabelSelector;
  messageRegex?: string;
  expression?: string;
}

/** Mustache templates, rendered as plain text (no HTML escaping) with the view of templateView(). */
export interface DestinationTemplate {
  title?: string;
  text?: string;
}

export interface Destination {
  /** Plugin type: "slack", "telegram", "teams", "elastic", or any future plugin's type. */
  type: string;
  /** A target name the plugin knows from its own configuration. */
  target: string;
  template?: DestinationTemplate;
}

/** The executable parts of a compiled rule, built once by compileRule. */
export interface RuleMatchers {
  /** Whether the username matches one of spec.match.users (exact or glob). */
  user?: (username: string) => boolean;
  /** Whether the object's labels satisfy spec.match.labelSelector. */
  labels?: (labels: Readonly<Record<string, string>>) => boolean;
  message?: RegExp;
  /** Evaluates spec.match.expression; returns a boolean or the evaluation error. */
  expression?: (event: KubeEvent__Output) => boolean | Error;
}

/** A rule that passed validation, ready for RuleIndex. */
export interface CompiledRule {
  /** ruleKey(): "ClusterEventRule/<name>" or "EventRule/<namespace>/<name>". */
  key: string;
  kind: RuleKind;
  name: string;
  /** The rule's own namespace for an EventRule; "" for a ClusterEventRule. */
  namespace: string;
  uid: string;
  generation: number;
  match: MatchSpec;
  destinations: Destination[];
  matchers: RuleMatchers;
}

/** One destination of one rule that matched an event. */
export interface RuleMatch {
  rule: CompiledRule;
  destinationIndex: number;
  destination: Destination;
}

export type CompileResult = { ok: true; rule: CompiledRule } | { ok: false; errors: FieldError[] };
