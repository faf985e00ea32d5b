import type { Actor, KubeEvent } from '@k8slistener/proto';
import { toTimestamp } from '@k8slistener/proto';

/** The fields of an audit.k8s.io/v1 Event the listener reads. */
export interface AuditEvent {
  auditID?: string;
  stage?: string;
  verb?: string;
  user?: { username?: string; uid?: string; groups?: string[] };
  impersonatedUser?: { username?: string; uid?: string; groups?: string[] } | null;
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: {
    resource?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    apiGroup?: string;
    apiVersion?: string;
    subresource?: string;
  };
  responseStatus?: { code?: number };
  responseObject?: RawObject | null;
  requestObject?: RawObject | null;
  stageTimestamp?: string;
  requestReceivedTimestamp?: string;
}

interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    labels?: Record<string, string>;
  };
}

/** The fields of an admission.k8s.io/v1 AdmissionReview request the listener reads. */
export interface AdmissionRequest {
  uid?: string;
  kind?: { group?: string; version?: string; kind?: string };
  resource?: { group?: string; version?: string; resource?: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation?: string;
  userInfo?: { username?: string; uid?: string; groups?: string[] };
  object?: RawObject | null;
  oldObject?: RawObject | null;
  dryRun?: boolean;
}

/** Turns a plural resource into its kind when the audit event carries no object; see KindResolver. */
export type KindOf = (apiGroup: string, resource: string) => string;

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete']);
const REASON_BY_VERB: Record<string, string> = {
  create: 'Created',
  update: 'Updated',
  patch: 'Patched',
  delete: 'Deleted',
};
const PAST_TENSE: Record<string, string> = {
  create: 'created',
  update: 'updated',
  patch: 'patched',
  delete: 'deleted',
};
const VERB_BY_OPERATION: Record<string, string> = { CREATE: 'create', UPDATE: 'update', DELETE: 'delete' };

function changeEvent(input: {
  id: string;
  verb: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  generation: number;
  labels: Record<string, string>;
  subresource: string;
  actor: Actor;
  time: Date;
  cluster: string;
  auditId: string;
  responseCode: number;
}): KubeEvent {
  const who = input.actor.username || 'someone';
  const what = `${input.kind} ${input.namespace ? `${input.namespace}/` : ''}${input.name}`;
  const sub = input.subresource ? ` (${input.subresource})` : '';
  const timestamp = toTimestamp(input.time);
  return {
    id: input.id,
    source: 'SOURCE_CHANGE',
    involvedObject: {
      apiVersion: input.apiVersion,
      kind: input.kind,
      namespace: input.namespace,
      name: input.name,
      uid: input.uid,
      labels: input.labels,
      generation: String(input.generation),
      subresource: input.subresource,
    },
    reason: REASON_BY_VERB[input.verb] ?? input.verb,
    type: 'EVENT_TYPE_NORMAL',
    rawType: 'Normal',
    message: `${who} ${PAST_TENSE[input.verb] ?? input.verb} ${what}${sub}`,
    verb: input.verb,
    count: 1,
    firstTimestamp: timestamp,
    lastTimestamp: timestamp,
    reportingComponent: 'kube-apiserver',
    actor: input.actor,
    cluster: input.cluster,
    auditId: input.auditId,
    responseCode: input.responseCode,
  };
}

/**
 * A successful write seen by the audit webhook backend as a Change event, or
 * undefined for everything else (reads, failed writes, other stages).
 */
export function auditToKubeEvent(audit: AuditEvent, cluster: string, kindOf: KindOf): KubeEvent | undefined {
  const verb = audit.verb ?? '';
  const code = audit.responseStatus?.code ?? 0;
  const ref = audit.objectRef;
  if (
    audit.stage !== 'ResponseComplete' ||
    !WRITE_VERBS.has(verb) ||
    code < 200 ||
    code > 299 ||
    !ref?.resource
  ) {
    return undefined;
  }
  const object = audit.responseObject?.kind
    ? audit.responseObject
    : audit.requestObject?.kind
      ? audit.requestObject
      : undefined;
  // A status or scale write answers with that sub-object, not the object itself.
  const objectIsTarget = object !== undefined && !ref.subresource;
  const group = ref.apiGroup ?? '';
  const impersonated = audit.impersonatedUser?.username ? audit.impersonatedUser : undefined;
  const user = impersonated ?? audit.user ?? {};
  return changeEvent({
    id: `change:${audit.auditID ?? ''}`,
    verb,
    apiVersion: group ? `${group}/${ref.apiVersion ?? ''}` : (ref.apiVersion ?? 'v1'),
    kind: objectIsTarget && object?.kind ? object.kind : kindOf(group, ref.resource),
    namespace: ref.namespace ?? '',
    name: ref.name ?? (objectIsTarget ? (object?.metadata?.name ?? '') : ''),
    uid: ref.uid ?? (objectIsTarget ? (object?.metadata?.uid ?? '') : ''),
    generation: objectIsTarget ? (object?.metadata?.generation ?? 0) : 0,
    labels: objectIsTarget ? (object?.metadata?.labels ?? {}) : {},
    subresource: ref.subresource ?? '',
    actor: {
      username: user.username ?? '',
      uid: user.uid ?? '',
      groups: user.groups ?? [],
      impersonator: impersonated ? (audit.user?.username ?? '') : '',
      userAgent: audit.userAgent ?? '',
      sourceIps: audit.sourceIPs ?? [],
      learnedFrom: 'audit',
    },
    time: new Date(audit.stageTimestamp ?? audit.requestReceivedTimestamp ?? Date.now()),
    cluster,
    auditId: audit.auditID ?? '',
    responseCode: code,
  });
}

/**
 * A write seen by the validating admission webhook as a Change event, or
 * undefined for dry runs and CONNECT. Admission sees a write before it is
 * stored, so a write that later fails (a conflict) still appears here; the
 * audit backend only reports writes that succeeded.
 */
export function admissionToKubeEvent(
  request: AdmissionRequest,
  cluster: string,
  now: Date,
): KubeEvent | undefined {
  const verb = VERB_BY_OPERATION[request.operation ?? ''];
  if (!verb || request.dryRun) return undefined;
  const object = request.operation === 'DELETE' ? request.oldObject : request.object;
  const group = request.kind?.group ?? '';
  const version = request.kind?.version ?? '';
  const target = !request.subResource;
  return changeEvent({
    id: `change:${request.uid ?? ''}`,
    verb,
    apiVersion: group ? `${group}/${version}` : version,
    kind: request.kind?.kind ?? '',
    namespace: request.namespace ?? '',
    name: request.name ?? object?.metadata?.name ?? '',
    uid: object?.metadata?.uid ?? '',
    generation: target ? (object?.metadata?.generation ?? 0) : 0,
    labels: target ? (object?.metadata?.labels ?? {}) : {},
    subresource: request.subResource ?? '',
    actor: {
      username: request.userInfo?.username ?? '',
      uid: request.userInfo?.uid ?? '',
      groups: request.userInfo?.groups ?? [],
      learnedFrom: 'admission',
    },
    time: now,
    cluster,
    auditId: '',
    responseCode: 0,
  });
}
