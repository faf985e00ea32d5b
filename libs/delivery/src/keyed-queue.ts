/** Thrown by push() once the queue no longer takes items (drain or close). */
export class QueueClosedError extends Error {
  constructor() {
    super('the delivery queue is closed to new items');
    this.name = 'QueueClosedError';
  }
}

export interface KeyedQueueOptions<T> {
  /** Items accepted and not yet finished (waiting plus running) at most; push() waits beyond it. */
  capacity: number;
  /** Items running at once, each of a different key. */
  concurrency: number;
  /** Works on one item; must not reject (a rejection is passed to onError and the item counts as finished). */
  run: (item: T) => Promise<void>;
  onError?: (error: unknown, item: T) => void;
}

/**
 * A bounded queue that runs items of different keys concurrently and items of
 * the same key one after another, in the order they were pushed. push()
 * resolves once the item is accepted; while the queue is full it waits
 * (backpressure), and waiting pushes are accepted in the order they were made,
 * so a caller's order per key survives a full queue.
 */
export class KeyedQueue<T> {
  readonly #options: KeyedQueueOptions<T>;
  /** Waiting items per key, in push order; a key is present while it has waiting or running items. */
  readonly #byKey = new Map<string, T[]>();
  /** Keys with waiting items and nothing running, in the order they became ready. */
  readonly #ready: string[] = [];
  readonly #running = new Set<string>();
  readonly #waiters: { key: string; item: T; accept: () => void; reject: (e: Error) => void }[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #size = 0;
  #queued = 0;
  #closed = false;
  #stopped = false;

  constructor(options: KeyedQueueOptions<T>) {
    if (!(Number.isInteger(options.capacity) && options.capacity >= 1))
      throw new RangeError(`capacity must be an integer ≥ 1; got ${options.capacity}`);
    if (!(Number.isInteger(options.concurrency) && options.concurrency >= 1))
      throw new RangeError(`concurrency must be an integer ≥ 1; got ${options.concurrency}`);
    this.#options = options;
  }

  /** Accepted, unfinished items (waiting and running). */
  get size(): number {
    return this.#size;
  }
  /** Accepted items not yet started. */
  get queued(): number {
    return this.#queued;
  }
  get running(): number {
    return this.#running.size;
  }
  /** push() calls waiting for room. */
  get blocked(): number {
    return this.#waiters.length;
  }

  push(key: string, item: T): Promise<void> {
    if (this.#closed) return Promise.reject(new QueueClosedError());
    if (this.#waiters.length === 0 && this.#size < this.#options.capacity) {
      this.#accept(key, item);
      return Promise.resolve();
    }
    return new Promise<void>((accept, reject) => this.#waiters.push({ key, item, accept, reject }));
  }

  /** Resolves once nothing is waiting or running. */
  idle(): Promise<void> {
    if (this.#size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Takes no new items; pushes still waiting for room are rejected. Accepted items still run. */
  closeIntake(): void {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new QueueClosedError());
  }

  /** Closes intake and starts nothing more; running items finish on their own. */
  stop(): void {
    this.closeIntake();
    this.#stopped = true;
  }

  #accept(key: string, item: T): void {
    this.#size++;
    this.#queued++;
    const items = this.#byKey.get(key);
    if (items) {
      items.push(item);
    } else {
      this.#byKey.set(key, [item]);
      this.#ready.push(key);
    }
    this.#pump();
  }

  #pump(): void {
    while (!this.#stopped && this.#running.size < this.#options.concurrency && this.#ready.length > 0) {
      const key = this.#ready.shift() as string;
      const item = (this.#byKey.get(key) as T[]).shift() as T;
      this.#queued--;
      this.#running.add(key);
      void this.#runOne(key, item);
    }
  }

  async #runOne(key: string, item: T): Promise<void> {
    try {
      await this.#options.run(item);
    } catch (error) {
      this.#options.onError?.(error, item);
    }
    this.#running.delete(key);
    this.#size--;
    const rest = this.#byKey.get(key);
    if (rest && rest.length > 0) {
      // To the back of the line, so one busy key cannot starve the others.
      this.#ready.push(key);
    } else {
      this.#byKey.delete(key);
    }
    while (!this.#closed && this.#waiters.length > 0 && this.#size < this.#options.capacity) {
      const waiter = this.#waiters.shift();
      if (!waiter) break;
      this.#accept(waiter.key, waiter.item);
      waiter.accept();
    }
    this.#pump();
    if (this.#size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
