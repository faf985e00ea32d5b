import { DEFAULT_ITEM_RETRY_POLICY } from './item-retry-policy.ts';

/** The elastic plugin's own settings, beside the kit's (GRPC_PORT, CHANNEL_TIMEOUT_MS…). */
export interface ElasticSettings {
  /** BULK_MAX_DOCS: a _bulk request is sent once this many documents wait. */
  bulkMaxDocs: number;
  /** BULK_MAX_BYTES: … or once they add up to this many bytes of NDJSON. */
  bulkMaxBytes: number;
  /** BULK_MAX_WAIT_MS: … or this long after the first of them arrived. */
  bulkMaxWaitMs: number;
  /** BULK_ITEM_MAX_ATTEMPTS: attempts for a document whose item status is retryable (429, 503…). */
  itemMaxAttempts: number;
  /** MAINTENANCE_INTERVAL_MS: how often templates are re-applied and expired daily indices deleted. */
  maintenanceIntervalMs: number;
}

export const DEFAULT_BULK_MAX_DOCS = 500;
/** 5 MiB: well inside http.max_content_length (100 MB) and the size Elastic suggests starting from. */
export const DEFAULT_BULK_MAX_BYTES = 5 * 1024 * 1024;
/**
 * 20 ms: what a lone event waits for company. Concurrent callers share a
 * _bulk within this window; a caller that sends one event at a time pays it
 * once per event.
 */
export const DEFAULT_BULK_MAX_WAIT_MS = 20;
export const DEFAULT_MAINTENANCE_INTERVAL_MS = 3_600_000;
/** Largest NotifyBatch accepted; its documents are split into _bulk requests of BULK_MAX_DOCS. */
export const MAX_NOTIFY_BATCH_SIZE = 5_000;

/** Reads the settings from the environment; every bad one is named. */
export function elasticSettings(env: NodeJS.ProcessEnv): { value: ElasticSettings } | { errors: string[] } {
  const errors: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
      errors.push(`${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };
  const value: ElasticSettings = {
    bulkMaxDocs: integer('BULK_MAX_DOCS', DEFAULT_BULK_MAX_DOCS, 1, 100_000),
    bulkMaxBytes: integer('BULK_MAX_BYTES', DEFAULT_BULK_MAX_BYTES, 1_024, 100 * 1024 * 1024),
    bulkMaxWaitMs: integer('BULK_MAX_WAIT_MS', DEFAULT_BULK_MAX_WAIT_MS, 0, 60_000),
    itemMaxAttempts: integer('BULK_ITEM_MAX_ATTEMPTS', DEFAULT_ITEM_RETRY_POLICY.maxAttempts, 1, 20),
    maintenanceIntervalMs: integer(
      'MAINTENANCE_INTERVAL_MS',
      DEFAULT_MAINTENANCE_INTERVAL_MS,
      1_000,
      86_400_000,
    ),
  };
  return errors.length > 0 ? { errors } : { value };
}
