import type { Checkpoint } from './checkpoint-tracker.ts';

/** Where a checkpoint is kept; the ConfigMap store in production, a map in tests. */
export interface CheckpointStore {
  /** The saved checkpoint, or undefined when none was ever saved. */
  load(): Promise<Checkpoint | undefined>;
  save(checkpoint: Checkpoint): Promise<void>;
}

/** A stored checkpoint read back: the value, or errors naming the field. */
export function parseCheckpoint(text: string): { checkpoint: Checkpoint } | { errors: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { errors: [`checkpoint is not JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { errors: ['checkpoint must be an object with watermark and done'] };
  const { watermark, done } = value as { watermark?: unknown; done?: unknown };
  const errors: string[] = [];
  if (typeof watermark !== 'string' || Number.isNaN(Date.parse(watermark)))
    errors.push(`watermark must be an ISO-8601 time; got ${JSON.stringify(watermark)}`);
  if (!Array.isArray(done) || !done.every((id) => typeof id === 'string'))
    errors.push('done must be a list of event ids (strings)');
  if (errors.length > 0) return { errors };
  return { checkpoint: { watermark: watermark as string, done: [...(done as string[])] } };
}

/**
 * One checkpoint that says "settled" only where one of the two does: the
 * earlier watermark, and the done ids of both at or after it. Used when
 * another writer saved in between (an old leader's last save after a
 * failover): the union never skips an event neither of them settled; at
 * worst it re-sends some the later watermark had covered.
 */
export function mergeCheckpoints(a: Checkpoint, b: Checkpoint): Checkpoint {
  const aMs = Date.parse(a.watermark);
  const bMs = Date.parse(b.watermark);
  const watermark = aMs <= bMs ? a.watermark : b.watermark;
  const done = new Set([...a.done, ...b.done]);
  return { watermark, done: [...done].sort() };
}
