import type { Duration } from './generated/google/protobuf/Duration.ts';
import type { Timestamp } from './generated/google/protobuf/Timestamp.ts';

const MS_PER_SECOND = 1000;
const NANOS_PER_MS = 1_000_000;

/** A Date as a google.protobuf.Timestamp (seconds as a string, as the loader gives 64-bit values). */
export function toTimestamp(date: Date): Timestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / MS_PER_SECOND);
  return { seconds: String(seconds), nanos: (ms - seconds * MS_PER_SECOND) * NANOS_PER_MS };
}

/** A google.protobuf.Timestamp as a Date, or undefined when unset. */
export function fromTimestamp(timestamp: Timestamp | null | undefined): Date | undefined {
  if (timestamp === null || timestamp === undefined) return undefined;
  const seconds = Number(timestamp.seconds ?? 0);
  const nanos = timestamp.nanos ?? 0;
  return new Date(seconds * MS_PER_SECOND + Math.floor(nanos / NANOS_PER_MS));
}

/** A duration in milliseconds as a google.protobuf.Duration. */
export function toDuration(ms: number): Duration {
  const seconds = Math.floor(ms / MS_PER_SECOND);
  return { seconds: String(seconds), nanos: Math.round((ms - seconds * MS_PER_SECOND) * NANOS_PER_MS) };
}

/** A google.protobuf.Duration in milliseconds, or undefined when unset. */
export function durationMs(duration: Duration | null | undefined): number | undefined {
  if (duration === null || duration === undefined) return undefined;
  return Number(duration.seconds ?? 0) * MS_PER_SECOND + Math.round((duration.nanos ?? 0) / NANOS_PER_MS);
}
