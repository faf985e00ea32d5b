export interface ParsedBody {
  /** The JSON value when the body was declared JSON and parsed; otherwise undefined. */
  readonly json: unknown;
  /** The fields of a form-urlencoded body (last one wins on repeats); otherwise undefined. */
  readonly form: Readonly<Record<string, string>> | undefined;
}

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * Decodes a request body by its declared content type. A body that claims
 * JSON but does not parse is kept as text only: each double decides what its
 * service answers to that.
 */
export function parseBody(contentType: string | undefined, text: string): ParsedBody {
  const type = mediaType(contentType);
  if (isJsonMediaType(type)) return { json: tryParseJson(text), form: undefined };
  if (type === 'application/x-www-form-urlencoded') {
    return { json: undefined, form: Object.fromEntries(new URLSearchParams(text)) };
  }
  return { json: undefined, form: undefined };
}

export type JsonParse =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

/** JSON.parse that reports the parser's reason instead of throwing. */
export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function tryParseJson(text: string): unknown {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : undefined;
}
