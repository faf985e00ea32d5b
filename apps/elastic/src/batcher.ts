/** Arms a one-shot timer; returns its cancel function. Injected so tests drive time by hand. */
export type SetTimer = (callback: () => void, delayMs: number) => () => void;

export const realTimer: SetTimer = (callback, delayMs) => {
  const handle = setTimeout(callback, delayMs);
  return () => clearTimeout(handle);
};

export interface BatcherOptions<T, R> {
  /** Flush once this many items are waiting. */
  maxItems: number;
  /** Flush once the waiting items add up to this many bytes; an item that would pass it starts a new batch. */
  maxBytes: number;
  /** Flush this long after the first item of a batch arrived, however few are waiting. */
  maxWaitMs: number;
  /**
   * Sends one batch. Resolves with one result per item, in order; a rejection
   * (or a wrong number of results) is every item's answer.
   */
  send(items: T[]): Promise<R[]>;
  setTimer?: SetTimer;
}

interface Entry<T, R> {
  item: T;
  bytes: number;
  resolve(result: R): void;
  reject(error: unknown): void;
  detach(): void;
}

/**
 * Collects items from concurrent callers into batches, flushing by count, by
 * bytes or by time, and answers each caller with its own item's result once
 * its batch has been sent.
 */
export class Batcher<T, R> {
  readonly #options: BatcherOptions<T, R>;
  readonly #setTimer: SetTimer;
  #waiting: Entry<T, R>[] = [];
  #waitingBytes = 0;
  #cancelTimer: (() => void) | undefined;
  readonly #sending = new Set<Promise<void>>();

  constructor(options: BatcherOptions<T, R>) {
    const errors = batcherOptionErrors(options);
    if (errors.length > 0) throw new RangeError(errors.join('; '));
    this.#options = options;
    this.#setTimer = options.setTimer ?? realTimer;
  }

  /** Items waiting for their batch to be sent. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Batches being sent. */
  get sending(): number {
    return this.#sending.size;
  }

  /**
   * Queues an item and resolves with its result. An abort before its batch is
   * sent takes it out of the batch and rejects with the signal's reason; once
   * sent, the item's result is awaited like any other.
   */
  add(item: T, bytes: number, signal?: AbortSignal): Promise<R> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const { maxItems, maxBytes, maxWaitMs } = this.#options;
    if (this.#waiting.length > 0 && this.#waitingBytes + bytes > maxBytes) this.flush();
    return new Promise<R>((resolve, reject) => {
      const entry: Entry<T, R> = { item, bytes, resolve, reject, detach: () => {} };
      if (signal) {
        const onAbort = () => {
          const position = this.#waiting.indexOf(entry);
          if (position < 0) return;
          this.#waiting.splice(position, 1);
          this.#waitingBytes -= entry.bytes;
          if (this.#waiting.length === 0) this.#stopTimer();
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entry.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.#waiting.push(entry);
      this.#waitingBytes += bytes;
      if (this.#waiting.length >= maxItems || this.#waitingBytes >= maxBytes) this.flush();
      else this.#cancelTimer ??= this.#setTimer(() => this.flush(), maxWaitMs);
    });
  }

  /** Sends whatever is waiting now, as batches of at most maxItems. */
  flush(): void {
    this.#stopTimer();
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.#options.maxItems);
      this.#waitingBytes = this.#waiting.reduce((sum, entry) => sum + entry.bytes, 0);
      const sent = this.#send(batch);
      this.#sending.add(sent);
      void sent.finally(() => this.#sending.delete(sent));
    }
  }

  /** Sends what is waiting and resolves once every batch has been answered. */
  async close(): Promise<void> {
    this.flush();
    await Promise.all([...this.#sending]);
  }

  async #send(batch: Entry<T, R>[]): Promise<void> {
    for (const entry of batch) entry.detach();
    let results: R[];
    try {
      results = await this.#options.send(batch.map((entry) => entry.item));
      if (results.length !== batch.length) {
        throw new Error(`batch of ${batch.length} items answered with ${results.length} results`);
      }
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, position) => {
      entry.resolve(results[position] as R);
    });
  }

  #stopTimer(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }
}

/** One message per option out of range, naming it. */
export function batcherOptionErrors(options: {
  maxItems: number;
  maxBytes: number;
  maxWaitMs: number;
}): string[] {
  const errors: string[] = [];
  if (!Number.isSafeInteger(options.maxItems) || options.maxItems < 1) {
    errors.push(`maxItems must be a whole number of at least 1, got ${options.maxItems}`);
  }
  if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 1) {
    errors.push(`maxBytes must be a whole number of at least 1, got ${options.maxBytes}`);
  }
  if (!Number.isFinite(options.maxWaitMs) || options.maxWaitMs < 0) {
    errors.push(`maxWaitMs must be 0 or more, got ${options.maxWaitMs}`);
  }
  return errors;
}
