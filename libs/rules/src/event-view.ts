import type { Actor__Output, KubeEvent__Output, ObjectReference__Output } from '@k8slistener/proto';
import { fromTimestamp } from '@k8slistener/proto';
import type { SourceName, TypeName } from './rule-types.ts';

/**
 * The event as rules see it: the variable `event` of CEL expressions and of
 * templates. A stable, documented shape (libs/rules/README.md) independent of
 * the proto's field names: every key is always present, so `event.actor.username`
 * is "" rather than an error when no actor is known. Integers are numbers here
 * and CEL ints (bigint) in celEventView.
 */
export interface EventView {
  id: string;
  /** "Event", "Rollout", "Change", or "" when unspecified. */
  source: SourceName | '';
  /** "Normal", "Warning", or "" for anything else (see rawType). */
  type: TypeName | '';
  rawType: string;
  reason: string;
  message: string;
  action: string;
  verb: string;
  count: number;
  object: ObjectView;
  related: ObjectView;
  actor: ActorView;
  cluster: string;
  reportingComponent: string;
  reportingInstance: string;
  revision: string;
  auditId: string;
  responseCode: number;
  /** RFC 3339 with milliseconds, or "" when unknown. */
  firstTimestamp: string;
  lastTimestamp: string;
}

export interface ObjectView {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  generation: number;
  subresource: string;
  fieldPath: string;
}

export interface ActorView {
  username: string;
  uid: string;
  groups: string[];
  impersonator: string;
  userAgent: string;
  sourceIps: string[];
  learnedFrom: string;
}

const SOURCE_VIEW: Record<string, SourceName> = {
  SOURCE_EVENT: 'Event',
  SOURCE_ROLLOUT: 'Rollout',
  SOURCE_CHANGE: 'Change',
};
const TYPE_VIEW: Record<string, TypeName> = { EVENT_TYPE_NORMAL: 'Normal', EVENT_TYPE_WARNING: 'Warning' };

/** KubeEvent.source as a rule writes it ("Event", "Rollout", "Change"), or "". */
export function sourceName(event: KubeEvent__Output): SourceName | '' {
  return SOURCE_VIEW[event.source] ?? '';
}

/** KubeEvent.type as a rule writes it ("Normal", "Warning"), or "". */
export function typeName(event: KubeEvent__Output): TypeName | '' {
  return TYPE_VIEW[event.type] ?? '';
}

function objectView(ref: ObjectReference__Output | null | undefined): ObjectView {
  return {
    apiVersion: ref?.apiVersion ?? '',
    kind: ref?.kind ?? '',
    namespace: ref?.namespace ?? '',
    name: ref?.name ?? '',
    uid: ref?.uid ?? '',
    labels: { ...(ref?.labels ?? {}) },
    generation: Number(ref?.generation ?? 0),
    subresource: ref?.subresource ?? '',
    fieldPath: ref?.fieldPath ?? '',
  };
}

function actorView(actor: Actor__Output | null | undefined): ActorView {
  return {
    username: actor?.username ?? '',
    uid: actor?.uid ?? '',
    groups: [...(actor?.groups ?? [])],
    impersonator: actor?.impersonator ?? '',
    userAgent: actor?.userAgent ?? '',
    sourceIps: [...(actor?.sourceIps ?? [])],
    learnedFrom: actor?.learnedFrom ?? '',
  };
}

function timestampText(timestamp: KubeEvent__Output['lastTimestamp']): string {
  return fromTimestamp(timestamp)?.toISOString() ?? '';
}

/** The view of an event for templates and (via celEventView) CEL. */
export function eventView(event: KubeEvent__Output): EventView {
  return {
    id: event.id ?? '',
    source: sourceName(event),
    type: typeName(event),
    rawType: event.rawType ?? '',
    reason: event.reason ?? '',
    message: event.message ?? '',
    action: event.action ?? '',
    verb: event.verb ?? '',
    count: event.count ?? 0,
    object: objectView(event.involvedObject),
    related: objectView(event.related),
    actor: actorView(event.actor),
    cluster: event.cluster ?? '',
    reportingComponent: event.reportingComponent ?? '',
    reportingInstance: event.reportingInstance ?? '',
    revision: event.revision ?? '',
    auditId: event.auditId ?? '',
    responseCode: event.responseCode ?? 0,
    firstTimestamp: timestampText(event.firstTimestamp),
    lastTimestamp: timestampText(event.lastTimestamp),
  };
}

type CelObjectView = Omit<ObjectView, 'generation'> & { generation: bigint };
export type CelEventView = Omit<EventView, 'count' | 'responseCode' | 'object' | 'related'> & {
  count: bigint;
  responseCode: bigint;
  object: CelObjectView;
  related: CelObjectView;
};

function celObject(view: ObjectView, ref: ObjectReference__Output | null | undefined): CelObjectView {
  // generation comes as a decimal string (int64); BigInt keeps every digit.
  return { ...view, generation: BigInt(ref?.generation || 0) };
}

/** The CEL value of the variable `event`: eventView with CEL ints as bigint. */
export function celEventView(event: KubeEvent__Output): CelEventView {
  const view = eventView(event);
  return {
    ...view,
    count: BigInt(view.count),
    responseCode: BigInt(view.responseCode),
    object: celObject(view.object, event.involvedObject),
    related: celObject(view.related, event.related),
  };
}
