import { HttpMethod, type KubeConfig, RequestContext, Watch } from '@kubernetes/client-node';
import { fetch } from 'undici';

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
 * The few raw API calls the listener makes (list pages, get, status patches),
 * authenticated from a KubeConfig the same way @kubernetes/client-node does.
 * Raw JSON in and out: the sources convert objects themselves, and the watch
 * delivers raw JSON too, so lists and watches see identical shapes.
 */
export class KubeApi {
  readonly config: KubeConfig;
  readonly #watch: Watch;

  constructor(config: KubeConfig) {
    this.config = config;
    this.#watch = new Watch(config);
  }

  async request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    contentType?: string,
    accept = 'application/json',
  ): Promise<KubeResponse<T>> {
    const cluster = this.config.getCurrentCluster();
    if (!cluster) throw new KubeApiError(0, 'NoCluster', 'the kubeconfig has no current cluster');
    const ctx = new RequestContext(`${cluster.server}${path}`, HttpMethod[method]);
    await this.config.applySecurityAuthentication(ctx);
    const headers: Record<string, string> = { ...ctx.getHeaders(), accept };
    if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
    const dispatcher = ctx.getDispatcher();
    const response = await fetch(ctx.getUrl(), {
      method,
      headers,
      ...(dispatcher ? { dispatcher } : {}),
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
    const controller = await this.#watch.watch(path, params, (type, object) => onEvent(type, object), onDone);
    return () => controller.abort();
  }
}

export function toApiError(res: KubeResponse, what: string): KubeApiError {
  const status = res.body as { reason?: string; message?: string } | undefined;
  return new KubeApiError(
    res.status,
    status?.reason ?? 'Unknown',
    `${what} failed with ${res.status}: ${status?.message ?? String(res.body)}`,
  );
}
