import { dailyIndexName } from './index-name.ts';

/** One `index` action of a _bulk request: where, under which _id, and the compact JSON source line. */
export interface BulkOperation {
  index: string;
  id: string;
  source: string;
}

export interface ParsedDocument {
  operation: BulkOperation;
  /** The parsed document, for schema checks (see unmappedFields). */
  document: Record<string, unknown>;
}

export interface ParseDocumentInput {
  documentJson: string;
  /** ElasticDocument.index: empty for the target's own prefix (the usual case). */
  index: string;
  deliveryId: string;
  indexPrefix: string;
  nowMs: number;
}

/** Index names are at most 255 bytes; the date suffix takes 11. */
const MAX_INDEX_BASE_CHARS = 200;
const INDEX_BASE_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Turns an ElasticDocument into its bulk operation, or says why it cannot be
 * stored. Only what the plugin itself needs is checked here (a JSON object,
 * a `@timestamp` to name the daily index by, an index under the target's
 * prefix); the field types are the server's to judge against the template, so
 * a wrong type comes back with the server's own reason.
 */
export function parseDocument(input: ParseDocumentInput): { value: ParsedDocument } | { errors: string[] } {
  let document: unknown;
  try {
    document = JSON.parse(input.documentJson);
  } catch (error) {
    return { errors: [`document_json: not valid JSON (${(error as Error).message})`] };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { errors: ['document_json: expected a JSON object'] };
  }
  const record = document as Record<string, unknown>;
  const errors: string[] = [];
  const timestamp = record['@timestamp'];
  if (timestamp === undefined || timestamp === null || timestamp === '') {
    errors.push('document_json: "@timestamp" is required');
  }
  const base = input.index === '' ? input.indexPrefix : input.index;
  if (input.index !== '') {
    if (!input.index.startsWith(`${input.indexPrefix}-`)) {
      errors.push(
        `index: "${input.index}" must start with the target's prefix "${input.indexPrefix}-", so the target's index template applies`,
      );
    } else if (!INDEX_BASE_PATTERN.test(input.index) || input.index.length > MAX_INDEX_BASE_CHARS) {
      errors.push(
        `index: "${input.index}" must be lower-case letters, digits, '.', '_' or '-', at most ${MAX_INDEX_BASE_CHARS} characters`,
      );
    }
  }
  if (errors.length > 0) return { errors };
  if (record.delivery_id === undefined) record.delivery_id = input.deliveryId;
  return {
    value: {
      operation: {
        index: dailyIndexName(base, documentTimeMs(timestamp, input.nowMs)),
        id: input.deliveryId,
        source: JSON.stringify(record),
      },
      document: record,
    },
  };
}

/**
 * When a document happened, to choose its daily index: ISO 8601 text or epoch
 * milliseconds, as the template's date format accepts. A value the plugin
 * cannot read goes to today's index, where the server rejects it with its own
 * mapping error (which is the reason the caller should see).
 */
export function documentTimeMs(timestamp: unknown, nowMs: number): number {
  let ms = Number.NaN;
  if (typeof timestamp === 'number') ms = timestamp;
  else if (typeof timestamp === 'string' && /^\d{4}-\d{2}-\d{2}/.test(timestamp)) ms = Date.parse(timestamp);
  else if (typeof timestamp === 'string' && /^\d{1,15}$/.test(timestamp)) ms = Number(timestamp);
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : nowMs;
}
