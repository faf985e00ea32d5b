/** Longest reason kept in a NotifyResponse.detail; a mapping error previews the field's value, which may be long. */
export const MAX_REASON_CHARS = 1_000;

/**
 * The server's own words for an error object of Elasticsearch or OpenSearch
 * (`{type, reason, caused_by}`, the same shape in bulk items and in whole
 * request errors): "mapper_parsing_exception: failed to parse field
 * [@timestamp] … (caused by illegal_argument_exception: …)". Undefined when
 * the value is not such an object.
 */
export function searchErrorReason(error: unknown): string | undefined {
  if (typeof error === 'string') return truncate(error);
  if (!isObject(error)) return undefined;
  const own = describe(error);
  if (own === undefined) return undefined;
  const cause = isObject(error.caused_by) ? describe(error.caused_by) : undefined;
  return truncate(cause === undefined ? own : `${own} (caused by ${cause})`);
}

/** The reason in a whole-request error body `{"error": {...}, "status": N}`, if the body has one. */
export function responseErrorReason(body: unknown): string | undefined {
  return isObject(body) ? searchErrorReason(body.error) : undefined;
}

function describe(error: Record<string, unknown>): string | undefined {
  const type = typeof error.type === 'string' ? error.type : undefined;
  const reason = typeof error.reason === 'string' ? error.reason : undefined;
  if (type === undefined && reason === undefined) return undefined;
  return [type, reason].filter((part) => part !== undefined).join(': ');
}

function truncate(text: string): string {
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS - 1)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
