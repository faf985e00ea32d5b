import { ChannelError, type Delivered } from '@k8slistener/plugin-kit';
import { searchErrorReason } from './search-error-reason.ts';

/** One item of a _bulk response, as both servers answer it. */
export interface BulkItem {
  status: number;
  /** "created" or "updated" when it succeeded. */
  result?: string;
  index?: string;
  error?: unknown;
}

export type BulkItemVerdict =
  | { kind: 'indexed'; delivered: Delivered }
  | { kind: 'retry'; error: ChannelError }
  | { kind: 'failed'; error: ChannelError };

/**
 * Item statuses worth another attempt inside the same call: the node's write
 * queue was full (429 es_rejected_execution_exception), a shard was not
 * available yet or was relocating (503, 500 on a primary failover), a proxy
 * in between timed out (502, 504). Everything else is permanent for this
 * document as it is.
 */
export const RETRYABLE_ITEM_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** What became of one document of a _bulk request. */
export function bulkItemVerdict(item: BulkItem): BulkItemVerdict {
  const { status } = item;
  if (status >= 200 && status < 300) {
    const result = item.result ?? 'indexed';
    return {
      kind: 'indexed',
      delivered: {
        channelStatus: String(status),
        detail: item.index === undefined ? result : `${result} in ${item.index}`,
      },
    };
  }
  const reason = searchErrorReason(item.error) ?? `HTTP ${status}`;
  const type = errorType(item.error);
  const channelStatus = String(status);
  if (RETRYABLE_ITEM_STATUSES.has(status)) {
    const code = status === 429 ? 'rate_limited' : 'unavailable';
    return { kind: 'retry', error: new ChannelError(code, { channelStatus, detail: reason }) };
  }
  // A read-only block (flood-stage disk watermark) lifts once disk is freed: transient, but not within this call.
  if (type === 'cluster_block_exception') {
    return { kind: 'failed', error: new ChannelError('unavailable', { channelStatus, detail: reason }) };
  }
  if (status === 401 || status === 403) {
    return { kind: 'failed', error: new ChannelError('unauthorized', { channelStatus, detail: reason }) };
  }
  // Mapping rejections (mapper_parsing_exception, illegal_argument_exception) and anything else in 4xx.
  if (status >= 400 && status < 500 && status !== 404) {
    return { kind: 'failed', error: new ChannelError('invalid_payload', { channelStatus, detail: reason }) };
  }
  // 404 index_not_found_exception: the cluster forbids creating the index (action.auto_create_index).
  if (status === 404) {
    return { kind: 'failed', error: new ChannelError('rejected', { channelStatus, detail: reason }) };
  }
  return { kind: 'retry', error: new ChannelError('unavailable', { channelStatus, detail: reason }) };
}

/**
 * The items of a _bulk response body, in request order, or why the body is
 * not one (a proxy's error page, a truncated answer).
 */
export function bulkItems(body: unknown, expected: number): { value: BulkItem[] } | { errors: string[] } {
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return { errors: ['_bulk response has no items array'] };
  if (items.length !== expected) {
    return { errors: [`_bulk response has ${items.length} items for ${expected} operations`] };
  }
  const parsed: BulkItem[] = [];
  for (const [position, entry] of items.entries()) {
    const action = (entry as { index?: unknown } | null)?.index as Record<string, unknown> | undefined;
    if (typeof action !== 'object' || action === null || typeof action.status !== 'number') {
      return { errors: [`_bulk response item ${position} has no index action with a status`] };
    }
    parsed.push({
      status: action.status,
      ...(typeof action.result === 'string' ? { result: action.result } : {}),
      ...(typeof action._index === 'string' ? { index: action._index } : {}),
      ...(action.error === undefined ? {} : { error: action.error }),
    });
  }
  return { value: parsed };
}

function errorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | null | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
}
