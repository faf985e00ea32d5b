import type { BulkOperation } from './parse-document.ts';

/**
 * The NDJSON body of a _bulk request: an `index` action per document (not
 * `create`: a retried delivery overwrites the document with the same _id,
 * which is what makes retries harmless), each line ending in a newline.
 */
export function bulkBody(operations: readonly BulkOperation[]): string {
  return operations.map(operationLines).join('');
}

/** Bytes this operation adds to a _bulk body, for batching by size. */
export function operationBytes(operation: BulkOperation): number {
  return Buffer.byteLength(operationLines(operation));
}

function operationLines(operation: BulkOperation): string {
  return `${JSON.stringify({ index: { _index: operation.index, _id: operation.id } })}\n${operation.source}\n`;
}
