import type { KubeEvent } from '@k8slistener/proto';
import { toTimestamp } from '@k8slistener/proto';
import { parseAllDocuments } from 'yaml';
import { guessKind } from '../kube/kind-resolver.ts';
import { type AuditEvent, auditToKubeEvent } from '../sources/change-conversion.ts';
import { eventToKubeEvent, type RawEvent } from '../sources/event-conversion.ts';

const SOURCES: Record<string, NonNullable<KubeEvent['source']>> = {
  Event: 'SOURCE_EVENT',
  Rollout: 'SOURCE_ROLLOUT',
  Change: 'SOURCE_CHANGE',
};
const TYPES: Record<string, NonNullable<KubeEvent['type']>> = {
  Normal: 'EVENT_TYPE_NORMAL',
  Warning: 'EVENT_TYPE_WARNING',
};

interface CoreEvent {
  metadata?: RawEvent['metadata'];
  involvedObject?: RawEvent['regarding'];
  related?: RawEvent['related'];
  reason?: string;
  message?: string;
  type?: string;
  action?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  reportingComponent?: string;
  reportingInstance?: string;
  source?: { component?: string; host?: string };
}

/** A core/v1 Event in the events.k8s.io/v1 shape the listener's conversion reads. */
function fromCoreEvent(e: CoreEvent): RawEvent {
  return {
    ...(e.metadata ? { metadata: e.metadata } : {}),
    ...(e.involvedObject ? { regarding: e.involvedObject } : {}),
    ...(e.related ? { related: e.related } : {}),
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.message ? { note: e.message } : {}),
    ...(e.type ? { type: e.type } : {}),
    ...(e.action ? { action: e.action } : {}),
    ...(e.count ? { deprecatedCount: e.count } : {}),
    ...(e.firstTimestamp ? { deprecatedFirstTimestamp: e.firstTimestamp } : {}),
    ...(e.lastTimestamp ? { deprecatedLastTimestamp: e.lastTimestamp } : {}),
    ...(e.eventTime ? { eventTime: e.eventTime } : {}),
    reportingController: e.reportingComponent || e.source?.component || '',
    reportingInstance: e.reportingInstance || e.source?.host || '',
  };
}

/** A KubeEvent written by hand, with friendly names: source "Rollout", type "Warning", time as ISO strings. */
function fromFriendly(doc: Record<string, unknown>, cluster: string): KubeEvent {
  const source = String(doc.source ?? 'Event');
  const type = String(doc.type ?? 'Normal');
  const time = new Date(String(doc.time ?? doc.lastTimestamp ?? new Date().toISOString()));
  const object = (doc.involvedObject ?? doc.object ?? {}) as Record<string, unknown>;
  return {
    id: String(doc.id ?? 'explain'),
    source: SOURCES[source] ?? 'SOURCE_UNSPECIFIED',
    involvedObject: {
      apiVersion: String(object.apiVersion ?? ''),
      kind: String(object.kind ?? ''),
      namespace: String(object.namespace ?? ''),
      name: String(object.name ?? ''),
      uid: String(object.uid ?? ''),
      labels: (object.labels ?? {}) as Record<string, string>,
      generation: String(object.generation ?? 0),
    },
    reason: String(doc.reason ?? ''),
    type: TYPES[type] ?? 'EVENT_TYPE_UNSPECIFIED',
    rawType: type,
    message: String(doc.message ?? ''),
    action: String(doc.action ?? ''),
    verb: String(doc.verb ?? ''),
    count: Number(doc.count ?? 1),
    firstTimestamp: toTimestamp(time),
    lastTimestamp: toTimestamp(time),
    ...(doc.actor ? { actor: doc.actor as NonNullable<KubeEvent['actor']> } : {}),
    cluster: String(doc.cluster ?? cluster),
  };
}

/**
 * Reads the event(s) to explain: a Kubernetes Event (events.k8s.io/v1 or
 * core/v1), an audit EventList, or a KubeEvent written by hand. YAML or JSON,
 * one or more documents.
 */
export function parseEventInput(
  text: string,
  cluster: string,
): { events: KubeEvent[] } | { errors: string[] } {
  const errors: string[] = [];
  const events: KubeEvent[] = [];
  parseAllDocuments(text).forEach((document, i) => {
    if (document.errors.length > 0) {
      errors.push(`document ${i + 1}: ${document.errors[0]?.message}`);
      return;
    }
    const doc = document.toJS() as Record<string, unknown> | null;
    if (!doc || typeof doc !== 'object') return;
    if (doc.kind === 'Event' && doc.apiVersion === 'events.k8s.io/v1')
      events.push(eventToKubeEvent(doc as RawEvent, cluster));
    else if (doc.kind === 'Event' && doc.apiVersion === 'v1')
      events.push(eventToKubeEvent(fromCoreEvent(doc as CoreEvent), cluster));
    else if (doc.kind === 'EventList' && String(doc.apiVersion).startsWith('audit.k8s.io')) {
      for (const item of (doc.items ?? []) as AuditEvent[]) {
        const event = auditToKubeEvent(item, cluster, (_group, resource) => guessKind(resource));
        if (event) events.push(event);
      }
    } else events.push(fromFriendly(doc, cluster));
  });
  if (errors.length > 0) return { errors };
  if (events.length === 0) return { errors: ['no event found in the input'] };
  return { events };
}
