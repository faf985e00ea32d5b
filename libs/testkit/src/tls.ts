import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './run-command.ts';
import { requireTool } from './tools.ts';

export interface TlsPair {
  /** PEM certificate; self-signed, so it is also the CA a client trusts. */
  cert: string;
  /** PEM private key. */
  key: string;
}

/**
 * A self-signed certificate for local HTTPS servers the API server calls
 * (audit and admission webhooks need TLS), valid for the given IPs and DNS
 * names. Made with the openssl CLI.
 */
export async function selfSignedCert(
  hosts: readonly string[] = ['127.0.0.1', 'localhost'],
  commonName = 'k8slistener-test',
): Promise<TlsPair> {
  const openssl = requireTool('openssl', 'making a test TLS certificate');
  const dir = mkdtempSync(join(tmpdir(), 'k8slistener-tls-'));
  try {
    const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
    await runCommand(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        `subjectAltName=${san}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
      ],
      { step: 'openssl req (self-signed test certificate)' },
    );
    return {
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
