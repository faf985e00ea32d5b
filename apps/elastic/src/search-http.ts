import tls from 'node:tls';
import { channelHttp } from '@k8slistener/plugin-kit';
import type { KyInstance } from 'ky';
import { authorizationHeader, type ElasticTarget } from './elastic-target.ts';

export interface SearchHttpOptions {
  timeoutMs: number;
  userAgent: string;
  /** The fetch to use; the runtime's own when unset (tests answer from a script). */
  fetch?: typeof fetch;
}

const isBun = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';

/**
 * The REST client of one target: its base URL, its credentials on every
 * request, its CA. No retries and no thrown HTTP errors (channelHttp): the
 * bulk indexer reads every answer itself.
 *
 * A custom CA is per target on Bun (fetch's `tls.ca`). Node's fetch takes a
 * CA only through an undici dispatcher, and undici is not among this
 * plugin's dependencies, so on Node the CA is added to the process's default
 * trust store instead (tls.setDefaultCACertificates): every target of the
 * process then trusts every target's CA, in addition to the system ones.
 */
export function searchHttp(target: ElasticTarget, options: SearchHttpOptions): KyInstance {
  const authorization = authorizationHeader(target.auth);
  if (target.ca !== undefined && !isBun) trustCaProcessWide(target.ca);
  return channelHttp(options).extend({
    prefix: `${target.url}/`,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: {
      accept: 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    ...(target.ca !== undefined && isBun ? { tls: { ca: target.ca } } : {}),
  });
}

const trusted = new Set<string>();

function trustCaProcessWide(ca: string): void {
  if (trusted.has(ca)) return;
  trusted.add(ca);
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), ca]);
}
