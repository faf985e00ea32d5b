import { ChannelError } from '@k8slistener/plugin-kit';
import type { KyInstance } from 'ky';
import type { ElasticTarget } from './elastic-target.ts';
import { expiredIndices } from './index-name.ts';
import { indexTemplate, templateName } from './index-template.ts';
import { responseErrorReason } from './search-error-reason.ts';

/**
 * Puts the target's index template (idempotent: the same PUT replaces it with
 * the same content). Resolves once the server acknowledged it; throws a
 * ChannelError with the server's reason otherwise.
 */
export async function applyIndexTemplate(
  http: KyInstance,
  target: ElasticTarget,
  signal?: AbortSignal,
): Promise<void> {
  const name = encodeURIComponent(templateName(target.indexPrefix));
  const response = await request(() =>
    http.put(`_index_template/${name}`, {
      json: indexTemplate({ indexPrefix: target.indexPrefix, replicas: target.replicas }),
      ...(signal ? { signal } : {}),
    }),
  );
  await expectOk(response, `PUT _index_template/${name}`);
}

/**
 * Deletes the target's daily indices whose whole day is older than its
 * retentionDays, and returns their names. Only names this plugin makes
 * (`<prefix>-…YYYY.MM.DD`) are ever deleted, and always by name, never by
 * wildcard.
 */
export async function deleteExpiredIndices(
  http: KyInstance,
  target: ElasticTarget,
  nowMs: number,
  signal?: AbortSignal,
): Promise<string[]> {
  if (target.retentionDays === undefined) return [];
  const pattern = encodeURIComponent(`${target.indexPrefix}-*`);
  const listed = await request(() =>
    http.get(`_cat/indices/${pattern}`, {
      searchParams: { format: 'json', h: 'index', expand_wildcards: 'open,closed' },
      ...(signal ? { signal } : {}),
    }),
  );
  await expectOk(listed, `GET _cat/indices/${pattern}`, true);
  const rows = (await listed.json()) as unknown;
  const names = Array.isArray(rows)
    ? rows.map((row) => (row as { index?: unknown }).index).filter((name) => typeof name === 'string')
    : [];
  const expired = expiredIndices(names, target.indexPrefix, target.retentionDays, nowMs);
  if (expired.length === 0) return [];
  const path = expired.map(encodeURIComponent).join(',');
  const deleted = await request(() => http.delete(path, { ...(signal ? { signal } : {}) }));
  await expectOk(deleted, `DELETE ${expired.join(',')}`);
  return expired;
}

async function request(send: () => Promise<Response>): Promise<Response> {
  try {
    return await send();
  } catch (error) {
    throw ChannelError.from(error);
  }
}

async function expectOk(response: Response, what: string, keepBody = false): Promise<void> {
  if (response.ok) {
    if (!keepBody) await response.arrayBuffer();
    return;
  }
  let reason: string | undefined;
  try {
    reason = responseErrorReason(await response.json());
  } catch {
    reason = undefined;
  }
  throw ChannelError.fromHttpStatus(response.status, {
    detail: `${what}: ${reason ?? `HTTP ${response.status}`}`,
  });
}
