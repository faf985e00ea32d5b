import type { KubeEvent__Output } from '@k8slistener/proto';

export interface ObjectFacts {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  /** Own string-valued labels only. */
  labels: Record<string, string>;
  /** metadata.generation as decimal digits; "" when unknown (0). */
  generation: string;
  subresource: string;
  fieldPath: string;
}

export interface ActorFacts {
  username: string;
  uid: string;
  groups: string[];
  impersonator: string;
  userAgent: string;
  sourceIps: string[];
  learnedFrom: string;
}

/**
 * A KubeEvent read defensively into plain values: every string a string,
 * enums as their display names, timestamps as Dates. The renderer reads only
 * this, so an event built by hand (the loader's input type, with missing
 * fields, numeric enums or Long generations) renders like a decoded one, and
 * nothing but strings, numbers and arrays of strings ever reaches a template.
 */
export interface EventFacts {
  id: string;
  /** "Event", "Rollout", "Change", or "" when unspecified. */
  source: string;
  reason: string;
  /** "Normal", "Warning", the emitter's own type verbatim, or "". */
  type: string;
  message: string;
  action: string;
  verb: string;
  /** 0 when unknown. */
  count: number;
  firstTime: Date | undefined;
  lastTime: Date | undefined;
  /** When it happened: the last timestamp, else the first, else when the listener rendered it. */
  time: Date;
  reportingComponent: string;
  reportingInstance: string;
  cluster: string;
  object: ObjectFacts;
  related: ObjectFacts;
  actor: ActorFacts;
  revision: string;
  auditId: string;
  /** 0 when unknown. */
  responseCode: number;
}

const SOURCE_NAMES: Readonly<Record<string, string>> = {
  SOURCE_EVENT: 'Event',
  SOURCE_ROLLOUT: 'Rollout',
  SOURCE_CHANGE: 'Change',
  '1': 'Event',
  '2': 'Rollout',
  '3': 'Change',
};

const TYPE_NAMES: Readonly<Record<string, string>> = {
  EVENT_TYPE_NORMAL: 'Normal',
  EVENT_TYPE_WARNING: 'Warning',
  '1': 'Normal',
  '2': 'Warning',
};

/** Reads `event` as EventFacts; `now` stands in for an event without timestamps. */
export function eventFacts(event: KubeEvent__Output, now: Date): EventFacts {
  const raw = event as unknown as Record<string, unknown>;
  const firstTime = timestampDate(raw.firstTimestamp);
  const lastTime = timestampDate(raw.lastTimestamp);
  return {
    id: str(raw.id),
    source: SOURCE_NAMES[String(raw.source)] ?? '',
    reason: str(raw.reason),
    type: TYPE_NAMES[String(raw.type)] ?? str(raw.rawType),
    message: str(raw.message),
    action: str(raw.action),
    verb: str(raw.verb),
    count: whole(raw.count),
    firstTime,
    lastTime,
    time: lastTime ?? firstTime ?? now,
    reportingComponent: str(raw.reportingComponent),
    reportingInstance: str(raw.reportingInstance),
    cluster: str(raw.cluster),
    object: objectFacts(raw.involvedObject),
    related: objectFacts(raw.related),
    actor: actorFacts(raw.actor),
    revision: str(raw.revision),
    auditId: str(raw.auditId),
    responseCode: whole(raw.responseCode),
  };
}

function objectFacts(value: unknown): ObjectFacts {
  const raw = record(value);
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(record(raw.labels))) {
    // defineProperty, not assignment: a key "__proto__" stays a plain key.
    if (typeof label === 'string') Object.defineProperty(labels, key, { value: label, enumerable: true });
  }
  return {
    apiVersion: str(raw.apiVersion),
    kind: str(raw.kind),
    namespace: str(raw.namespace),
    name: str(raw.name),
    uid: str(raw.uid),
    labels,
    generation: int64(raw.generation),
    subresource: str(raw.subresource),
    fieldPath: str(raw.fieldPath),
  };
}

function actorFacts(value: unknown): ActorFacts {
  const raw = record(value);
  return {
    username: str(raw.username),
    uid: str(raw.uid),
    groups: strings(raw.groups),
    impersonator: str(raw.impersonator),
    userAgent: str(raw.userAgent),
    sourceIps: strings(raw.sourceIps),
    learnedFrom: str(raw.learnedFrom),
  };
}

/** A google.protobuf.Timestamp as a Date; undefined when unset, zero or out of range. */
export function timestampDate(value: unknown): Date | undefined {
  const raw = record(value);
  const seconds = Number(String(raw.seconds ?? 0));
  const nanos = Number(raw.nanos ?? 0);
  if (!Number.isFinite(seconds) || !Number.isFinite(nanos) || (seconds === 0 && nanos === 0))
    return undefined;
  const date = new Date(seconds * 1000 + Math.floor(nanos / 1_000_000));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** ISO 8601 in UTC to the second, how people read a time in chat: "2026-11-24T14:02:11Z". */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "Deployment shop/web", "Node node-1", or as much of it as is known. */
export function objectLabel(object: ObjectFacts): string {
  const path =
    object.namespace !== '' && object.name !== '' ? `${object.namespace}/${object.name}` : object.name;
  return [object.kind, path].filter((part) => part !== '').join(' ');
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function whole(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/** A 64-bit integer (number, decimal string or Long) as decimal digits; "" for zero, negative or garbage. */
function int64(value: unknown): string {
  let digits = '';
  if (typeof value === 'number' && Number.isSafeInteger(value)) digits = String(value);
  else if (typeof value === 'string') digits = value;
  else if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value)
    digits = String(value);
  return /^[1-9]\d*$/.test(digits) ? digits : '';
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
