import type { Logger } from '@k8slistener/log';
import {
  type BatchItem,
  ChannelError,
  type Delivered,
  type DeliveryContext,
  type PluginDefinition,
} from '@k8slistener/plugin-kit';
import type { ElasticDocument__Output, Notification__Output } from '@k8slistener/proto';
import type { KyInstance } from 'ky';
import { Batcher, realTimer, type SetTimer } from './batcher.ts';
import { operationBytes } from './bulk-body.ts';
import { bulkIndex, type IndexResult } from './bulk-index.ts';
import type { ElasticSettings } from './elastic-settings.ts';
import { MAX_NOTIFY_BATCH_SIZE } from './elastic-settings.ts';
import { type ElasticTarget, parseElasticTargets } from './elastic-target.ts';
import { applyIndexTemplate, deleteExpiredIndices } from './index-admin.ts';
import { DOCUMENT_PROPERTIES } from './index-template.ts';
import { DEFAULT_ITEM_RETRY_POLICY } from './item-retry-policy.ts';
import { type BulkOperation, parseDocument } from './parse-document.ts';
import { searchHttp } from './search-http.ts';
import { unmappedFields } from './unmapped-fields.ts';

export const PLUGIN_VERSION = '0.1.0';
const USER_AGENT = `k8slistener-elastic/${PLUGIN_VERSION}`;

/** Backoff while a template cannot be applied at start: the cluster may still be starting. */
const TEMPLATE_INITIAL_BACKOFF_MS = 1_000;
const TEMPLATE_MAX_BACKOFF_MS = 30_000;
/** Distinct unmapped field paths logged per process; beyond it a drift is already obvious. */
const MAX_REPORTED_UNMAPPED_FIELDS = 1_000;

export interface ElasticPluginOptions {
  settings: ElasticSettings;
  /** CHANNEL_TIMEOUT_MS: each REST call to a cluster. */
  timeoutMs: number;
  log: Logger;
  now?: () => number;
  setTimer?: SetTimer;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** The fetch the REST clients use; the runtime's own when unset. */
  fetch?: typeof fetch;
}

interface TargetState {
  target: ElasticTarget;
  http: KyInstance;
  batcher: Batcher<BulkOperation, IndexResult>;
  templateApplied: boolean;
}

/**
 * The Elasticsearch/OpenSearch plugin: a PluginDefinition for the kit, plus
 * what the kit does not do for it — applying each target's index template
 * before anything is indexed, batching the documents of concurrent calls into
 * _bulk requests, and the periodic maintenance (template refresh, retention).
 */
export class ElasticPlugin {
  readonly definition: PluginDefinition<'elastic', ElasticTarget>;
  readonly #options: ElasticPluginOptions;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #states = new Map<string, TargetState>();
  readonly #reportedUnmapped = new Set<string>();
  readonly #closing = new AbortController();
  #maintenanceTimer: NodeJS.Timeout | undefined;

  constructor(options: ElasticPluginOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.definition = {
      messageType: 'elastic',
      version: PLUGIN_VERSION,
      maxBatchSize: MAX_NOTIFY_BATCH_SIZE,
      parseTargets: (raw) => parseElasticTargets(raw),
      deliver: (message, target, notification, context) =>
        this.#deliver(message, target, notification, context).then(settle),
      deliverBatch: (items, context) => this.#deliverBatch(items, context),
    };
  }

  /**
   * Applies every target's index template, retrying with backoff until all
   * are applied (resolves true) or the signal aborts (false). Until then the
   * plugin must not serve: a document indexed first would create its daily
   * index with the server's dynamic mapping, for the whole day.
   */
  async prepare(targets: Iterable<ElasticTarget>, signal: AbortSignal): Promise<boolean> {
    const states = [...targets].map((target) => this.#state(target));
    let backoffMs = TEMPLATE_INITIAL_BACKOFF_MS;
    for (;;) {
      for (const state of states) {
        if (!state.templateApplied) await this.#applyTemplate(state, signal).catch(() => undefined);
      }
      if (states.every((state) => state.templateApplied)) return true;
      if (signal.aborted) return false;
      await abortableSleep(this.#sleep, backoffMs, signal);
      if (signal.aborted) return false;
      backoffMs = Math.min(TEMPLATE_MAX_BACKOFF_MS, backoffMs * 2);
    }
  }

  /** Template refresh and retention for every prepared target, now and every MAINTENANCE_INTERVAL_MS. */
  startMaintenance(): void {
    const run = () => void this.maintain();
    run();
    this.#maintenanceTimer = setInterval(run, this.#options.settings.maintenanceIntervalMs);
    // Maintenance alone must not keep a stopping process alive.
    this.#maintenanceTimer.unref();
  }

  /**
   * Re-applies each template (someone may have deleted or changed it; the
   * next daily index must still get the schema) and deletes expired daily
   * indices. Failures are logged and tried again next time.
   */
  async maintain(): Promise<void> {
    const signal = this.#closing.signal;
    for (const state of this.#states.values()) {
      const log = this.#options.log.child({ target: state.target.name });
      await this.#applyTemplate(state, signal).catch(() => undefined);
      try {
        const deleted = await deleteExpiredIndices(state.http, state.target, this.#now(), signal);
        if (deleted.length > 0) {
          log.info('deleted expired daily indices', {
            indices: deleted,
            retention_days: state.target.retentionDays,
          });
        }
      } catch (error) {
        const failure = ChannelError.from(error);
        log.warn('retention sweep failed', { channel_status: failure.channelStatus, detail: failure.detail });
      }
    }
  }

  /** Sends every waiting document now (on SIGTERM, before the kit's drain waits for the calls). */
  flush(): void {
    for (const state of this.#states.values()) state.batcher.flush();
  }

  /** Stops maintenance, sends what waits and waits for every _bulk in flight. */
  async close(): Promise<void> {
    clearInterval(this.#maintenanceTimer);
    await Promise.all([...this.#states.values()].map((state) => state.batcher.close()));
    this.#closing.abort(new Error('plugin closed'));
  }

  #state(target: ElasticTarget): TargetState {
    let state = this.#states.get(target.name);
    if (state === undefined) {
      const { settings } = this.#options;
      const http = searchHttp(target, {
        timeoutMs: this.#options.timeoutMs,
        userAgent: USER_AGENT,
        ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
      });
      const policy = { ...DEFAULT_ITEM_RETRY_POLICY, maxAttempts: settings.itemMaxAttempts };
      state = {
        target,
        http,
        templateApplied: false,
        batcher: new Batcher<BulkOperation, IndexResult>({
          maxItems: settings.bulkMaxDocs,
          maxBytes: settings.bulkMaxBytes,
          maxWaitMs: settings.bulkMaxWaitMs,
          setTimer: this.#options.setTimer ?? realTimer,
          send: (operations) =>
            bulkIndex(operations, {
              http,
              policy,
              sleep: this.#sleep,
              random: this.#options.random ?? Math.random,
              now: this.#now,
              signal: this.#closing.signal,
            }),
        }),
      };
      this.#states.set(target.name, state);
    }
    return state;
  }

  async #applyTemplate(state: TargetState, signal: AbortSignal): Promise<void> {
    const log = this.#options.log.child({ target: state.target.name });
    try {
      await applyIndexTemplate(state.http, state.target, signal);
      if (!state.templateApplied) {
        log.info('index template applied', { index_pattern: `${state.target.indexPrefix}-*` });
      }
      state.templateApplied = true;
    } catch (error) {
      const failure = ChannelError.from(error);
      log.warn('index template not applied', {
        channel_status: failure.channelStatus,
        detail: failure.detail,
      });
      throw failure;
    }
  }

  /** Parses, checks and queues one document; resolves with its own _bulk item result. */
  async #deliver(
    message: ElasticDocument__Output,
    target: ElasticTarget,
    notification: Notification__Output,
    context: DeliveryContext,
  ): Promise<IndexResult> {
    const operation = this.#operation(message, target, notification, context.log);
    const state = this.#state(target);
    if (!state.templateApplied) await this.#applyTemplate(state, context.signal);
    return state.batcher.add(operation, operationBytes(operation), context.signal);
  }

  async #deliverBatch(
    items: readonly BatchItem<'elastic', ElasticTarget>[],
    context: DeliveryContext,
  ): Promise<(Delivered | ChannelError)[]> {
    const results = items.map((item) =>
      this.#deliver(item.message, item.target, item.notification, context)
        .then(settle)
        .catch((error: unknown) => ChannelError.from(error)),
    );
    // The caller already batched: send now instead of waiting for company. (deliver queued each
    // document synchronously, unless its target's template was still missing.)
    for (const item of items) this.#states.get(item.target.name)?.batcher.flush();
    return Promise.all(results);
  }

  #operation(
    message: ElasticDocument__Output,
    target: ElasticTarget,
    notification: Notification__Output,
    log: Logger,
  ): BulkOperation {
    const parsed = parseDocument({
      documentJson: message.documentJson,
      index: message.index,
      deliveryId: notification.deliveryId,
      indexPrefix: target.indexPrefix,
      nowMs: this.#now(),
    });
    if ('errors' in parsed) {
      throw new ChannelError('invalid_payload', {
        channelStatus: 'invalid_document',
        detail: parsed.errors.join('; '),
      });
    }
    const fresh = unmappedFields(parsed.value.document, DOCUMENT_PROPERTIES).filter(
      (field) => !this.#reportedUnmapped.has(field),
    );
    if (fresh.length > 0 && this.#reportedUnmapped.size < MAX_REPORTED_UNMAPPED_FIELDS) {
      for (const field of fresh) this.#reportedUnmapped.add(field);
      log.warn('document has fields outside the schema; kept in _source, not indexed', { fields: fresh });
    }
    return parsed.value.operation;
  }
}

/** The _bulk item's result as deliver's answer: resolve when indexed, throw its ChannelError otherwise. */
function settle(result: IndexResult): Delivered {
  if (result instanceof ChannelError) throw result;
  return result;
}

function abortableSleep(
  sleep: (ms: number) => Promise<void>,
  ms: number,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void sleep(ms).then(done);
  });
}
