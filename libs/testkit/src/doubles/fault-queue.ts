/** What a double answers instead of doing its job. */
export type Fault =
  | { readonly kind: 'fail'; readonly mode: string }
  | { readonly kind: 'rateLimit'; readonly retryAfterSeconds: number };

export interface QueuedFault {
  readonly fault: Fault;
  /** Requests this fault still answers; `null` means every request until reset. */
  readonly remaining: number | null;
}

/**
 * Faults in the order they were asked for, so a test can script a sequence
 * ("two 503s, then a 429, then success") and watch the retry policy walk it.
 * A fault without a count stays at the head until reset: whatever is queued
 * behind it never runs.
 */
export class FaultQueue {
  #queue: { fault: Fault; remaining: number | null }[] = [];

  push(fault: Fault, count?: number): void {
    this.#queue.push({ fault, remaining: count ?? null });
  }

  /** The fault for the request that just arrived, consuming one of its count. */
  next(): Fault | undefined {
    const head = this.#queue[0];
    if (head === undefined) return undefined;
    if (head.remaining !== null) {
      head.remaining -= 1;
      if (head.remaining === 0) this.#queue.shift();
    }
    return head.fault;
  }

  clear(): void {
    this.#queue = [];
  }

  snapshot(): QueuedFault[] {
    return this.#queue.map(({ fault, remaining }) => ({ fault, remaining }));
  }
}
