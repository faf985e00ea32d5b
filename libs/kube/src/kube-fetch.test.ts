import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bunTlsOptions } from './kube-fetch.ts';

function config(cluster: Record<string, unknown>, user: Record<string, unknown>): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', ...cluster }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

test('CA and client certificate from inline data', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  assert.equal(bunTlsOptions(config({ caData: b64('CA') }, { certData: b64('CERT'), keyData: b64('KEY') })), {
    ca: 'CA',
    cert: 'CERT',
    key: 'KEY',
  });
});

test('CA and client certificate from files; a token-only user has neither cert nor key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-fetch-'));
  try {
    writeFileSync(join(dir, 'ca.pem'), 'FILE-CA');
    assert.equal(bunTlsOptions(config({ caFile: join(dir, 'ca.pem') }, { token: 't' })), { ca: 'FILE-CA' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('skipTLSVerify turns verification off, and only then', () => {
  assert.equal(bunTlsOptions(config({ skipTLSVerify: true }, { token: 't' })), { rejectUnauthorized: false });
  assert.equal(bunTlsOptions(config({}, { token: 't' })), {});
});

test.run();
