import { readFileSync } from 'node:fs';
import { type TargetsResult, targetEntries, targetFields } from '@k8slistener/plugin-kit';

export type TargetAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'apiKey'; apiKey: string }
  | { kind: 'bearer'; token: string };

/** One named Elasticsearch/OpenSearch destination, from the plugin's targets Secret. */
export interface ElasticTarget {
  name: string;
  /** Base URL of the cluster, no trailing slash; may carry a path when a proxy serves it under one. */
  url: string;
  /** Daily indices are `<indexPrefix>-YYYY.MM.DD`; the index template covers `<indexPrefix>-*`. */
  indexPrefix: string;
  auth: TargetAuth;
  /** PEM of the CA that signed the cluster's certificate, read from caFile. */
  ca?: string;
  /** Daily indices whose whole day is older than this are deleted; unset keeps them forever. */
  retentionDays?: number;
  /** number_of_replicas of new daily indices. */
  replicas: number;
}

export const TARGET_SETTINGS = [
  'url',
  'indexPrefix',
  'username',
  'password',
  'apiKey',
  'bearerToken',
  'caFile',
  'retentionDays',
  'replicas',
] as const;

/** 0: a single-node cluster stays green; set 1 or more on a cluster with several data nodes. */
export const DEFAULT_REPLICAS = 0;
const MAX_REPLICAS = 20;
const MAX_RETENTION_DAYS = 36_500;
/** Leaves room for "-<sub>-YYYY.MM.DD" within the 255 bytes of an index name. */
const MAX_PREFIX_CHARS = 100;
const PREFIX_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Reads the targets document: a mapping of target name to settings. Every
 * problem is returned naming target and field; secrets are never quoted.
 */
export function parseElasticTargets(
  raw: unknown,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): TargetsResult<ElasticTarget> {
  const entries = targetEntries(raw);
  if ('errors' in entries) return { errors: entries.errors };
  const errors: string[] = [];
  const targets = new Map<string, ElasticTarget>();
  for (const [name, settings] of entries.value) {
    const before = errors.length;
    const target = parseTarget(name, settings, errors, readFile);
    if (errors.length === before && target !== undefined) targets.set(name, target);
  }
  return errors.length > 0 ? { errors } : { targets };
}

function parseTarget(
  name: string,
  settings: Record<string, unknown>,
  errors: string[],
  readFile: (path: string) => string,
): ElasticTarget | undefined {
  const fail = (field: string, message: string) => errors.push(`target "${name}": ${field}: ${message}`);
  const fields = targetFields(name, settings, errors);
  fields.rejectUnknown(TARGET_SETTINGS);
  let url = fields.url('url');
  if (url !== undefined) {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') {
      fail('url', 'must not carry credentials; use username and password');
      url = undefined;
    } else if (parsed.search !== '' || parsed.hash !== '') {
      fail('url', 'must not carry a query or fragment');
      url = undefined;
    } else {
      url = url.replace(/\/+$/, '');
    }
  }
  const indexPrefix = fields.string('indexPrefix');
  if (
    indexPrefix !== undefined &&
    !(PREFIX_PATTERN.test(indexPrefix) && indexPrefix.length <= MAX_PREFIX_CHARS)
  ) {
    fail(
      'indexPrefix',
      `expected lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, at most ${MAX_PREFIX_CHARS} characters`,
    );
  }
  const auth = parseAuth(fields, fail);
  let ca: string | undefined;
  const caFile = fields.optionalString('caFile');
  if (caFile !== undefined) {
    try {
      ca = readFile(caFile);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      fail('caFile', `cannot read ${caFile}${typeof code === 'string' ? ` (${code})` : ''}`);
    }
    if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) {
      fail('caFile', `${caFile} holds no PEM certificate`);
      ca = undefined;
    }
  }
  const retentionDays = fields.optionalInteger('retentionDays', 1, MAX_RETENTION_DAYS);
  const replicas = fields.optionalInteger('replicas', 0, MAX_REPLICAS) ?? DEFAULT_REPLICAS;
  if (url === undefined || indexPrefix === undefined || auth === undefined) return undefined;
  return {
    name,
    url,
    indexPrefix,
    auth,
    replicas,
    ...(ca === undefined ? {} : { ca }),
    ...(retentionDays === undefined ? {} : { retentionDays }),
  };
}

function parseAuth(
  fields: ReturnType<typeof targetFields>,
  fail: (field: string, message: string) => void,
): TargetAuth | undefined {
  const username = fields.optionalString('username');
  const password = fields.optionalString('password');
  const apiKey = fields.optionalString('apiKey');
  const bearerToken = fields.optionalString('bearerToken');
  const chosen = [
    username !== undefined || password !== undefined ? 'username/password' : undefined,
    apiKey !== undefined ? 'apiKey' : undefined,
    bearerToken !== undefined ? 'bearerToken' : undefined,
  ].filter((kind) => kind !== undefined);
  if (chosen.length > 1) {
    fail(chosen.join(', '), 'choose one way to authenticate');
    return undefined;
  }
  if (username !== undefined && password === undefined) {
    fail('password', 'required with username');
    return undefined;
  }
  if (password !== undefined && username === undefined) {
    fail('username', 'required with password');
    return undefined;
  }
  if (username?.includes(':')) {
    fail('username', "must not contain ':' (HTTP basic authentication)");
    return undefined;
  }
  if (username !== undefined && password !== undefined) return { kind: 'basic', username, password };
  if (apiKey !== undefined) return { kind: 'apiKey', apiKey };
  if (bearerToken !== undefined) return { kind: 'bearer', token: bearerToken };
  return { kind: 'none' };
}

/** The Authorization header for a target, if it authenticates. */
export function authorizationHeader(auth: TargetAuth): string | undefined {
  switch (auth.kind) {
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    case 'apiKey':
      // Elasticsearch's "encoded" API key (base64 of id:key); OpenSearch has no API keys.
      return `ApiKey ${auth.apiKey}`;
    case 'bearer':
      return `Bearer ${auth.token}`;
    case 'none':
      return undefined;
  }
}
