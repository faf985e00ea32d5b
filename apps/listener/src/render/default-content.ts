import type { Field__Output, Link__Output, SlackMessage__Output } from '@k8slistener/proto';
import { type EventFacts, isoSeconds, objectLabel } from './event-facts.ts';
import type { RuleName } from './render-context.ts';

/** The proto Severity's names (the package exports the enum's values, not this type). */
export type Severity = SlackMessage__Output['severity'];

/** The words of a message before any channel: what every chat message is made of. */
export interface MessageContent {
  title: string;
  text: string;
  severity: Severity;
  fields: Field__Output[];
  /** Small print: cluster, time, rule. */
  context: string;
}

const VERB_PAST: Readonly<Record<string, string>> = {
  create: 'created',
  update: 'updated',
  patch: 'patched',
  delete: 'deleted',
  deletecollection: 'deleted a collection of',
};

/** The default title, text, severity, fields and context of an event, before neutralisation. */
export function defaultContent(facts: EventFacts, rule: RuleName, cluster: string): MessageContent {
  return {
    title: defaultTitle(facts),
    text: facts.message,
    severity: defaultSeverity(facts),
    fields: defaultFields(facts, cluster),
    context: contextLine(facts, rule, cluster),
  };
}

/**
 * "Pod shop/web-1: BackOff" for an Event; "Rollout of Deployment shop/web
 * completed (generation 3)" for a Rollout; "expert@org.com patched Deployment
 * shop/web" for a Change.
 */
export function defaultTitle(facts: EventFacts): string {
  const object = objectLabel(facts.object);
  if (facts.source === 'Rollout') {
    const phase = (/^Rollout(\w+)$/.exec(facts.reason)?.[1] ?? facts.action).toLowerCase();
    const generation = facts.object.generation === '' ? '' : ` (generation ${facts.object.generation})`;
    return ['Rollout of', object, phase].filter((part) => part !== '').join(' ') + generation;
  }
  if (facts.source === 'Change') {
    const done = VERB_PAST[facts.verb] ?? (facts.reason.toLowerCase() || facts.verb || 'changed');
    const sub = facts.object.subresource === '' ? '' : ` (${facts.object.subresource})`;
    return [facts.actor.username || 'someone', done, object].filter((part) => part !== '').join(' ') + sub;
  }
  if (object === '') return facts.reason || 'Kubernetes event';
  return facts.reason === '' ? object : `${object}: ${facts.reason}`;
}

/** Warning → WARNING, RolloutFailed → ERROR, RolloutCompleted → SUCCESS, anything else → INFO. */
export function defaultSeverity(facts: EventFacts): Severity {
  if (facts.reason === 'RolloutFailed') return 'SEVERITY_ERROR';
  if (facts.type === 'Warning') return 'SEVERITY_WARNING';
  if (facts.reason === 'RolloutCompleted') return 'SEVERITY_SUCCESS';
  return 'SEVERITY_INFO';
}

/**
 * Cluster, Namespace, Object, Reason, Type, Actor, Count, Time — each only
 * when known. Actor is left out rather than shown as "unknown": plain
 * Kubernetes Events never carry one, so "unknown" would be on most messages
 * and say nothing. Count only when the event repeated.
 */
export function defaultFields(facts: EventFacts, cluster: string): Field__Output[] {
  const object = [facts.object.kind, facts.object.name].filter((part) => part !== '').join('/');
  const fields: [string, string][] = [
    ['Cluster', facts.cluster || cluster],
    ['Namespace', facts.object.namespace],
    ['Object', object],
    ['Reason', facts.reason],
    ['Type', facts.type],
    ['Actor', facts.actor.username],
    ['Count', facts.count > 1 ? String(facts.count) : ''],
    ['Time', isoSeconds(facts.time)],
  ];
  return fields.filter(([, value]) => value !== '').map(([name, value]) => ({ name, value, short: true }));
}

/** "cluster prod · 2026-11-24T14:02:11Z · rule EventRule/shop/deploys" (a ClusterEventRule has no namespace). */
export function contextLine(facts: EventFacts, rule: RuleName, cluster: string): string {
  const name = facts.cluster || cluster;
  const ruleName = [rule.kind, rule.namespace, rule.name].filter((part) => part !== '').join('/');
  return [
    name === '' ? '' : `cluster ${name}`,
    isoSeconds(facts.time),
    ruleName === '' ? '' : `rule ${ruleName}`,
  ]
    .filter((part) => part !== '')
    .join(' · ');
}

/** Slack's plain-text summary: the title, and who did it when known and not already said. */
export function fallbackText(title: string, actor: string): string {
  return actor === '' || title.includes(actor) ? title : `${title} — by ${actor}`;
}

/** Everything a chat message is built from, after templates and links. */
export interface ChatContent extends MessageContent {
  links: Link__Output[];
  /** Plain-text summary (Slack's top-level text). */
  fallback: string;
}

/** Runs of whitespace (newlines included) as one space: titles, field values and small print are one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
