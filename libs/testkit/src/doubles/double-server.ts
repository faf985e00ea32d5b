import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { LOOPBACK } from '../ports.ts';
import { type ControlCommand, DROP_MODE, parseControl } from './double-control.ts';
import { FaultQueue, type QueuedFault } from './fault-queue.ts';
import { parseBody, parseJson } from './request-body.ts';
import { type AutoRateLimit, retryAfterSeconds, TokenBuckets } from './token-bucket.ts';

/** Requests under this path steer the double; they are never recorded nor faulted. */
export const CONTROL_PREFIX = '/_double/';

/** Bodies above this are refused with 413 rather than buffered: no channel accepts anything near it. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** An HTTP answer, as the service would send it. */
export interface Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A request as the double saw it, before it decided the answer. */
export interface DoubleRequest {
  /** 1 for the first request since start or reset. */
  readonly seq: number;
  readonly method: string;
  /** The path, still percent-encoded. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body as UTF-8 text. */
  readonly body: string;
  /** The parsed body when declared JSON and valid; otherwise undefined. */
  readonly json: unknown;
  /** The fields of a form-urlencoded body; otherwise undefined. */
  readonly form: Readonly<Record<string, string>> | undefined;
  /** ISO time from the double's clock. */
  readonly receivedAt: string;
}

export type RecordedAnswer = { readonly status: number; readonly body: string } | { readonly dropped: true };

export interface RecordedRequest extends DoubleRequest {
  /**
   * What the double decided to answer. It is decided on arrival; a slow
   * answer is still on its way, and one cut short by close() never arrives.
   */
  readonly answer: RecordedAnswer;
}

/** What makes a double a Slack, a Telegram or a Teams. */
export interface DoubleService<Mode extends string> {
  readonly name: string;
  /** The documented errors `fail(mode)` can force, by name. */
  readonly errors: Readonly<Record<Mode, Answer>>;
  /** The service's documented 429. */
  rateLimited(retryAfterSeconds: number): Answer;
  /** The target an automatic rate limit counts against; undefined when the request has none. */
  rateKey(request: DoubleRequest): string | undefined;
  /** The answer when no switch interferes. */
  handle(request: DoubleRequest, nowMs: number): Answer;
  /** Forgets service state (e.g. message ids) on reset. */
  reset?(): void;
}

export interface DoubleServerOptions {
  /** Port on 127.0.0.1; 0 (the default) lets the OS pick a free one. */
  readonly port?: number;
  /** Milliseconds since the epoch; injected so rate limits and timestamps are exact in tests. */
  readonly now?: () => number;
  /** Waits for `slow`; injected so tests can skip real time. Must reject when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Automatic per-target rate limit; off unless given. reset() comes back to it. */
  readonly autoRateLimit?: AutoRateLimit | null;
}

export interface DoubleState {
  readonly name: string;
  readonly faults: readonly QueuedFault[];
  readonly slowMs: number;
  readonly autoRateLimit: AutoRateLimit | null;
  readonly requestCount: number;
}

export interface DoubleServer<Mode extends string> {
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Every non-control request since start or reset, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Answers the next `count` requests (every request until reset when left
   * out) with the named documented error, or `drop`s the connection. Faults
   * queue behind each other in the order they are set.
   */
  fail(mode: Mode | typeof DROP_MODE, count?: number): void;
  /** Answers the next `count` requests (all until reset) with the service's 429. Queues like `fail`. */
  rateLimit(retryAfterSeconds: number, count?: number): void;
  /** Holds every answer back `ms` milliseconds (0 turns it off). */
  slow(ms: number): void;
  /** Switches the automatic per-target rate limit on, or off with null. */
  autoRateLimit(limit: AutoRateLimit | null): void;
  /**
   * Clears every switch and the recorded requests, forgets the service's
   * state, and puts the automatic rate limit back to the start options.
   */
  reset(): void;
  state(): DoubleState;
  /** Stops listening, cuts open connections and pending slow answers; resolves once closed. */
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

const CONTROL_ROUTES = ['GET requests', 'GET state', 'POST control', 'POST reset'].map((route) =>
  route.replace(' ', ` ${CONTROL_PREFIX}`),
);

const sleepFor = (ms: number, signal: AbortSignal): Promise<void> => delay(ms, undefined, { signal });

/** Starts a double of `service` on 127.0.0.1 and resolves once it listens. */
export async function startDoubleServer<Mode extends string>(
  service: DoubleService<Mode>,
  options: DoubleServerOptions = {},
): Promise<DoubleServer<Mode>> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const modes = [...Object.keys(service.errors), DROP_MODE];
  const closing = new AbortController();
  const faults = new FaultQueue();
  let requests: RecordedRequest[] = [];
  let slowMs = 0;
  const startBuckets = () => (options.autoRateLimit ? new TokenBuckets(options.autoRateLimit) : undefined);
  let buckets = startBuckets();

  const apply = (commands: readonly ControlCommand[]): void => {
    for (const command of commands) {
      switch (command.action) {
        case 'fail':
          faults.push({ kind: 'fail', mode: command.mode }, command.count);
          break;
        case 'rateLimit':
          faults.push({ kind: 'rateLimit', retryAfterSeconds: command.retryAfterSeconds }, command.count);
          break;
        case 'slow':
          slowMs = command.ms;
          break;
        case 'autoRateLimit':
          buckets = command.limit ? new TokenBuckets(command.limit) : undefined;
          break;
        case 'reset':
          faults.clear();
          slowMs = 0;
          // The limit given at start is configuration, not a switch: reset goes back to it.
          buckets = startBuckets();
          requests = [];
          service.reset?.();
          break;
      }
    }
  };

  // The programmatic switches go through the same validation as HTTP control,
  // so both reject the same mistakes with the same words.
  const applyChecked = (command: unknown): void => {
    const parsed = parseControl(command, modes);
    if (!parsed.ok) {
      const detail = parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      throw new TypeError(`${service.name} double: ${detail}`);
    }
    apply(parsed.commands);
  };

  const state = (): DoubleState => ({
    name: service.name,
    faults: faults.snapshot(),
    slowMs,
    autoRateLimit: buckets?.limit ?? null,
    requestCount: requests.length,
  });

  const decide = (request: DoubleRequest, nowMs: number): Answer | typeof DROP_MODE => {
    const fault = faults.next();
    if (fault?.kind === 'rateLimit') return service.rateLimited(fault.retryAfterSeconds);
    if (fault?.kind === 'fail') {
      return fault.mode === DROP_MODE ? DROP_MODE : (service.errors[fault.mode as Mode] as Answer);
    }
    const key = buckets ? service.rateKey(request) : undefined;
    if (buckets && key !== undefined) {
      const taken = buckets.take(key, nowMs);
      if (!taken.allowed) return service.rateLimited(retryAfterSeconds(taken.retryAfterMs));
    }
    return service.handle(request, nowMs);
  };

  const control = (method: string | undefined, path: string, body: string): Answer => {
    const route = `${method} ${path}`;
    if (route === `GET ${CONTROL_PREFIX}requests`) return json(200, requests);
    if (route === `GET ${CONTROL_PREFIX}state`) return json(200, state());
    if (route === `POST ${CONTROL_PREFIX}reset`) {
      apply([{ action: 'reset' }]);
      return json(200, { ok: true, state: state() });
    }
    if (route === `POST ${CONTROL_PREFIX}control`) {
      const input = parseJson(body);
      if (!input.ok) {
        return json(400, { ok: false, errors: [{ field: '', message: `not JSON: ${input.reason}` }] });
      }
      const parsed = parseControl(input.value, modes);
      if (!parsed.ok) return json(400, { ok: false, errors: parsed.errors });
      apply(parsed.commands);
      return json(200, { ok: true, state: state() });
    }
    const message = `expected one of ${CONTROL_ROUTES.join(', ')}`;
    return json(404, { ok: false, errors: [{ field: 'path', message }] });
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://double.invalid');
    const raw = await readBody(req);
    if (raw === undefined) {
      send(res, {
        status: 413,
        headers: { connection: 'close' },
        body: `body above ${MAX_BODY_BYTES} bytes`,
      });
      return;
    }
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      send(res, control(req.method, url.pathname, raw));
      return;
    }

    const nowMs = now();
    const contentType = req.headers['content-type'];
    const request: DoubleRequest = {
      seq: requests.length + 1,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req.headers),
      body: raw,
      ...parseBody(contentType, raw),
      receivedAt: new Date(nowMs).toISOString(),
    };
    // Decided on arrival so concurrent requests consume faults and tokens in arrival order.
    const decision = decide(request, nowMs);
    requests.push({
      ...request,
      answer: decision === DROP_MODE ? { dropped: true } : { status: decision.status, body: decision.body },
    });
    const holdMs = slowMs;
    if (holdMs > 0) {
      try {
        await sleep(holdMs, closing.signal);
      } catch {
        req.socket.destroy();
        return;
      }
    }
    if (decision === DROP_MODE) drop(req);
    else send(res, decision);
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      // A bug in a double must show up in the test that hit it, not hang it.
      if (!res.headersSent) send(res, { status: 500, body: `double failed: ${String(error)}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    name: service.name,
    port,
    origin: `http://${LOOPBACK}:${port}`,
    get requests() {
      return [...requests];
    },
    fail: (mode, count) => applyChecked({ action: 'fail', mode, count }),
    rateLimit: (seconds, count) => applyChecked({ action: 'rateLimit', retryAfterSeconds: seconds, count }),
    slow: (ms) => applyChecked({ action: 'slow', ms }),
    autoRateLimit: (limit) => applyChecked({ action: 'autoRateLimit', limit }),
    reset: () => apply([{ action: 'reset' }]),
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The body as text, or undefined when it is larger than MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function json(status: number, value: unknown): Answer {
  return { status, headers: JSON_HEADERS, body: JSON.stringify(value) };
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': String(Buffer.byteLength(answer.body)),
  });
  res.end(answer.body);
}

/**
 * A connection reset: RST rather than FIN where the runtime can, which is what
 * a crashed proxy or a dropped NAT entry looks like to the client.
 */
function drop(req: IncomingMessage): void {
  const socket = req.socket as IncomingMessage['socket'] & { resetAndDestroy?: () => void };
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
