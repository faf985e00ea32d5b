import type { KubeEvent__Output } from '@k8slistener/proto';
import Mustache from 'mustache';
import { type EventView, eventView } from './event-view.ts';
import type { RuleKind } from './rule-types.ts';

/** Longest template title/text accepted; the CRD schema has the same limits. */
export const MAX_TEMPLATE_TITLE_LENGTH = 1024;
export const MAX_TEMPLATE_TEXT_LENGTH = 8192;

/** What a template can refer to: `{{event.object.name}}`, `{{rule.name}}`, `{{destination.target}}`. */
export interface TemplateView {
  event: EventView;
  rule: { kind: RuleKind; name: string; namespace: string };
  destination: { type: string; target: string };
}

type Shape = 'leaf' | 'any' | { readonly [key: string]: Shape };
const OBJECT_SHAPE: Shape = {
  apiVersion: 'leaf',
  kind: 'leaf',
  namespace: 'leaf',
  name: 'leaf',
  uid: 'leaf',
  labels: 'any',
  generation: 'leaf',
  subresource: 'leaf',
  fieldPath: 'leaf',
};
/** The names a template may use outside sections (inside one, names are relative to the section's value). */
const VIEW_SHAPE: Shape = {
  event: {
    id: 'leaf',
    source: 'leaf',
    type: 'leaf',
    rawType: 'leaf',
    reason: 'leaf',
    message: 'leaf',
    action: 'leaf',
    verb: 'leaf',
    count: 'leaf',
    object: OBJECT_SHAPE,
    related: OBJECT_SHAPE,
    actor: {
      username: 'leaf',
      uid: 'leaf',
      groups: 'any',
      impersonator: 'leaf',
      userAgent: 'leaf',
      sourceIps: 'any',
      learnedFrom: 'leaf',
    },
    cluster: 'leaf',
    reportingComponent: 'leaf',
    reportingInstance: 'leaf',
    revision: 'leaf',
    auditId: 'leaf',
    responseCode: 'leaf',
    firstTimestamp: 'leaf',
    lastTimestamp: 'leaf',
  },
  rule: { kind: 'leaf', name: 'leaf', namespace: 'leaf' },
  destination: { type: 'leaf', target: 'leaf' },
};

// mustache.js tokens: [type, value, start, end, children?, …].
type Token = [string, string, number, number, Token[]?];

/**
 * Checks a template: it parses as Mustache, uses no partials, and every name
 * outside a section exists in the template view — so a typo is reported in
 * the rule's status instead of rendering as an empty string. Mustache has no
 * code: a template only reads values from the view.
 */
export function templateError(template: string, maxLength: number): string | undefined {
  if (template.length > maxLength)
    return `is ${template.length} characters long; at most ${maxLength} are allowed`;
  let tokens: Token[];
  try {
    tokens = new Mustache.Writer().parse(template) as Token[];
  } catch (error) {
    return `is not a valid Mustache template: ${error instanceof Error ? error.message : String(error)}`;
  }
  return tokensError(tokens, true);
}

function tokensError(tokens: Token[], topLevel: boolean): string | undefined {
  for (const [type, value, start, , children] of tokens) {
    if (type === '>')
      return `uses the partial {{> ${value}}} at character ${start + 1}; partials are not supported`;
    if (topLevel && (type === 'name' || type === '&' || type === '#' || type === '^')) {
      const error = nameError(value);
      if (error) return `${error} at character ${start + 1}`;
    }
    if (children) {
      // Inside {{#x}} names resolve against x first; only inverted sections keep the top-level view.
      const error = tokensError(children, topLevel && type === '^');
      if (error) return error;
    }
  }
  return undefined;
}

function nameError(name: string): string | undefined {
  if (name === '.') return undefined;
  let shape: Shape = VIEW_SHAPE;
  const parts = name.split('.');
  for (const [i, part] of parts.entries()) {
    if (shape === 'any') return undefined;
    const path = parts.slice(0, i).join('.');
    if (shape === 'leaf') return `refers to "${name}", but ${path} has no fields`;
    const next: Shape | undefined = Object.hasOwn(shape, part) ? shape[part] : undefined;
    if (next === undefined) {
      const known = Object.keys(shape).join(', ');
      return `refers to unknown name "${name}" (${path === '' ? 'top level' : path} has: ${known})`;
    }
    shape = next;
  }
  return undefined;
}

export interface CompiledTemplate {
  render(view: TemplateView): string;
}

/** A checked template (see templateError) ready to render as plain text. */
export function compileTemplate(template: string): CompiledTemplate {
  // One writer per template: its parse cache holds this template only, and goes with the rule.
  const writer = new Mustache.Writer();
  return {
    render: (view) =>
      writer.render(template, withoutPrototypes(view), undefined, {
        // Channel messages are plain text; each plugin escapes for its own format.
        escape: (value: unknown) => String(value),
      }),
  };
}

/**
 * mustache.js looks names up with `in`, which sees Object.prototype: without
 * this, {{event.object.labels.constructor}} would find and call a function.
 */
function withoutPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrototypes);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = Object.create(null);
  for (const [key, item] of Object.entries(value)) copy[key] = withoutPrototypes(item);
  return copy;
}

/** The view templates render with. */
export function templateView(
  event: KubeEvent__Output,
  rule: { kind: RuleKind; name: string; namespace: string },
  destination: { type: string; target: string },
): TemplateView {
  return {
    event: eventView(event),
    rule: { kind: rule.kind, name: rule.name, namespace: rule.namespace },
    destination: { type: destination.type, target: destination.target },
  };
}

/** Renders a template (checked or not) for one event; unknown names render as "". */
export function renderTemplate(template: string, view: TemplateView): string {
  return compileTemplate(template).render(view);
}
