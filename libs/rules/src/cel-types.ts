/**
 * Static types for checking rule expressions. @bufbuild/cel evaluates CEL but
 * does not type-check it, so cel-check.ts does, over these types. A `record`
 * is a map with a known set of keys (the event's shape): at run time it is an
 * ordinary CEL map, but a misspelt field is caught when the rule is compiled.
 */
export type CelCheckType =
  | { kind: 'bool' | 'int' | 'uint' | 'double' | 'string' | 'bytes' | 'null' | 'dyn' | 'type' }
  | { kind: 'timestamp' | 'duration' }
  | { kind: 'list'; element: CelCheckType }
  | { kind: 'map'; key: CelCheckType; value: CelCheckType }
  | { kind: 'record'; name: string; fields: Readonly<Record<string, CelCheckType>> };

export const BOOL: CelCheckType = { kind: 'bool' };
export const INT: CelCheckType = { kind: 'int' };
export const UINT: CelCheckType = { kind: 'uint' };
export const DOUBLE: CelCheckType = { kind: 'double' };
export const STRING: CelCheckType = { kind: 'string' };
export const BYTES: CelCheckType = { kind: 'bytes' };
export const NULL: CelCheckType = { kind: 'null' };
export const DYN: CelCheckType = { kind: 'dyn' };
export const TYPE: CelCheckType = { kind: 'type' };
export const TIMESTAMP: CelCheckType = { kind: 'timestamp' };
export const DURATION: CelCheckType = { kind: 'duration' };

export function listOf(element: CelCheckType): CelCheckType {
  return { kind: 'list', element };
}
export function mapOf(key: CelCheckType, value: CelCheckType): CelCheckType {
  return { kind: 'map', key, value };
}

function objectReference(name: string): CelCheckType {
  return {
    kind: 'record',
    name,
    fields: {
      apiVersion: STRING,
      kind: STRING,
      namespace: STRING,
      name: STRING,
      uid: STRING,
      labels: mapOf(STRING, STRING),
      generation: INT,
      subresource: STRING,
      fieldPath: STRING,
    },
  };
}

/** The type of the CEL variable `event` (see event-view.ts; keep the two in step). */
export const EVENT_TYPE: CelCheckType = {
  kind: 'record',
  name: 'event',
  fields: {
    id: STRING,
    source: STRING,
    type: STRING,
    rawType: STRING,
    reason: STRING,
    message: STRING,
    action: STRING,
    verb: STRING,
    count: INT,
    object: objectReference('event.object'),
    related: objectReference('event.related'),
    actor: {
      kind: 'record',
      name: 'event.actor',
      fields: {
        username: STRING,
        uid: STRING,
        groups: listOf(STRING),
        impersonator: STRING,
        userAgent: STRING,
        sourceIps: listOf(STRING),
        learnedFrom: STRING,
      },
    },
    cluster: STRING,
    reportingComponent: STRING,
    reportingInstance: STRING,
    revision: STRING,
    auditId: STRING,
    responseCode: INT,
    firstTimestamp: STRING,
    lastTimestamp: STRING,
  },
};

export function typeText(type: CelCheckType): string {
  switch (type.kind) {
    case 'list':
      return `list(${typeText(type.element)})`;
    case 'map':
      return `map(${typeText(type.key)}, ${typeText(type.value)})`;
    case 'record':
      return `map(string, dyn)`;
    case 'timestamp':
      return 'google.protobuf.Timestamp';
    case 'duration':
      return 'google.protobuf.Duration';
    default:
      return type.kind === 'null' ? 'null_type' : type.kind;
  }
}
