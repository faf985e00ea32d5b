/**
 * What a restarted listener needs to resume: every event older than the
 * watermark has settled, and so has every event listed in `done`.
 */
export interface Checkpoint {
  /** ISO-8601 time. */
  watermark: string;
  /** Ids of settled events with an eventTime at or after the watermark. */
  done: string[];
}

/**
 * How far behind the oldest pending event the watermark stays. Event times
 * come from many clocks (kubelets, controllers, the listener's own Rollout and
 * Change events) and reach the watch out of order: an event stamped a little
 * earlier than one already seen can still arrive. Anything stamped within a
 * minute before the oldest pending event is therefore judged by `done`, not
 * by the watermark, so a late arrival is never skipped. A minute covers
 * ordinary clock skew and watch lag; it costs only the ids of one more minute
 * of events in the checkpoint.
 */
export const CHECKPOINT_SKEW_MARGIN_MS = 60_000;

export interface CheckpointTrackerOptions {
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** The checkpoint a restarted listener loaded; its settled events stay settled. */
  resumeFrom?: Checkpoint;
  skewMarginMs?: number;
}

/** The name the listener uses for what snapshot() returns. */
export type CheckpointSnapshot = Checkpoint;

const doneSets = new WeakMap<Checkpoint, Set<string>>();

/**
 * Tracks which events are still being delivered, so a checkpoint never
 * claims one that is not settled (nothing skipped) and names every settled
 * one it would otherwise re-send (nothing repeated). Pure: no I/O, injected
 * clock; memory bounded by the events in flight plus the skew margin.
 */
export class CheckpointTracker {
  readonly #pending = new Map<string, number>();
  /** Settled events at or after the last computed watermark, with their times. */
  readonly #settled = new Map<string, number>();
  readonly #skewMarginMs: number;
  /** Where the watermark stands when nothing has been seen: the resumed one, else the start. */
  #floorMs: number;
  #newestSettledMs: number | undefined;

  constructor(options: CheckpointTrackerOptions = {}) {
    const clock = options.clock ?? Date.now;
    this.#skewMarginMs = options.skewMarginMs ?? CHECKPOINT_SKEW_MARGIN_MS;
    const resumed = options.resumeFrom ? Date.parse(options.resumeFrom.watermark) : Number.NaN;
    // Without a checkpoint (first start) the listener begins at "now": an
    // operator installing it does not expect the last hour replayed.
    this.#floorMs = Number.isNaN(resumed) ? clock() - this.#skewMarginMs : resumed;
    // The resumed done ids have no times; they are kept as settled at the
    // floor, so they survive until the watermark moves past the floor.
    if (options.resumeFrom) this.resume(options.resumeFrom);
  }

  /**
   * Adopts a checkpoint loaded after construction (the same as passing it as
   * resumeFrom): its watermark becomes the floor and its done ids stay done,
   * so the next save still lists events the previous run settled.
   */
  resume(checkpoint: Checkpoint): void {
    const watermarkMs = Date.parse(checkpoint.watermark);
    if (Number.isNaN(watermarkMs)) return;
    this.#floorMs = watermarkMs;
    for (const id of checkpoint.done) if (!this.#pending.has(id)) this.#settled.set(id, watermarkMs);
  }

  /** An event whose deliveries are starting (call before the first enqueue). */
  begin(eventId: string, eventTime: Date): void {
    if (this.#pending.has(eventId) || this.#settled.has(eventId)) return;
    this.#pending.set(eventId, eventTime.getTime());
  }

  /** Every delivery of this event has settled (delivered, duplicate or dead letter). */
  settle(eventId: string): void {
    const time = this.#pending.get(eventId);
    if (time === undefined) return;
    this.#pending.delete(eventId);
    this.#settled.set(eventId, time);
    if (this.#newestSettledMs === undefined || time > this.#newestSettledMs) this.#newestSettledMs = time;
  }

  /** Events begun and not yet settled. */
  get pending(): number {
    return this.#pending.size;
  }

  snapshot(): Checkpoint {
    let anchor: number | undefined;
    for (const time of this.#pending.values()) if (anchor === undefined || time < anchor) anchor = time;
    anchor ??= this.#newestSettledMs;
    const watermarkMs = anchor === undefined ? this.#floorMs : anchor - this.#skewMarginMs;
    const done: string[] = [];
    for (const [id, time] of this.#settled) {
      if (time >= watermarkMs) done.push(id);
      // Below the watermark the watermark itself says "settled"; forget it.
      else this.#settled.delete(id);
    }
    return { watermark: new Date(watermarkMs).toISOString(), done: done.sort() };
  }

  /** On restart: true when this event was settled before, so it must not be sent again. */
  static isDone(checkpoint: Checkpoint, eventId: string, eventTime: Date): boolean {
    const watermarkMs = Date.parse(checkpoint.watermark);
    if (eventTime.getTime() < watermarkMs) return true;
    let done = doneSets.get(checkpoint);
    if (!done) {
      done = new Set(checkpoint.done);
      doneSets.set(checkpoint, done);
    }
    return done.has(eventId);
  }
}
