// Test support (not exported): a complete KubeEvent__Output as the proto loader gives it.
import type { KubeEvent__Output, ObjectReference__Output } from '@k8slistener/proto';

type EventOverrides = Partial<Omit<KubeEvent__Output, 'involvedObject'>> & {
  involvedObject?: Partial<ObjectReference__Output> | null;
};

export function kubeEvent(overrides: EventOverrides = {}): KubeEvent__Output {
  const { involvedObject, ...rest } = overrides;
  return {
    id: 'ev-1',
    source: 'SOURCE_EVENT',
    involvedObject:
      involvedObject === null
        ? null
        : {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: 'shop',
            name: 'web',
            uid: 'uid-web',
            labels: { app: 'shop' },
            generation: '3',
            subresource: '',
            fieldPath: '',
            ...involvedObject,
          },
    reason: 'ScalingReplicaSet',
    type: 'EVENT_TYPE_NORMAL',
    rawType: 'Normal',
    message: 'Scaled up replica set web-5d8f to 3',
    action: '',
    verb: '',
    count: 1,
    firstTimestamp: { seconds: '1767225600', nanos: 0 },
    lastTimestamp: { seconds: '1767225600', nanos: 500_000_000 },
    reportingComponent: 'deployment-controller',
    reportingInstance: '',
    actor: null,
    cluster: 'test',
    related: null,
    revision: '',
    auditId: '',
    responseCode: 0,
    ...rest,
  };
}

export function actor(username: string, groups: string[] = []): KubeEvent__Output['actor'] {
  return { username, uid: '', groups, impersonator: '', userAgent: '', sourceIps: [], learnedFrom: 'audit' };
}
