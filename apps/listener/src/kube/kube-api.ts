import { kubeFetch } from '@k8slistener/kube';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

/** A Kubernetes API error with the server's status and message. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  readonly status: number;
  readonly reason: string;

  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

const REQUEST_TIMEOUT_MS = 30_000;
/**
 * The API server ends each watch after this long (timeoutSeconds); the
 * list-watch resumes from the last resourceVersion. Bounded so a connection a
 * proxy silently dropped is noticed.
 */
export const WATCH_TIMEOUT_SECONDS = 300;

/**
 * The few raw API calls the listener makes (list pages, get, status patches),
 * authenticated from a KubeConfig the same way @kubernetes/client-node does.
 * Raw JSON in and out: the sources convert objects themselves, and the watch
 * delivers raw JSON too, so lists and watches see identical shapes.
 */
export class KubeApi {
  readonly config: KubeConfig;

  constructor(config: KubeConfig) {
    this.config = config;
  }

  async request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    contentType?: string,
    accept = 'application/json',
  ): Promise<KubeResponse<T>> {
    const headers: Record<string, string> = { accept };
    if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
    const response = await kubeFetch(this.config, path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, body: json as T };
  }

  /** GET that throws KubeApiError for anything but 200. */
  async get<T>(path: string): Promise<T> {
    const res = await this.request<T>('GET', path);
    if (res.status !== 200) throw toApiError(res, `GET ${path}`);
    return res.body;
  }

  /**
   * Starts a watch; `onEvent` gets each raw event (ADDED, MODIFIED, DELETED,
   * BOOKMARK, ERROR), `onDone` the end of the stream (error or close).
   * Returns an abort function.
   */
  async watch(
    path: string,
    params: Record<string, string | number | boolean | undefined>,
    onEvent: (type: string, object: unknown) => void,
    onDone: (error: unknown) => void,
  ): Promise<() => void> {
    const query = new URLSearchParams({ watch: 'true', timeoutSeconds: String(WATCH_TIMEOUT_SECONDS) });
    for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
    const controller = new AbortController();
    const response = await kubeFetch(this.config, `${path}?${query}`, {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: controller.signal,
    });
    if (response.status !== 200) {
      const text = await response.text();
      let status: { reason?: string; message?: string } | undefined;
      try {
        status = JSON.parse(text) as { reason?: string; message?: string };
      } catch {
        status = undefined;
      }
      throw Object.assign(
        new KubeApiError(
          response.status,
          status?.reason ?? 'Unknown',
          `watch ${path} failed with ${response.status}: ${status?.message ?? text}`,
        ),
        {
          statusCode: response.status,
        },
      );
    }
    void readLines(response.body, (line) => {
      const event = JSON.parse(line) as { type: string; object: unknown };
      onEvent(event.type, event.object);
    }).then(
      () => onDone(null),
      (error: unknown) => onDone(controller.signal.aborted ? null : error),
    );
    return () => controller.abort();
  }
}

/** Reads a stream of newline-separated JSON objects (a watch) line by line. */
async function readLines(
  body: ReadableStream<Uint8Array> | null,
  onLine: (line: string) => void,
): Promise<void> {
  if (!body) return;
  const decoder = new TextDecoder();
  let buffered = '';
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) onLine(line);
      newline = buffered.indexOf('\n');
    }
  }
  const rest = (buffered + decoder.decode()).trim();
  if (rest) onLine(rest);
}

export function toApiError(res: KubeResponse, what: string): KubeApiError {
  const status = res.body as { reason?: string; message?: string } | undefined;
  return new KubeApiError(
    res.status,
    status?.reason ?? 'Unknown',
    `${what} failed with ${res.status}: ${status?.message ?? String(res.body)}`,
  );
}
