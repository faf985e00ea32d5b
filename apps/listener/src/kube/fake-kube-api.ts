import type { ListWatchApi } from './list-watch.ts';

type WatchEvent = { type: string; object: unknown };

/**
 * An in-memory stand-in for the API server's list and watch, for unit tests
 * of the sources: `items` is what a list returns, `push` sends watch events to
 * the open watch, `endWatch` ends it (optionally with 410 Gone).
 */
export class FakeKubeApi implements ListWatchApi {
  items: unknown[] = [];
  resourceVersion = '100';
  lists = 0;
  watches: { path: string; resourceVersion: string }[] = [];
  #onEvent: ((type: string, object: unknown) => void) | undefined;
  #onDone: ((error: unknown) => void) | undefined;

  async get<T>(path: string): Promise<T> {
    this.lists++;
    void path;
    return { metadata: { resourceVersion: this.resourceVersion }, items: this.items } as T;
  }

  async watch(
    path: string,
    params: Record<string, string | number | boolean | undefined>,
    onEvent: (type: string, object: unknown) => void,
    onDone: (error: unknown) => void,
  ): Promise<() => void> {
    this.watches.push({ path, resourceVersion: String(params.resourceVersion) });
    this.#onEvent = onEvent;
    this.#onDone = onDone;
    return () => {};
  }

  push(...events: WatchEvent[]): void {
    for (const e of events) this.#onEvent?.(e.type, e.object);
  }

  endWatch(gone = false): void {
    if (gone) this.#onEvent?.('ERROR', { code: 410, message: 'too old resource version' });
    this.#onDone?.(null);
  }

  get watching(): boolean {
    return this.#onEvent !== undefined;
  }
}

/** Lets queued promise chains run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}
