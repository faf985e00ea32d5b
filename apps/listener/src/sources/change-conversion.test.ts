import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type AuditEvent, admissionToKubeEvent, auditToKubeEvent } from './change-conversion.ts';

const kindOf = (group: string, resource: string) =>
  group === 'apps' && resource === 'deployments' ? 'Deployment' : `?${resource}`;

const patchAudit: AuditEvent = {
  auditID: 'a-1',
  stage: 'ResponseComplete',
  verb: 'patch',
  user: { username: 'expert@org.com', uid: 'uid-expert', groups: ['developers', 'system:authenticated'] },
  sourceIPs: ['127.0.0.1'],
  userAgent: 'kubectl/v1.36.3 (linux/amd64)',
  objectRef: { resource: 'deployments', namespace: 'shop', name: 'web', apiGroup: 'apps', apiVersion: 'v1' },
  responseStatus: { code: 200 },
  responseObject: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', uid: 'd1', generation: 3, labels: { app: 'web' } },
  },
  stageTimestamp: '2026-11-24T12:00:00.123456Z',
};

test('a successful patch with its response object becomes a Change with the actor and generation', () => {
  const event = auditToKubeEvent(patchAudit, 'prod', kindOf);
  assert.equal(event, {
    id: 'change:a-1',
    source: 'SOURCE_CHANGE',
    involvedObject: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      uid: 'd1',
      labels: { app: 'web' },
      generation: '3',
      subresource: '',
    },
    reason: 'Patched',
    type: 'EVENT_TYPE_NORMAL',
    rawType: 'Normal',
    message: 'expert@org.com patched Deployment shop/web',
    verb: 'patch',
    count: 1,
    firstTimestamp: { seconds: '1795521600', nanos: 123000000 },
    lastTimestamp: { seconds: '1795521600', nanos: 123000000 },
    reportingComponent: 'kube-apiserver',
    actor: {
      username: 'expert@org.com',
      uid: 'uid-expert',
      groups: ['developers', 'system:authenticated'],
      impersonator: '',
      userAgent: 'kubectl/v1.36.3 (linux/amd64)',
      sourceIps: ['127.0.0.1'],
      learnedFrom: 'audit',
    },
    cluster: 'prod',
    auditId: 'a-1',
    responseCode: 200,
  });
});

test('what is not a successful write is ignored', () => {
  for (const [change, why] of [
    [{ stage: 'ResponseStarted' }, 'other stage'],
    [{ verb: 'get' }, 'read'],
    [{ verb: 'watch' }, 'watch'],
    [{ responseStatus: { code: 409 } }, 'conflict'],
    [{ responseStatus: { code: 403 } }, 'forbidden'],
    [{ objectRef: undefined }, 'no object'],
  ] as const) {
    assert.is(auditToKubeEvent({ ...patchAudit, ...change } as AuditEvent, 'c', kindOf), undefined, why);
  }
});

test('metadata-level audit: kind from the resource, no generation; impersonation names both users', () => {
  const event = auditToKubeEvent(
    {
      ...patchAudit,
      verb: 'delete',
      responseObject: null,
      user: { username: 'admin', groups: ['system:masters'] },
      impersonatedUser: { username: 'other@org.com', groups: ['developers'] },
    },
    'c',
    kindOf,
  );
  assert.is(event?.involvedObject?.kind, 'Deployment');
  assert.is(event?.involvedObject?.generation, '0');
  assert.is(event?.reason, 'Deleted');
  assert.is(event?.message, 'other@org.com deleted Deployment shop/web');
  assert.is(event?.actor?.username, 'other@org.com');
  assert.is(event?.actor?.impersonator, 'admin');
});

test('a status sub-resource write names the sub-resource and not the status object as the target', () => {
  const event = auditToKubeEvent(
    {
      ...patchAudit,
      objectRef: { ...patchAudit.objectRef, subresource: 'scale' },
      responseObject: { kind: 'Scale', metadata: { name: 'web', generation: 9 } },
    },
    'c',
    kindOf,
  );
  assert.is(event?.involvedObject?.kind, 'Deployment');
  assert.is(event?.involvedObject?.subresource, 'scale');
  assert.is(event?.involvedObject?.generation, '0');
  assert.is(event?.message, 'expert@org.com patched Deployment shop/web (scale)');
});

test('an admission request becomes the same kind of Change, learned from admission', () => {
  const event = admissionToKubeEvent(
    {
      uid: 'r-1',
      kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      name: 'web',
      namespace: 'shop',
      operation: 'UPDATE',
      userInfo: { username: 'expert@org.com', uid: 'u', groups: ['developers'] },
      object: { kind: 'Deployment', metadata: { uid: 'd1', generation: 4, labels: { app: 'web' } } },
    },
    'c',
    new Date('2026-11-24T12:00:00Z'),
  );
  assert.is(event?.id, 'change:r-1');
  assert.is(event?.verb, 'update');
  assert.is(event?.reason, 'Updated');
  assert.is(event?.involvedObject?.apiVersion, 'apps/v1');
  assert.is(event?.involvedObject?.generation, '4');
  assert.is(event?.actor?.learnedFrom, 'admission');
  assert.is(event?.message, 'expert@org.com updated Deployment shop/web');
});

test('admission ignores dry runs and CONNECT; a delete reads the old object', () => {
  const base = {
    uid: 'r',
    kind: { group: '', version: 'v1', kind: 'ConfigMap' },
    name: 'cm',
    namespace: 'a',
    userInfo: { username: 'x' },
  };
  assert.is(admissionToKubeEvent({ ...base, operation: 'CREATE', dryRun: true }, 'c', new Date()), undefined);
  assert.is(admissionToKubeEvent({ ...base, operation: 'CONNECT' }, 'c', new Date()), undefined);
  const deleted = admissionToKubeEvent(
    { ...base, operation: 'DELETE', oldObject: { metadata: { uid: 'cm-uid' } } },
    'c',
    new Date(),
  );
  assert.is(deleted?.involvedObject?.uid, 'cm-uid');
  assert.is(deleted?.involvedObject?.apiVersion, 'v1');
});

test.run();
