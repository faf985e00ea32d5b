/** Daily index names `<base>-YYYY.MM.DD` (UTC) and the dates read back from them for retention. */

const DAY_MS = 86_400_000;

/** `k8s-events-2026.11.24` for a document of 2026-11-24 (UTC). */
export function dailyIndexName(base: string, timeMs: number): string {
  const day = new Date(timeMs);
  const mm = String(day.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(day.getUTCDate()).padStart(2, '0');
  return `${base}-${day.getUTCFullYear()}.${mm}.${dd}`;
}

/**
 * Start (UTC midnight, ms) of the day a daily index of this prefix holds, or
 * undefined for any other index: retention must never touch an index it did
 * not name. Accepts `<prefix>-YYYY.MM.DD` and `<prefix>-<sub>-YYYY.MM.DD`
 * (a document's own `index`, see parse-document.ts).
 */
export function indexDayStartMs(name: string, indexPrefix: string): number | undefined {
  if (!name.startsWith(`${indexPrefix}-`)) return undefined;
  const match = /^(?:.+-)?(\d{4})\.(\d{2})\.(\d{2})$/.exec(name.slice(indexPrefix.length + 1));
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2026.02.31 over into March; such a name is not one of ours.
  return dailyIndexName('x', start) === `x-${match[1]}.${match[2]}.${match[3]}` ? start : undefined;
}

/**
 * The daily indices of a prefix whose whole day lies more than retentionDays
 * before now, oldest first: an index is deleted only once every document it
 * can hold is older than the retention period.
 */
export function expiredIndices(
  names: readonly string[],
  indexPrefix: string,
  retentionDays: number,
  nowMs: number,
): string[] {
  const cutoff = nowMs - retentionDays * DAY_MS;
  return names
    .map((name) => ({ name, start: indexDayStartMs(name, indexPrefix) }))
    .filter((entry): entry is { name: string; start: number } => entry.start !== undefined)
    .filter((entry) => entry.start + DAY_MS <= cutoff)
    .sort((a, b) => a.start - b.start || a.name.localeCompare(b.name))
    .map((entry) => entry.name);
}
