import { ChannelError, type Delivered, retryAfterMs } from '@k8slistener/plugin-kit';
import type { KyInstance } from 'ky';
import { bulkBody } from './bulk-body.ts';
import { type BulkItem, bulkItems, bulkItemVerdict } from './bulk-item-verdict.ts';
import { type ItemRetryPolicy, itemRetryDelayMs } from './item-retry-policy.ts';
import type { BulkOperation } from './parse-document.ts';
import { responseErrorReason } from './search-error-reason.ts';

/** What a caller learns about its document: indexed, or the ChannelError it ends with. */
export type IndexResult = Delivered | ChannelError;

export interface BulkIndexOptions {
  /** The target's client (base URL, credentials, CA, timeout). */
  http: KyInstance;
  policy: ItemRetryPolicy;
  sleep(ms: number): Promise<void>;
  random(): number;
  now(): number;
  /** Aborted when the plugin stops; ends waiting and requests. */
  signal?: AbortSignal;
}

/*
 * Only what the verdicts need: the response of a 5,000-document bulk is
 * otherwise mostly _shards and _seq_no bookkeeping.
 */
const FILTER_PATH = 'errors,items.*.status,items.*.result,items.*._index,items.*.error';

/**
 * Indexes documents with _bulk and answers each one: indexed once the bulk
 * response says its item succeeded (the translog is fsynced per request by
 * default, so the document survives a node restart); retried, with backoff,
 * while its item status is retryable and attempts remain; otherwise failed
 * with the server's reason. A failure of the whole request (unreachable,
 * timeout, 5xx, refused credentials) is every document's answer.
 */
export async function bulkIndex(
  operations: readonly BulkOperation[],
  options: BulkIndexOptions,
): Promise<IndexResult[]> {
  const results: (IndexResult | undefined)[] = operations.map(() => undefined);
  let pending = operations.map((_, position) => position);
  for (let attempt = 1; pending.length > 0; attempt++) {
    const batch = pending.map((position) => operations[position] as BulkOperation);
    const answer = await sendBulk(batch, options);
    if (answer instanceof ChannelError) {
      for (const position of pending) results[position] = answer;
      break;
    }
    const retry: number[] = [];
    answer.forEach((item, index) => {
      const position = pending[index] as number;
      const verdict = bulkItemVerdict(item);
      if (verdict.kind === 'indexed') results[position] = verdict.delivered;
      else results[position] = verdict.error;
      if (verdict.kind === 'retry' && attempt < options.policy.maxAttempts) retry.push(position);
    });
    pending = retry;
    if (pending.length > 0) {
      await options.sleep(itemRetryDelayMs(options.policy, attempt, options.random()));
      if (options.signal?.aborted) break;
    }
  }
  return results.map(
    (result) =>
      result ??
      new ChannelError('unavailable', { channelStatus: 'aborted', detail: 'plugin stopped before indexing' }),
  );
}

async function sendBulk(
  operations: readonly BulkOperation[],
  options: BulkIndexOptions,
): Promise<BulkItem[] | ChannelError> {
  let response: Response;
  try {
    response = await options.http.post('_bulk', {
      body: bulkBody(operations),
      headers: { 'content-type': 'application/x-ndjson' },
      searchParams: { filter_path: FILTER_PATH },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    return ChannelError.from(error);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (!response.ok) return ChannelError.fromHttpStatus(response.status, { cause: error });
    return new ChannelError('unavailable', {
      channelStatus: String(response.status),
      detail: '_bulk answered with a body that is not JSON',
      cause: error,
    });
  }
  if (!response.ok) {
    const reason = responseErrorReason(body);
    return ChannelError.fromHttpStatus(response.status, {
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), options.now()),
      ...(reason === undefined ? {} : { detail: reason }),
    });
  }
  const items = bulkItems(body, operations.length);
  if ('errors' in items) {
    return new ChannelError('unavailable', {
      channelStatus: String(response.status),
      detail: items.errors.join('; '),
    });
  }
  return items.value;
}
