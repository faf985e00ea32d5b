import type {
  ElasticDocument__Output,
  KubeEvent__Output,
  SlackMessage__Output,
  TeamsMessage__Output,
  TelegramMessage__Output,
} from '@k8slistener/proto';

/** A link the listener's configuration adds to chat messages. */
export interface LinkTemplate {
  /** Text of the link; a mustache template like `url`, rendered without URL-encoding. */
  title: string;
  /**
   * A mustache template, e.g.
   * "https://grafana.example/d/k8s?var-namespace={{object.namespace}}&var-name={{object.name}}".
   * Every substituted value is URL-encoded; a result that is not an absolute
   * http(s) URL drops the link.
   */
  url: string;
  /** Only for these destination types; every chat type when absent. */
  types?: string[];
}

/** What the listener knows besides the event: its configuration and the time. */
export interface RenderContext {
  /** Name of the cluster, shown in messages and stored in documents. */
  cluster: string;
  /** When the listener renders; the event's time when it carries none. */
  now: Date;
  links: LinkTemplate[];
}

/** The rule whose destination is being rendered. */
export interface RuleName {
  kind: string;
  namespace: string;
  name: string;
}

/** A destination's templates (mustache); each replaces the default title or text. */
export interface MessageTemplate {
  title?: string;
  text?: string;
}

export interface RenderInput {
  /** The destination's plugin type: slack, telegram, teams, elastic, or a future one. */
  type: string;
  event: KubeEvent__Output;
  rule: RuleName;
  deliveryId: string;
  /** The destination's target name, for templates ({{destination.target}}). */
  target?: string;
  template?: MessageTemplate;
}

/**
 * Exactly one channel message, ready to spread into a Notification; empty for
 * a plugin type the listener has no message for (the plugin then gets only
 * the KubeEvent).
 */
export type RenderedMessage =
  | { slack: SlackMessage__Output }
  | { telegram: TelegramMessage__Output }
  | { teams: TeamsMessage__Output }
  | { elastic: ElasticDocument__Output }
  | Record<string, never>;

export interface RenderResult {
  message: RenderedMessage;
  /** Templates and links that could not be used, each saying what was used instead. Never secrets. */
  warnings: string[];
}
