import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort } from '../ports.ts';
import { type DoubleServerOptions, type DoubleService, startDoubleServer } from './double-server.ts';

type EchoMode = 'teapot' | 'server_error';

const echo = (): DoubleService<EchoMode> => {
  let resets = 0;
  return {
    name: 'echo',
    errors: {
      teapot: { status: 418, body: 'short and stout' },
      server_error: { status: 500, body: 'boom' },
    },
    rateLimited: (seconds) => ({
      status: 429,
      headers: { 'retry-after': String(seconds) },
      body: 'slow down',
    }),
    rateKey: (request) => request.path,
    handle: (request) => ({
      status: 200,
      headers: { 'x-resets': String(resets) },
      body: `echo ${request.seq}`,
    }),
    reset: () => {
      resets += 1;
    },
  };
};

const start = (options: DoubleServerOptions = {}) => startDoubleServer(echo(), options);

async function call(origin: string, path = '/hook', init: RequestInit = { method: 'POST', body: 'x' }) {
  const response = await fetch(origin + path, init);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

test('listens on 127.0.0.1 and answers with the service', async () => {
  const double = await start();
  try {
    assert.ok(double.port > 0);
    assert.is(double.origin, `http://127.0.0.1:${double.port}`);
    const answer = await call(double.origin);
    assert.equal([answer.status, answer.body, answer.headers.get('content-length')], [200, 'echo 1', '6']);
  } finally {
    await double.close();
  }
});

test('listens on the port it is given', async () => {
  const port = await freePort();
  const double = await start({ port });
  try {
    assert.is(double.port, port);
    assert.is((await call(`http://127.0.0.1:${port}`)).status, 200);
  } finally {
    await double.close();
  }
});

test('records every request with its parsed body, time and answer', async () => {
  const double = await start({ now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 678) });
  try {
    await call(double.origin, '/hook/a?x=1&y=two', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trace': 'abc' },
      body: '{"text":"hi"}',
    });
    await call(double.origin, '/form', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=two',
    });
    const [first, second] = double.requests;
    assert.equal(
      {
        seq: first?.seq,
        method: first?.method,
        path: first?.path,
        query: first?.query,
        contentType: first?.headers['content-type'],
        trace: first?.headers['x-trace'],
        body: first?.body,
        json: first?.json,
        form: first?.form,
        receivedAt: first?.receivedAt,
        answer: first?.answer,
      },
      {
        seq: 1,
        method: 'POST',
        path: '/hook/a',
        query: { x: '1', y: 'two' },
        contentType: 'application/json',
        trace: 'abc',
        body: '{"text":"hi"}',
        json: { text: 'hi' },
        form: undefined,
        receivedAt: '2026-01-02T03:04:05.678Z',
        answer: { status: 200, body: 'echo 1' },
      },
    );
    assert.equal([second?.seq, second?.json, second?.form], [2, undefined, { a: '1', b: 'two' }]);
  } finally {
    await double.close();
  }
});

test('fail answers the next count requests with the named error, then recovers', async () => {
  const double = await start();
  try {
    double.fail('teapot', 2);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await call(double.origin));
    assert.equal(
      answers.map((a) => [a.status, a.body]),
      [
        [418, 'short and stout'],
        [418, 'short and stout'],
        [200, 'echo 3'],
      ],
    );
    assert.equal(
      double.requests.map((r) => r.answer),
      [
        { status: 418, body: 'short and stout' },
        { status: 418, body: 'short and stout' },
        { status: 200, body: 'echo 3' },
      ],
    );
  } finally {
    await double.close();
  }
});

test('fail without a count lasts until reset', async () => {
  const double = await start();
  try {
    double.fail('server_error');
    for (let i = 0; i < 4; i++) assert.is((await call(double.origin)).status, 500);
    double.reset();
    assert.equal(double.requests, []);
    const after = await call(double.origin);
    assert.equal([after.status, after.body, after.headers.get('x-resets')], [200, 'echo 1', '1']);
  } finally {
    await double.close();
  }
});

test('faults run in the order they were set', async () => {
  const double = await start();
  try {
    double.fail('server_error', 1);
    double.rateLimit(7, 1);
    double.fail('teapot', 1);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(double.origin)).status);
    assert.equal(statuses, [500, 429, 418, 200]);
  } finally {
    await double.close();
  }
});

test('rateLimit answers with the service 429 and its Retry-After', async () => {
  const double = await start();
  try {
    double.rateLimit(30, 1);
    const limited = await call(double.origin);
    assert.equal(
      [limited.status, limited.headers.get('retry-after'), limited.body],
      [429, '30', 'slow down'],
    );
    assert.is((await call(double.origin)).status, 200);
  } finally {
    await double.close();
  }
});

test('drop resets the connection without an answer', async () => {
  const double = await start();
  try {
    double.fail('drop', 1);
    let rejected = false;
    try {
      await call(double.origin);
    } catch {
      rejected = true;
    }
    assert.ok(rejected, 'fetch should reject on a dropped connection');
    assert.equal(double.requests[0]?.answer, { dropped: true });
    assert.is((await call(double.origin)).status, 200);
  } finally {
    await double.close();
  }
});

test('slow holds the answer back but still delivers it', async () => {
  const double = await start();
  try {
    double.slow(50);
    const answer = await call(double.origin);
    assert.equal([answer.status, answer.body], [200, 'echo 1']);
    assert.is(double.state().slowMs, 50);
  } finally {
    await double.close();
  }
});

test('slow waits through the injected sleep', async () => {
  const waits: number[] = [];
  const double = await start({
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  try {
    double.slow(5_000);
    assert.is((await call(double.origin)).status, 200);
    double.slow(0);
    assert.is((await call(double.origin)).status, 200);
    assert.equal(waits, [5_000]);
  } finally {
    await double.close();
  }
});

test('close cuts an answer that slow is still holding back', async () => {
  const double = await start();
  double.slow(60_000);
  const pending = call(double.origin).then(
    () => 'answered',
    () => 'rejected',
  );
  while (double.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await double.close();
  assert.is(await pending, 'rejected');
});

test('the automatic rate limit counts per target on the injected clock', async () => {
  let nowMs = 0;
  const double = await start({ now: () => nowMs, autoRateLimit: { ratePerSecond: 1, burst: 1 } });
  try {
    assert.is((await call(double.origin, '/a')).status, 200);
    assert.is((await call(double.origin, '/b')).status, 200);
    nowMs = 400;
    const limited = await call(double.origin, '/a');
    assert.equal([limited.status, limited.headers.get('retry-after')], [429, '1']);
    nowMs = 1000;
    assert.is((await call(double.origin, '/a')).status, 200);
    double.autoRateLimit(null);
    assert.is((await call(double.origin, '/a')).status, 200);
    double.reset();
    assert.equal(double.state().autoRateLimit, { ratePerSecond: 1, burst: 1 });
    assert.is((await call(double.origin, '/a')).status, 200);
    assert.is((await call(double.origin, '/a')).status, 429);
  } finally {
    await double.close();
  }
});

test('the automatic rate limit is off by default', async () => {
  const double = await start({ now: () => 0 });
  try {
    for (let i = 0; i < 5; i++) assert.is((await call(double.origin)).status, 200);
    assert.is(double.state().autoRateLimit, null);
  } finally {
    await double.close();
  }
});

test('switches flip over HTTP and control requests are not recorded', async () => {
  const double = await start();
  try {
    const control = await call(double.origin, '/_double/control', {
      method: 'POST',
      body: JSON.stringify([
        { action: 'fail', mode: 'teapot', count: 1 },
        { action: 'slow', ms: 1 },
      ]),
    });
    assert.is(control.status, 200);
    assert.equal(JSON.parse(control.body), {
      ok: true,
      state: {
        name: 'echo',
        faults: [{ fault: { kind: 'fail', mode: 'teapot' }, remaining: 1 }],
        slowMs: 1,
        autoRateLimit: null,
        requestCount: 0,
      },
    });
    assert.is((await call(double.origin)).status, 418);

    const listed = await call(double.origin, '/_double/requests', { method: 'GET' });
    assert.equal(
      [listed.status, listed.headers.get('content-type')],
      [200, 'application/json; charset=utf-8'],
    );
    assert.equal(
      JSON.parse(listed.body).map((r: { path: string; answer: unknown }) => [r.path, r.answer]),
      [['/hook', { status: 418, body: 'short and stout' }]],
    );

    const state = await call(double.origin, '/_double/state', { method: 'GET' });
    assert.equal(JSON.parse(state.body).requestCount, 1);

    const reset = await call(double.origin, '/_double/reset', { method: 'POST' });
    assert.equal(JSON.parse(reset.body), {
      ok: true,
      state: { name: 'echo', faults: [], slowMs: 0, autoRateLimit: null, requestCount: 0 },
    });
    assert.equal(double.requests, []);
  } finally {
    await double.close();
  }
});

test('bad control over HTTP is refused naming the field, and changes nothing', async () => {
  const double = await start();
  try {
    const cases: [string, string, unknown][] = [
      ['{', '', undefined],
      ['{"action":"fail","mode":"nope"}', 'mode', 'expected one of "teapot", "server_error", "drop"'],
      [
        '[{"action":"reset"},{"action":"slow"}]',
        '[1].ms',
        'expected a whole number of milliseconds from 0 to 600000',
      ],
    ];
    for (const [body, field, message] of cases) {
      const answer = await call(double.origin, '/_double/control', { method: 'POST', body });
      assert.is(answer.status, 400, body);
      const parsed = JSON.parse(answer.body);
      assert.is(parsed.ok, false);
      assert.is(parsed.errors[0].field, field, body);
      if (message !== undefined) assert.is(parsed.errors[0].message, message, body);
      else assert.ok(String(parsed.errors[0].message).startsWith('not JSON: '), body);
    }
    assert.equal(double.state().faults, []);
  } finally {
    await double.close();
  }
});

test('an unknown control endpoint is a 404 that lists the real ones', async () => {
  const double = await start();
  try {
    const answer = await call(double.origin, '/_double/nope', { method: 'GET' });
    assert.is(answer.status, 404);
    assert.equal(JSON.parse(answer.body).errors, [
      {
        field: 'path',
        message:
          'expected one of GET /_double/requests, GET /_double/state, POST /_double/control, POST /_double/reset',
      },
    ]);
    assert.equal(double.requests, []);
  } finally {
    await double.close();
  }
});

test('programmatic switches reject bad input naming the field', async () => {
  const double = await start();
  try {
    const cases: [() => void, string][] = [
      [
        () => double.fail('nope' as 'teapot'),
        'echo double: mode: expected one of "teapot", "server_error", "drop"',
      ],
      [
        () => double.fail('teapot', 0),
        'echo double: count: expected a whole number, 1 or more (leave it out for "until reset")',
      ],
      [
        () => double.rateLimit(-1),
        'echo double: retryAfterSeconds: expected a whole number of seconds, 0 or more',
      ],
      [() => double.slow(1.5), 'echo double: ms: expected a whole number of milliseconds from 0 to 600000'],
      [
        () => double.autoRateLimit({ ratePerSecond: 1, burst: 0 }),
        'echo double: limit.burst: expected a whole number, 1 or more',
      ],
    ];
    for (const [flip, message] of cases) {
      assert.throws(flip, (error: Error) => error instanceof TypeError && error.message === message, message);
    }
  } finally {
    await double.close();
  }
});

test.run();
