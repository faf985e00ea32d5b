import {
  type FieldError,
  LABEL_SELECTOR_OPERATORS,
  type LabelSelector,
  type LabelSelectorOperator,
  type LabelSelectorRequirement,
} from './rule-types.ts';

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_LABEL_NAME_LENGTH = 63;
const MAX_LABEL_PREFIX_LENGTH = 253;

/** Why `key` is not a valid label key (Kubernetes qualified name), or undefined. */
export function labelKeyError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > MAX_LABEL_PREFIX_LENGTH || !DNS_SUBDOMAIN.test(prefix)))
    return `"${key}": the prefix must be a DNS subdomain (lower case, at most 253 characters)`;
  if (name.length > MAX_LABEL_NAME_LENGTH || !LABEL_NAME.test(name))
    return `"${key}": must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, with an optional DNS-subdomain prefix and '/'`;
  return undefined;
}

/** Why `value` is not a valid label value, or undefined. */
export function labelValueError(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > MAX_LABEL_NAME_LENGTH || !LABEL_NAME.test(value))
    return `"${value}": must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a metav1.LabelSelector from its JSON form, checking what the API
 * server checks for label selectors (key and value syntax, known operators,
 * values present exactly for In/NotIn).
 */
export function parseLabelSelector(
  raw: unknown,
  field: string,
): { value: LabelSelector; errors?: never } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isRecord(raw)) return { errors: [{ field, message: 'must be an object' }] };
  const matchLabels: Record<string, string> = {};
  if (raw.matchLabels !== undefined && raw.matchLabels !== null) {
    if (!isRecord(raw.matchLabels)) {
      errors.push({ field: `${field}.matchLabels`, message: 'must be a map of label key to value' });
    } else {
      for (const [key, value] of Object.entries(raw.matchLabels)) {
        const at = `${field}.matchLabels[${key}]`;
        const keyError = labelKeyError(key);
        if (keyError) errors.push({ field: at, message: keyError });
        if (typeof value !== 'string') errors.push({ field: at, message: 'must be a string' });
        else {
          const valueError = labelValueError(value);
          if (valueError) errors.push({ field: at, message: valueError });
          matchLabels[key] = value;
        }
      }
    }
  }
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (raw.matchExpressions !== undefined && raw.matchExpressions !== null) {
    if (!Array.isArray(raw.matchExpressions)) {
      errors.push({ field: `${field}.matchExpressions`, message: 'must be a list' });
    } else {
      raw.matchExpressions.forEach((item: unknown, i: number) => {
        const at = `${field}.matchExpressions[${i}]`;
        const parsed = parseRequirement(item, at);
        if ('errors' in parsed) errors.push(...parsed.errors);
        else matchExpressions.push(parsed.value);
      });
    }
  }
  return errors.length > 0 ? { errors } : { value: { matchLabels, matchExpressions } };
}

function parseRequirement(
  raw: unknown,
  at: string,
): { value: LabelSelectorRequirement } | { errors: FieldError[] } {
  if (!isRecord(raw)) return { errors: [{ field: at, message: 'must be an object' }] };
  const errors: FieldError[] = [];
  const key = raw.key;
  if (typeof key !== 'string' || key === '') errors.push({ field: `${at}.key`, message: 'is required' });
  else {
    const keyError = labelKeyError(key);
    if (keyError) errors.push({ field: `${at}.key`, message: keyError });
  }
  const operator = raw.operator;
  if (!(LABEL_SELECTOR_OPERATORS as readonly unknown[]).includes(operator)) {
    errors.push({
      field: `${at}.operator`,
      message: `${JSON.stringify(operator ?? null)} is not one of ${LABEL_SELECTOR_OPERATORS.join(', ')}`,
    });
  }
  const rawValues = raw.values ?? [];
  const values: string[] = [];
  if (!Array.isArray(rawValues)) errors.push({ field: `${at}.values`, message: 'must be a list of strings' });
  else {
    rawValues.forEach((value: unknown, i: number) => {
      if (typeof value !== 'string')
        errors.push({ field: `${at}.values[${i}]`, message: 'must be a string' });
      else {
        const valueError = labelValueError(value);
        if (valueError) errors.push({ field: `${at}.values[${i}]`, message: valueError });
        values.push(value);
      }
    });
  }
  if ((operator === 'In' || operator === 'NotIn') && Array.isArray(rawValues) && rawValues.length === 0)
    errors.push({ field: `${at}.values`, message: `must be non-empty when operator is ${operator}` });
  if (
    (operator === 'Exists' || operator === 'DoesNotExist') &&
    Array.isArray(rawValues) &&
    rawValues.length > 0
  )
    errors.push({ field: `${at}.values`, message: `must be empty when operator is ${operator}` });
  if (errors.length > 0) return { errors };
  return { value: { key: key as string, operator: operator as LabelSelectorOperator, values } };
}

/** A predicate over an object's labels with the semantics of Kubernetes label selectors. */
export function compileLabelSelector(
  selector: LabelSelector,
): (labels: Readonly<Record<string, string>>) => boolean {
  const wanted = Object.entries(selector.matchLabels);
  const requirements = selector.matchExpressions.map((requirement) => {
    const values = new Set(requirement.values);
    const { key } = requirement;
    switch (requirement.operator) {
      case 'In':
        return (labels: Readonly<Record<string, string>>) =>
          Object.hasOwn(labels, key) && values.has(labels[key] as string);
      // As in Kubernetes, NotIn also holds when the label is absent.
      case 'NotIn':
        return (labels: Readonly<Record<string, string>>) =>
          !Object.hasOwn(labels, key) || !values.has(labels[key] as string);
      case 'Exists':
        return (labels: Readonly<Record<string, string>>) => Object.hasOwn(labels, key);
      case 'DoesNotExist':
        return (labels: Readonly<Record<string, string>>) => !Object.hasOwn(labels, key);
    }
    return () => false;
  });
  return (labels) =>
    wanted.every(([key, value]) => Object.hasOwn(labels, key) && labels[key] === value) &&
    requirements.every((requirement) => requirement(labels));
}
