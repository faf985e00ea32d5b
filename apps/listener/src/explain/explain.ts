import type { KubeEvent } from '@k8slistener/proto';
import { type CompiledRule, type FieldError, RuleIndex } from '@k8slistener/rules';
import { deliveryId } from '../pipeline/delivery-id.ts';
import { type RenderContext, renderMessage } from '../render/index.ts';

export interface InvalidRule {
  rule: string;
  errors: FieldError[];
}

export interface ExplainedDelivery {
  rule: string;
  destinationIndex: number;
  type: string;
  target: string;
  deliveryId: string;
  /** What the plugin would receive in the Notification's message field. */
  message: unknown;
  warnings: string[];
}

export interface Explanation {
  event: { id: string; summary: string };
  deliveries: ExplainedDelivery[];
  notMatched: string[];
  invalid: InvalidRule[];
}

function summary(e: KubeEvent): string {
  const ref = e.involvedObject ?? {};
  const source = String(e.source ?? '')
    .replace('SOURCE_', '')
    .toLowerCase();
  const actor = e.actor?.username ? ` by ${e.actor.username}` : '';
  return `${source} ${e.rawType || ''} ${e.reason ?? ''} on ${ref.kind ?? '?'} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name ?? ''}${actor}`.replace(
    /\s+/g,
    ' ',
  );
}

/**
 * Answers "which rules match this event, and what would each destination
 * receive?" — the same matching and rendering the listener runs, without
 * sending anything.
 */
export function explain(
  event: KubeEvent,
  rules: readonly CompiledRule[],
  invalid: readonly InvalidRule[],
  context: RenderContext,
): Explanation {
  const index = new RuleIndex();
  for (const rule of rules) index.upsert(rule);
  const matches = index.match(event as Parameters<RuleIndex['match']>[0]);
  const matched = new Set(matches.map((m) => m.rule.key));
  return {
    event: { id: event.id ?? '', summary: summary(event) },
    deliveries: matches.map((m) => {
      const id = deliveryId(event.id ?? '', m.rule.key, m.destinationIndex);
      const rendered = renderMessage(
        {
          type: m.destination.type,
          event: event as Parameters<typeof renderMessage>[0]['event'],
          rule: { kind: m.rule.kind, namespace: m.rule.namespace, name: m.rule.name },
          deliveryId: id,
          target: m.destination.target,
          ...(m.destination.template ? { template: m.destination.template } : {}),
        },
        context,
      );
      return {
        rule: m.rule.key,
        destinationIndex: m.destinationIndex,
        type: m.destination.type,
        target: m.destination.target,
        deliveryId: id,
        message: rendered.message,
        warnings: rendered.warnings ?? [],
      };
    }),
    notMatched: rules.map((r) => r.key).filter((k) => !matched.has(k)),
    invalid: [...invalid],
  };
}

/** The explanation as text a person reads at 3 a.m. */
export function formatExplanation(x: Explanation): string {
  const lines = [`event ${x.event.id}: ${x.event.summary}`];
  if (x.deliveries.length === 0) lines.push('  no rule matches: nothing would be sent');
  for (const d of x.deliveries) {
    lines.push(
      `  MATCH ${d.rule} → ${d.type} target "${d.target}" (destination ${d.destinationIndex}, delivery ${d.deliveryId})`,
    );
    for (const w of d.warnings) lines.push(`    warning: ${w}`);
    lines.push(
      ...JSON.stringify(d.message, null, 2)
        .split('\n')
        .map((l) => `    ${l}`),
    );
  }
  for (const r of x.notMatched) lines.push(`  no match: ${r}`);
  for (const r of x.invalid) {
    lines.push(`  INVALID ${r.rule} (never matches until fixed):`);
    for (const e of r.errors) lines.push(`    ${e.field}: ${e.message}`);
  }
  return `${lines.join('\n')}\n`;
}
