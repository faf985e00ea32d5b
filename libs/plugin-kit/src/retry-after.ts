const MS_PER_SECOND = 1000;

/**
 * A Retry-After header value in milliseconds: delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). Undefined when absent or unreadable; never negative.
 */
export function retryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * MS_PER_SECOND;
  // Only an IMF-fixdate ("Tue, 24 Nov 2026 14:00:05 GMT"): Date.parse reads "-3" as a year.
  if (!/^[A-Za-z]{3}, .* GMT$/.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
