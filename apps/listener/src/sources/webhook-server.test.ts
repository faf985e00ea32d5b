import { request } from 'node:https';
import { createLogger } from '@k8slistener/log';
import { selfSignedCert } from '@k8slistener/testkit';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AdmissionRequest, AuditEvent } from './change-conversion.ts';
import { startWebhookServer, type WebhookServer } from './webhook-server.ts';

const log = createLogger({ name: 't', level: 'error', format: 'json', write: () => {} });
let server: WebhookServer;
let ca: string;
const audits: AuditEvent[] = [];
const admissions: AdmissionRequest[] = [];

function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

test.before(async () => {
  const tls = await selfSignedCert(['127.0.0.1']);
  ca = tls.cert;
  server = await startWebhookServer({
    host: '127.0.0.1',
    port: 0,
    cert: tls.cert,
    key: tls.key,
    tokens: ['right-token'],
    log,
    onAudit: async (events) => void audits.push(...events),
    onAdmission: async (r) => void admissions.push(r),
  });
});
test.after(() => server.close());

test('audit batches from an authenticated caller are accepted', async () => {
  const res = await post(
    '/audit',
    { kind: 'EventList', items: [{ auditID: 'a1' }, { auditID: 'a2' }] },
    { authorization: 'Bearer right-token' },
  );
  assert.is(res.status, 200);
  assert.equal(
    audits.map((a) => a.auditID),
    ['a1', 'a2'],
  );
});

test('audit calls without or with a wrong token are refused with 401 and not processed', async () => {
  for (const headers of [
    {},
    { authorization: 'Bearer wrong' },
    { authorization: 'Basic cmlnaHQtdG9rZW4=' },
    { authorization: 'Bearer right-token-but-longer' },
  ]) {
    const res = await post('/audit', { kind: 'EventList', items: [{ auditID: 'x' }] }, headers);
    assert.is(res.status, 401);
  }
  assert.not.ok(audits.some((a) => a.auditID === 'x'));
});

test('a body that is not an EventList is a 400 naming what came', async () => {
  const res = await post('/audit', { kind: 'AdmissionReview' }, { authorization: 'Bearer right-token' });
  assert.is(res.status, 400);
  assert.is(JSON.parse(res.body).error, 'expected an audit.k8s.io/v1 EventList, got kind AdmissionReview');
});

test('admission reviews are always allowed and echo the uid', async () => {
  const res = await post('/validate', {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: 'r-9', operation: 'CREATE' },
  });
  assert.is(res.status, 200);
  assert.equal(JSON.parse(res.body), {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'r-9', allowed: true },
  });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(
    admissions.map((a) => a.uid),
    ['r-9'],
  );
});

test('other paths are 404', async () => {
  assert.is((await post('/other', {})).status, 404);
});

test.run();
