/** Field names whose values are secrets, whatever they hold. */
const SECRET_KEY =
  /token|secret|password|passwd|authorization|api[-_]?key|credential|private[-_]?key|webhook[-_]?url|^sig$/i;
export const REDACTED = '[redacted]';

/**
 * Secrets that hide inside ordinary strings: Slack webhook paths, Telegram bot
 * tokens in Bot API URLs, Teams Workflows signatures, credentials in URLs,
 * bearer tokens.
 */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/g, `/services/${REDACTED}`],
  [/\/bot\d+:[A-Za-z0-9_-]+/g, `/bot${REDACTED}`],
  [/([?&]sig=)[^&\s"]+/g, `$1${REDACTED}`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`],
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]+/g, `$1${REDACTED}`],
];

/** A string with every known kind of embedded secret replaced. */
export function redactString(value: string): string {
  let out = value;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A deep copy of log fields that is safe to write: values under secret-looking
 * keys are replaced, and strings are scrubbed of embedded secrets. Errors keep
 * their name, message (scrubbed) and code.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[too deep]';
  if (typeof value === 'string') return redactString(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: redactString(value.message),
      ...(code === undefined ? {} : { code }),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) && v !== undefined && v !== '' ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
