/** How many delivered ids a plugin remembers; at ~100 bytes an id, about a megabyte. */
export const DELIVERY_MEMORY_MAX_ENTRIES = 10_000;
/**
 * How long a delivered id is remembered. Longer than the listener keeps
 * retrying one delivery, so a retry after a lost answer is still recognised.
 */
export const DELIVERY_MEMORY_TTL_MS = 6 * 60 * 60 * 1000;

export interface DeliveryMemoryOptions {
  maxEntries?: number;
  ttlMs?: number;
  /** Milliseconds since the epoch; injected so expiry is exact in tests. */
  now?: () => number;
}

export type Remembered<R> = { duplicate: false; result: R } | { duplicate: true };

/**
 * Recent delivery ids, so a retried delivery is not posted twice. Only
 * deliveries that succeeded are remembered (a failed one must be tried again).
 * While an id is in flight, a second call with it waits for the first: it
 * answers duplicate if the first succeeded and fails the same way if the first
 * failed — it never posts in parallel. Bounded: the least recently delivered
 * ids are forgotten first, and every id after ttlMs.
 */
export class DeliveryMemory {
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** id → when it was delivered; Map order is insertion order, oldest first. */
  readonly #delivered = new Map<string, number>();
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(options: DeliveryMemoryOptions = {}) {
    this.#maxEntries = options.maxEntries ?? DELIVERY_MEMORY_MAX_ENTRIES;
    this.#ttlMs = options.ttlMs ?? DELIVERY_MEMORY_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#delivered.size;
  }

  /** True when `id` was delivered within the TTL. */
  has(id: string): boolean {
    const at = this.#delivered.get(id);
    if (at === undefined) return false;
    if (this.#now() - at >= this.#ttlMs) {
      this.#delivered.delete(id);
      return false;
    }
    return true;
  }

  /** Runs `deliver` unless `id` was delivered or is being delivered; see the class comment. */
  async once<R>(id: string, deliver: () => Promise<R>): Promise<Remembered<R>> {
    if (this.has(id)) return { duplicate: true };
    const pending = this.#inFlight.get(id);
    if (pending !== undefined) {
      await pending;
      return { duplicate: true };
    }
    const attempt = deliver();
    this.#inFlight.set(id, attempt);
    try {
      const result = await attempt;
      this.remember(id);
      return { duplicate: false, result };
    } finally {
      this.#inFlight.delete(id);
    }
  }

  /** Records `id` as delivered now (for callers that deliver outside once(), e.g. a native batch). */
  remember(id: string): void {
    this.#delivered.delete(id);
    this.#delivered.set(id, this.#now());
    while (this.#delivered.size > this.#maxEntries) {
      const oldest = this.#delivered.keys().next().value;
      if (oldest === undefined) break;
      this.#delivered.delete(oldest);
    }
  }
}
