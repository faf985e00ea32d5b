import type { KubeEvent, ObjectReference } from '@k8slistener/proto';
import { toTimestamp } from '@k8slistener/proto';

/** The fields of an events.k8s.io/v1 Event the listener reads (raw JSON from the API server). */
export interface RawEvent {
  metadata?: {
    uid?: string;
    name?: string;
    namespace?: string;
    creationTimestamp?: string;
    resourceVersion?: string;
  };
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  deprecatedCount?: number;
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  reason?: string;
  note?: string;
  type?: string;
  action?: string;
  reportingController?: string;
  reportingInstance?: string;
  regarding?: RawObjectReference;
  related?: RawObjectReference | null;
}

interface RawObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  fieldPath?: string;
}

/** How many times this event has occurred: the series count, the legacy count, else once. */
export function occurrenceCount(event: RawEvent): number {
  return (
    event.series?.count ?? (event.deprecatedCount && event.deprecatedCount > 0 ? event.deprecatedCount : 1)
  );
}

/** When this occurrence happened. */
export function occurrenceTime(event: RawEvent): Date {
  const candidates = [
    event.series?.lastObservedTime,
    event.deprecatedLastTimestamp,
    event.eventTime,
    event.metadata?.creationTimestamp,
  ];
  for (const value of candidates) {
    if (value) {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) return date;
    }
  }
  return new Date(0);
}

function reference(raw: RawObjectReference | null | undefined): ObjectReference | undefined {
  if (!raw) return undefined;
  return {
    apiVersion: raw.apiVersion ?? '',
    kind: raw.kind ?? '',
    namespace: raw.namespace ?? '',
    name: raw.name ?? '',
    uid: raw.uid ?? '',
    fieldPath: raw.fieldPath ?? '',
  };
}

/**
 * One occurrence of an Event as a KubeEvent. The id is the Event's UID and
 * occurrence count, so the same occurrence always has the same id — across
 * relists, restarts and replicas.
 */
export function eventToKubeEvent(event: RawEvent, cluster: string): KubeEvent {
  const count = occurrenceCount(event);
  const first = event.deprecatedFirstTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp;
  const firstDate = first ? new Date(first) : occurrenceTime(event);
  const type = event.type ?? '';
  const related = reference(event.related);
  return {
    id: `event:${event.metadata?.uid ?? ''}:${count}`,
    source: 'SOURCE_EVENT',
    involvedObject: reference(event.regarding) ?? {},
    reason: event.reason ?? '',
    type:
      type === 'Normal'
        ? 'EVENT_TYPE_NORMAL'
        : type === 'Warning'
          ? 'EVENT_TYPE_WARNING'
          : 'EVENT_TYPE_UNSPECIFIED',
    rawType: type,
    message: event.note ?? '',
    action: event.action ?? '',
    count,
    firstTimestamp: toTimestamp(Number.isNaN(firstDate.getTime()) ? occurrenceTime(event) : firstDate),
    lastTimestamp: toTimestamp(occurrenceTime(event)),
    reportingComponent: event.reportingController ?? '',
    reportingInstance: event.reportingInstance ?? '',
    cluster,
    ...(related ? { related } : {}),
  };
}
