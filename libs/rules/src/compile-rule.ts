import { compileExpression } from './compile-expression.ts';
import { compileLabelSelector, parseLabelSelector } from './label-selector.ts';
import { ruleKey } from './rule-key.ts';
import {
  type CompileResult,
  type Destination,
  type DestinationTemplate,
  type FieldError,
  type LabelSelector,
  type MatchSpec,
  RULES_API_VERSION,
  type RuleKind,
  type RuleMatchers,
  SOURCE_NAMES,
  type SourceName,
  TYPE_NAMES,
  type TypeName,
} from './rule-types.ts';
import { MAX_TEMPLATE_TEXT_LENGTH, MAX_TEMPLATE_TITLE_LENGTH, templateError } from './template.ts';
import { compileUserPatterns, userPatternError } from './user-glob.ts';

/** Limits shared with the CRD schema (crds/*.yaml), so a file rule and a cluster rule fail alike. */
export const MAX_MATCH_VALUES = 64;
export const MAX_MATCH_VALUE_LENGTH = 253;
export const MAX_DESTINATIONS = 16;
export const MAX_MESSAGE_REGEX_LENGTH = 1024;
/** A plugin type becomes the x-message-type header and a label value: a lower-case DNS label. */
export const DESTINATION_TYPE_PATTERN = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** The same rule for target names as the plugins' targets files (libs/plugin-kit). */
export const TARGET_NAME_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;
/** RegExp flags of spec.match.messageRegex: `u` for strict syntax and code-point matching. */
export const MESSAGE_REGEX_FLAGS = 'u';

const RULE_KINDS: readonly RuleKind[] = ['EventRule', 'ClusterEventRule'];
const SPEC_FIELDS = new Set(['match', 'destinations']);
const MATCH_FIELDS = new Set([
  'sources',
  'kinds',
  'namespaces',
  'reasons',
  'types',
  'users',
  'labelSelector',
  'messageRegex',
  'expression',
]);
const DESTINATION_FIELDS = new Set(['type', 'target', 'template']);
const TEMPLATE_FIELDS = new Set(['title', 'text']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownFields(
  object: Record<string, unknown>,
  known: Set<string>,
  at: string,
  errors: FieldError[],
) {
  for (const key of Object.keys(object))
    if (!known.has(key)) errors.push({ field: `${at}.${key}`, message: 'unknown field' });
}

/**
 * Validates and compiles an EventRule or ClusterEventRule as read from the
 * API server or from a file. Checks everything the CRD schema checks (so a
 * file rule gets the same answer) and what it cannot: regular expressions
 * compile, the CEL expression parses and type-checks to bool, templates
 * parse and name known values. Never throws on bad input.
 */
export function compileRule(object: unknown): CompileResult {
  const errors: FieldError[] = [];
  if (!isRecord(object)) return { ok: false, errors: [{ field: '', message: 'must be an object' }] };

  if (object.apiVersion !== RULES_API_VERSION)
    errors.push({ field: 'apiVersion', message: `must be ${RULES_API_VERSION}` });
  const kind = object.kind;
  if (!RULE_KINDS.includes(kind as RuleKind)) {
    errors.push({ field: 'kind', message: `must be EventRule or ClusterEventRule` });
    return { ok: false, errors };
  }
  const ruleKind = kind as RuleKind;

  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  if (name === '') errors.push({ field: 'metadata.name', message: 'is required' });
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
  if (ruleKind === 'EventRule' && namespace === '')
    errors.push({ field: 'metadata.namespace', message: 'is required for an EventRule' });
  if (ruleKind === 'ClusterEventRule' && namespace !== '')
    errors.push({
      field: 'metadata.namespace',
      message: 'must be empty: a ClusterEventRule is cluster-scoped',
    });
  const uid = typeof metadata.uid === 'string' ? metadata.uid : '';
  const generation = typeof metadata.generation === 'number' ? metadata.generation : 0;

  if (!isRecord(object.spec)) {
    errors.push({ field: 'spec', message: 'is required' });
    return { ok: false, errors };
  }
  const spec = object.spec;
  unknownFields(spec, SPEC_FIELDS, 'spec', errors);

  const matchers: RuleMatchers = {};
  const match = compileMatch(spec.match, ruleKind, matchers, errors);
  const destinations = compileDestinations(spec.destinations, errors);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    rule: {
      key: ruleKey({ kind: ruleKind, name, namespace }),
      kind: ruleKind,
      name,
      namespace: ruleKind === 'EventRule' ? namespace : '',
      uid,
      generation,
      match,
      destinations,
      matchers,
    },
  };
}

function stringList(raw: unknown, at: string, errors: FieldError[]): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    errors.push({ field: at, message: 'must be a list of strings' });
    return [];
  }
  if (raw.length > MAX_MATCH_VALUES)
    errors.push({ field: at, message: `has ${raw.length} values; at most ${MAX_MATCH_VALUES} are allowed` });
  const values: string[] = [];
  raw.forEach((value: unknown, i: number) => {
    if (typeof value !== 'string' || value === '')
      errors.push({ field: `${at}[${i}]`, message: 'must be a non-empty string' });
    else if (value.length > MAX_MATCH_VALUE_LENGTH)
      errors.push({ field: `${at}[${i}]`, message: `must be at most ${MAX_MATCH_VALUE_LENGTH} characters` });
    else values.push(value);
  });
  return [...new Set(values)];
}

function enumList<T extends string>(
  raw: unknown,
  allowed: readonly T[],
  at: string,
  errors: FieldError[],
): T[] {
  const values = stringList(raw, at, errors);
  const result: T[] = [];
  values.forEach((value) => {
    if ((allowed as readonly string[]).includes(value)) result.push(value as T);
    else
      errors.push({
        field: `${at}[${(raw as unknown[]).indexOf(value)}]`,
        message: `"${value}" is not one of ${allowed.join(', ')}`,
      });
  });
  return result;
}

function compileMatch(raw: unknown, kind: RuleKind, matchers: RuleMatchers, errors: FieldError[]): MatchSpec {
  const at = 'spec.match';
  const match: MatchSpec = { sources: [], kinds: [], namespaces: [], reasons: [], types: [], users: [] };
  if (raw === undefined || raw === null) return match;
  if (!isRecord(raw)) {
    errors.push({ field: at, message: 'must be an object' });
    return match;
  }
  unknownFields(raw, MATCH_FIELDS, at, errors);
  match.sources = enumList<SourceName>(raw.sources, SOURCE_NAMES, `${at}.sources`, errors);
  match.types = enumList<TypeName>(raw.types, TYPE_NAMES, `${at}.types`, errors);
  match.kinds = stringList(raw.kinds, `${at}.kinds`, errors);
  match.reasons = stringList(raw.reasons, `${at}.reasons`, errors);
  match.namespaces = stringList(raw.namespaces, `${at}.namespaces`, errors);
  if (kind === 'EventRule' && raw.namespaces !== undefined && raw.namespaces !== null)
    errors.push({
      field: `${at}.namespaces`,
      message:
        'is not allowed in an EventRule, which only sees events of its own namespace; use a ClusterEventRule to match other namespaces',
    });

  match.users = stringList(raw.users, `${at}.users`, errors);
  const badUsers = match.users
    .map((pattern) => [pattern, userPatternError(pattern)] as const)
    .filter(([, error]) => error !== undefined);
  for (const [pattern, error] of badUsers)
    errors.push({
      field: `${at}.users[${(raw.users as unknown[]).indexOf(pattern)}]`,
      message: error as string,
    });
  if (match.users.length > 0 && badUsers.length === 0) matchers.user = compileUserPatterns(match.users);

  if (raw.labelSelector !== undefined && raw.labelSelector !== null) {
    const parsed = parseLabelSelector(raw.labelSelector, `${at}.labelSelector`);
    if (parsed.errors) errors.push(...parsed.errors);
    else if (!isEmptySelector(parsed.value)) {
      match.labelSelector = parsed.value;
      matchers.labels = compileLabelSelector(parsed.value);
    }
  }

  if (raw.messageRegex !== undefined && raw.messageRegex !== null) {
    const field = `${at}.messageRegex`;
    if (typeof raw.messageRegex !== 'string') errors.push({ field, message: 'must be a string' });
    else if (raw.messageRegex.length > MAX_MESSAGE_REGEX_LENGTH)
      errors.push({ field, message: `must be at most ${MAX_MESSAGE_REGEX_LENGTH} characters` });
    else if (raw.messageRegex !== '') {
      try {
        matchers.message = new RegExp(raw.messageRegex, MESSAGE_REGEX_FLAGS);
        match.messageRegex = raw.messageRegex;
      } catch (error) {
        errors.push({
          field,
          message: `is not a valid JavaScript regular expression: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
  }

  if (raw.expression !== undefined && raw.expression !== null) {
    const field = `${at}.expression`;
    if (typeof raw.expression !== 'string') errors.push({ field, message: 'must be a string' });
    else {
      const compiled = compileExpression(raw.expression);
      if ('error' in compiled) errors.push({ field, message: `CEL ${compiled.error}` });
      else {
        matchers.expression = compiled.program;
        match.expression = raw.expression;
      }
    }
  }
  return match;
}

function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

function compileDestinations(raw: unknown, errors: FieldError[]): Destination[] {
  const at = 'spec.destinations';
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.push({ field: at, message: 'must list at least one destination' });
    return [];
  }
  if (raw.length > MAX_DESTINATIONS)
    errors.push({
      field: at,
      message: `has ${raw.length} destinations; at most ${MAX_DESTINATIONS} are allowed`,
    });
  const destinations: Destination[] = [];
  raw.forEach((item: unknown, i: number) => {
    const field = `${at}[${i}]`;
    if (!isRecord(item)) {
      errors.push({ field, message: 'must be an object' });
      return;
    }
    unknownFields(item, DESTINATION_FIELDS, field, errors);
    const { type, target } = item;
    if (typeof type !== 'string' || type === '')
      errors.push({ field: `${field}.type`, message: 'is required' });
    else if (!DESTINATION_TYPE_PATTERN.test(type))
      errors.push({
        field: `${field}.type`,
        message: `"${type}" is not a plugin type: lower-case letters, digits and '-', starting with a letter (e.g. slack, telegram, teams, elastic)`,
      });
    if (typeof target !== 'string' || target === '')
      errors.push({ field: `${field}.target`, message: 'is required' });
    else if (!TARGET_NAME_PATTERN.test(target))
      errors.push({
        field: `${field}.target`,
        message: `"${target}" is not a target name: 1-63 lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      });
    const template = compileDestinationTemplate(item.template, `${field}.template`, errors);
    if (typeof type === 'string' && typeof target === 'string')
      destinations.push(template === undefined ? { type, target } : { type, target, template });
  });
  return destinations;
}

function compileDestinationTemplate(
  raw: unknown,
  at: string,
  errors: FieldError[],
): DestinationTemplate | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    errors.push({ field: at, message: 'must be an object with title and/or text' });
    return undefined;
  }
  unknownFields(raw, TEMPLATE_FIELDS, at, errors);
  const template: DestinationTemplate = {};
  for (const [part, maxLength] of [
    ['title', MAX_TEMPLATE_TITLE_LENGTH],
    ['text', MAX_TEMPLATE_TEXT_LENGTH],
  ] as const) {
    const value = raw[part];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      errors.push({ field: `${at}.${part}`, message: 'must be a string' });
      continue;
    }
    const error = templateError(value, maxLength);
    if (error) errors.push({ field: `${at}.${part}`, message: error });
    else template[part] = value;
  }
  return template.title === undefined && template.text === undefined ? undefined : template;
}
