import { channelHttp } from '@k8slistener/plugin-kit';
import type { KyInstance } from 'ky';
import { Agent } from 'undici';
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
 * A custom CA is per target on both runtimes: Bun's fetch takes it as
 * `tls.ca`, Node's through an undici dispatcher whose connections trust it
 * (one per target, so a target never trusts another target's CA).
 */
export function searchHttp(target: ElasticTarget, options: SearchHttpOptions): KyInstance {
  const authorization = authorizationHeader(target.auth);
  const baseFetch = options.fetch ?? globalThis.fetch;
  const dispatcher =
    target.ca !== undefined && !isBun ? new Agent({ connect: { ca: target.ca } }) : undefined;
  // Node's fetch honours an undici `dispatcher` option that its RequestInit type does not declare.
  const fetchWithCa = dispatcher
    ? (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
        baseFetch(input, { ...init, dispatcher } as unknown as RequestInit)
    : undefined;
  return channelHttp(options).extend({
    prefix: `${target.url}/`,
    ...(fetchWithCa ? { fetch: fetchWithCa } : options.fetch ? { fetch: options.fetch } : {}),
    headers: {
      accept: 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    ...(target.ca !== undefined && isBun ? { tls: { ca: target.ca } } : {}),
  });
}
