import type { KubeEvent__Output, ObjectReference__Output } from '@k8slistener/proto';
import type { ChatContent } from './default-content.ts';

// Events shared by the render tests: one of each source, as the listener's
// sources build them, and the emptiest event the loader can decode.

const NO_ACTOR = null;

/** A decoded google.protobuf.Timestamp, as the loader gives it (seconds as a string). */
function at(iso: string): { seconds: string; nanos: number } {
  const ms = Date.parse(iso);
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** An ObjectReference with every field at its default but `overrides`. */
export function objectRef(overrides: Partial<ObjectReference__Output> = {}): ObjectReference__Output {
  return {
    apiVersion: '',
    kind: '',
    namespace: '',
    name: '',
    uid: '',
    labels: {},
    generation: '0',
    subresource: '',
    fieldPath: '',
    ...overrides,
  };
}

/** The emptiest event: every field at its proto default. */
export function emptyEvent(overrides: Partial<KubeEvent__Output> = {}): KubeEvent__Output {
  return {
    id: '',
    source: 'SOURCE_UNSPECIFIED',
    involvedObject: null,
    reason: '',
    type: 'EVENT_TYPE_UNSPECIFIED',
    rawType: '',
    message: '',
    action: '',
    verb: '',
    count: 0,
    firstTimestamp: null,
    lastTimestamp: null,
    reportingComponent: '',
    reportingInstance: '',
    actor: NO_ACTOR,
    cluster: '',
    related: null,
    revision: '',
    auditId: '',
    responseCode: 0,
    ...overrides,
  };
}

/** A kubelet BackOff Warning about a Pod, seen 3 times. */
export function backOffEvent(overrides: Partial<KubeEvent__Output> = {}): KubeEvent__Output {
  return emptyEvent({
    id: 'event:e1:3',
    source: 'SOURCE_EVENT',
    involvedObject: objectRef({
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'shop',
      name: 'web-5d8f9-abcde',
      uid: 'p1',
      labels: { app: 'web', 'app.kubernetes.io/name': 'web' },
      fieldPath: 'spec.containers{web}',
    }),
    reason: 'BackOff',
    type: 'EVENT_TYPE_WARNING',
    rawType: 'Warning',
    message: 'Back-off restarting failed container web in pod web-5d8f9-abcde_shop(p1)',
    action: 'Restarting',
    count: 3,
    firstTimestamp: at('2026-11-24T13:58:00.000Z'),
    lastTimestamp: at('2026-11-24T14:02:11.250Z'),
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
    cluster: 'prod',
    related: objectRef({ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'n1' }),
    ...overrides,
  });
}

const EXPERT = {
  username: 'expert@org.com',
  uid: 'u-42',
  groups: ['developers', 'system:authenticated'],
  impersonator: '',
  userAgent: 'kubectl/v1.36.3 (linux/amd64)',
  sourceIps: ['127.0.0.1'],
  learnedFrom: 'audit',
};

/** The listener's derived "rollout completed", carrying the actor of the change that started it. */
export function rolloutEvent(overrides: Partial<KubeEvent__Output> = {}): KubeEvent__Output {
  return emptyEvent({
    id: 'rollout:d1:3:Completed',
    source: 'SOURCE_ROLLOUT',
    involvedObject: objectRef({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      uid: 'd1',
      labels: { app: 'web' },
      generation: '3',
    }),
    reason: 'RolloutCompleted',
    type: 'EVENT_TYPE_NORMAL',
    rawType: 'Normal',
    message: 'Deployment shop/web rolled out revision 2: 3 of 3 replicas updated and available',
    action: 'Completed',
    count: 1,
    firstTimestamp: at('2026-11-24T14:00:00.000Z'),
    lastTimestamp: at('2026-11-24T14:02:11.000Z'),
    reportingComponent: 'k8slistener',
    actor: { ...EXPERT },
    cluster: 'prod',
    revision: '2',
    ...overrides,
  });
}

/** A patch of a Deployment seen through the audit webhook. */
export function changeEvent(overrides: Partial<KubeEvent__Output> = {}): KubeEvent__Output {
  return emptyEvent({
    id: 'change:a-1',
    source: 'SOURCE_CHANGE',
    involvedObject: objectRef({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      uid: 'd1',
      labels: { app: 'web' },
      generation: '3',
    }),
    reason: 'Patched',
    type: 'EVENT_TYPE_NORMAL',
    rawType: 'Normal',
    message: 'expert@org.com patched Deployment shop/web',
    action: '',
    verb: 'patch',
    count: 1,
    firstTimestamp: at('2026-11-24T13:59:58.500Z'),
    lastTimestamp: at('2026-11-24T13:59:58.500Z'),
    reportingComponent: 'kube-apiserver',
    actor: { ...EXPERT },
    cluster: 'prod',
    auditId: 'a-1',
    responseCode: 200,
    ...overrides,
  });
}

/** Chat content as renderMessage hands it to a channel builder. */
export function chatContent(overrides: Partial<ChatContent> = {}): ChatContent {
  return {
    title: 'Pod shop/web: BackOff',
    text: 'Back-off restarting failed container',
    severity: 'SEVERITY_WARNING',
    fields: [{ name: 'Namespace', value: 'shop', short: true }],
    links: [{ title: 'Grafana', url: 'https://grafana.example/d/k8s?var-name=web' }],
    context: 'cluster prod · 2026-11-24T14:02:11Z · rule EventRule/shop/r',
    fallback: 'Pod shop/web: BackOff',
    ...overrides,
  };
}

/** The Deployment shop/web (generation 3) the rollout and change events are about. */
export function deploymentRef(overrides: Partial<ObjectReference__Output> = {}): ObjectReference__Output {
  return objectRef({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    uid: 'd1',
    labels: { app: 'web' },
    generation: '3',
    ...overrides,
  });
}
