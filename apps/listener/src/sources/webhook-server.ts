import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '@k8slistener/log';
import { listen } from '../http/listen.ts';
import type { AdmissionRequest, AuditEvent } from './change-conversion.ts';

/** Largest request body accepted: an audit batch of a busy API server stays well below this. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface WebhookServerOptions {
  host: string;
  port: number;
  /** PEM serving certificate and key. */
  cert: string;
  key: string;
  /** PEM CA bundle; clients presenting a certificate it signed are authenticated. */
  clientCa?: string;
  /** Bearer tokens that authenticate a caller (the audit webhook kubeconfig's token). */
  tokens: readonly string[];
  log: Logger;
  /** Receives each audit batch; the API server gets its answer once this resolves. */
  onAudit: (events: AuditEvent[]) => Promise<void>;
  /** Receives each admission request; the answer (always allowed) does not wait for it. */
  onAdmission: (request: AdmissionRequest) => Promise<void>;
}

export interface WebhookServer {
  port: number;
  close(): Promise<void>;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** True when the request carries a trusted client certificate or one of the bearer tokens. */
export function isAuthenticated(
  req: IncomingMessage,
  tokenDigests: readonly Buffer[],
  clientCaConfigured: boolean,
): boolean {
  if (clientCaConfigured && (req.socket as TLSSocket).authorized) return true;
  const header = req.headers.authorization ?? '';
  const match = /^Bearer (.+)$/.exec(header);
  if (!match?.[1]) return false;
  const presented = digest(match[1]);
  // Comparing digests of equal length in constant time leaks neither the tokens nor their lengths.
  return tokenDigests.some((d) => timingSafeEqual(d, presented));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error(`body larger than ${MAX_BODY_BYTES} bytes`), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * The HTTPS endpoint the API server calls: `POST /audit` for the audit
 * webhook backend (audit.k8s.io/v1 EventList, authenticated callers only) and
 * `POST /validate` for the validating admission webhook (AdmissionReview v1,
 * always allowed, never blocks a write).
 */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const { log } = options;
  const tokenDigests = options.tokens.map(digest);
  const clientCa = options.clientCa !== undefined && options.clientCa !== '';
  const server: Server = createServer(
    {
      cert: options.cert,
      key: options.key,
      ...(clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
    },
    (req, res) => {
      void handle(req, res).catch((error: unknown) => {
        const status = (error as { status?: number }).status ?? 500;
        log.warn('webhook request failed', { path: req.url, status, error });
        if (!res.headersSent) answer(res, status, { error: (error as Error).message });
      });
    },
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return answer(res, 200, { ok: true });
    if (req.method !== 'POST' || (path !== '/audit' && path !== '/validate'))
      return answer(res, 404, { error: 'not found' });
    if (path === '/audit') {
      if (!isAuthenticated(req, tokenDigests, clientCa)) {
        log.warn('audit webhook call refused: not authenticated', { remote: req.socket.remoteAddress });
        return answer(res, 401, { error: 'authentication required' });
      }
      const list = JSON.parse((await readBody(req)).toString('utf8')) as {
        kind?: string;
        items?: AuditEvent[];
      };
      if (list.kind !== 'EventList')
        return answer(res, 400, { error: `expected an audit.k8s.io/v1 EventList, got kind ${list.kind}` });
      await options.onAudit(list.items ?? []);
      return answer(res, 200, {});
    }
    const review = JSON.parse((await readBody(req)).toString('utf8')) as {
      apiVersion?: string;
      request?: AdmissionRequest;
    };
    const uid = review.request?.uid ?? '';
    // Always allow, at once: this webhook only observes (failurePolicy Ignore, sideEffects None).
    answer(res, 200, {
      apiVersion: review.apiVersion ?? 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid, allowed: true },
    });
    if (review.request) {
      options
        .onAdmission(review.request)
        .catch((error: unknown) => log.error('admission event not processed', { uid, error }));
    }
  }

  return listen(server, options.host, options.port);
}
