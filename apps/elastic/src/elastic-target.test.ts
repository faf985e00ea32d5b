import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { authorizationHeader, DEFAULT_REPLICAS, parseElasticTargets } from './elastic-target.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const files: Record<string, string> = { '/ca.pem': PEM, '/key.pem': 'not a certificate' };
const readFile = (path: string) => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
  return content;
};
const parse = (raw: unknown) => parseElasticTargets(raw, readFile);

test('a full target and a minimal one', () => {
  const result = parse({
    prod: {
      url: 'https://search.example.com:9200/es/',
      indexPrefix: 'k8s-events',
      username: 'writer',
      password: 's3cret',
      caFile: '/ca.pem',
      retentionDays: 30,
      replicas: 1,
    },
    dev: { url: 'http://127.0.0.1:9200', indexPrefix: 'dev' },
  });
  assert.ok('targets' in result);
  assert.equal(result.targets.get('prod'), {
    name: 'prod',
    url: 'https://search.example.com:9200/es',
    indexPrefix: 'k8s-events',
    auth: { kind: 'basic', username: 'writer', password: 's3cret' },
    replicas: 1,
    ca: PEM,
    retentionDays: 30,
  });
  assert.equal(result.targets.get('dev'), {
    name: 'dev',
    url: 'http://127.0.0.1:9200',
    indexPrefix: 'dev',
    auth: { kind: 'none' },
    replicas: DEFAULT_REPLICAS,
  });
});

test('API key and bearer token', () => {
  const result = parse({
    a: { url: 'http://es:9200', indexPrefix: 'k8s', apiKey: 'aWQ6a2V5' },
    b: { url: 'http://os:9200', indexPrefix: 'k8s', bearerToken: 'eyJ' },
  });
  assert.ok('targets' in result);
  assert.equal(result.targets.get('a')?.auth, { kind: 'apiKey', apiKey: 'aWQ6a2V5' });
  assert.equal(result.targets.get('b')?.auth, { kind: 'bearer', token: 'eyJ' });
});

test('every bad setting is named with its target, and no secret is quoted', () => {
  const url = 'http://es:9200';
  const table: [Record<string, unknown>, string[]][] = [
    [{ indexPrefix: 'k8s' }, ['target "t": url: required']],
    [{ url: 'es:9200', indexPrefix: 'k8s' }, ['target "t": url: expected an absolute http(s) URL']],
    [
      { url: 'http://writer:s3cret@es:9200', indexPrefix: 'k8s' },
      ['target "t": url: must not carry credentials; use username and password'],
    ],
    [
      { url: 'http://es:9200/?pretty', indexPrefix: 'k8s' },
      ['target "t": url: must not carry a query or fragment'],
    ],
    [{ url }, ['target "t": indexPrefix: required']],
    [
      { url, indexPrefix: 'K8s' },
      [
        "target \"t\": indexPrefix: expected lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, at most 100 characters",
      ],
    ],
    [
      { url, indexPrefix: '.hidden' },
      [
        "target \"t\": indexPrefix: expected lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, at most 100 characters",
      ],
    ],
    [{ url, indexPrefix: 'k8s', username: 'writer' }, ['target "t": password: required with username']],
    [{ url, indexPrefix: 'k8s', password: 's3cret' }, ['target "t": username: required with password']],
    [
      { url, indexPrefix: 'k8s', username: 'a:b', password: 's3cret' },
      ['target "t": username: must not contain \':\' (HTTP basic authentication)'],
    ],
    [
      { url, indexPrefix: 'k8s', username: 'w', password: 's3cret', apiKey: 'k3y' },
      ['target "t": username/password, apiKey: choose one way to authenticate'],
    ],
    [
      { url, indexPrefix: 'k8s', apiKey: 'k3y', bearerToken: 't0ken' },
      ['target "t": apiKey, bearerToken: choose one way to authenticate'],
    ],
    [{ url, indexPrefix: 'k8s', apiKey: 42 }, ['target "t": apiKey: expected a non-empty string']],
    [
      { url, indexPrefix: 'k8s', caFile: '/missing.pem' },
      ['target "t": caFile: cannot read /missing.pem (ENOENT)'],
    ],
    [
      { url, indexPrefix: 'k8s', caFile: '/key.pem' },
      ['target "t": caFile: /key.pem holds no PEM certificate'],
    ],
    [
      { url, indexPrefix: 'k8s', retentionDays: 0 },
      ['target "t": retentionDays: expected a whole number from 1 to 36500'],
    ],
    [
      { url, indexPrefix: 'k8s', retentionDays: '7' },
      ['target "t": retentionDays: expected a whole number from 1 to 36500'],
    ],
    [
      { url, indexPrefix: 'k8s', replicas: -1 },
      ['target "t": replicas: expected a whole number from 0 to 20'],
    ],
    [
      { url, indexPrefix: 'k8s', index: 'x' },
      [
        'target "t": index: unknown setting; expected one of url, indexPrefix, username, password, apiKey, bearerToken, caFile, retentionDays, replicas',
      ],
    ],
  ];
  for (const [settings, expected] of table) {
    const result = parse({ t: settings });
    assert.equal(result, { errors: expected }, JSON.stringify(settings));
    const text = JSON.stringify(result);
    for (const secret of ['s3cret', 'k3y', 't0ken']) assert.not.ok(text.includes(secret), text);
  }
});

test('a document that is not a mapping of targets', () => {
  assert.equal(parse(null), { errors: ['targets: expected a mapping of target name to its settings'] });
  assert.equal(parse({}), { errors: ['targets: none configured'] });
});

test('the Authorization header of each way to authenticate', () => {
  assert.is(authorizationHeader({ kind: 'basic', username: 'writer', password: 'pw' }), 'Basic d3JpdGVyOnB3');
  assert.is(authorizationHeader({ kind: 'apiKey', apiKey: 'aWQ6a2V5' }), 'ApiKey aWQ6a2V5');
  assert.is(authorizationHeader({ kind: 'bearer', token: 'eyJ' }), 'Bearer eyJ');
  assert.is(authorizationHeader({ kind: 'none' }), undefined);
});

test.run();
