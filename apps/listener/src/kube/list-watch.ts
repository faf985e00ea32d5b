import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@k8slistener/log';
import { type KubeApi, KubeApiError } from './kube-api.ts';

/** Objects fetched per list page: a relist of a busy cluster never holds more than this in memory at once. */
export const LIST_PAGE_SIZE = 500;
/** Wait before re-watching after an unexpected end, so a failing API server is not hammered. */
const REWATCH_BACKOFF_MS = 1000;

export interface KubeObject {
  metadata?: { resourceVersion?: string; uid?: string; name?: string; namespace?: string };
}

export interface ListWatchHandlers {
  /** Called for each object of a (re)list, page by page; `initial` is true for the first list after start. */
  onListed(object: unknown, initial: boolean): void | Promise<void>;
  /** A list has finished (all pages). */
  onListDone?(initial: boolean): void | Promise<void>;
  onEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: unknown): void | Promise<void>;
}

/** What a list-watch needs of the API; tests pass a fake. */
export type ListWatchApi = Pick<KubeApi, 'get' | 'watch'>;

export interface ListWatchOptions {
  api: ListWatchApi;
  /** Collection path, e.g. /apis/events.k8s.io/v1/events */
  path: string;
  what: string;
  log: Logger;
  handlers: ListWatchHandlers;
  sleep?: (ms: number) => Promise<unknown>;
}

export interface RunningListWatch {
  /** True once the first list is done and a watch is running. */
  synced(): boolean;
  /** Resolves after the first full list. */
  firstSync: Promise<void>;
  stop(): void;
}

/**
 * List (paged) then watch from the list's resourceVersion, forever: a watch
 * that ends is resumed from the last resourceVersion seen (bookmarks keep it
 * fresh); a 410 Gone (history compacted) relists. Handlers run one at a time,
 * in order, so a slow consumer slows intake instead of piling events up.
 */
export function startListWatch(options: ListWatchOptions): RunningListWatch {
  const { api, path, what, log, handlers } = options;
  const pause = options.sleep ?? ((ms: number) => sleep(ms));
  let stopped = false;
  let synced = false;
  let abortWatch: (() => void) | undefined;
  let resolveFirst: () => void = () => {};
  const firstSync = new Promise<void>((resolve) => {
    resolveFirst = resolve;
  });

  async function list(initial: boolean): Promise<string> {
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const query = new URLSearchParams({ limit: String(LIST_PAGE_SIZE) });
      if (continueToken) query.set('continue', continueToken);
      const page = await api.get<{
        metadata: { resourceVersion: string; continue?: string };
        items: unknown[];
      }>(`${path}?${query}`);
      resourceVersion = page.metadata.resourceVersion;
      continueToken = page.metadata.continue || undefined;
      for (const item of page.items) await handlers.onListed(item, initial);
    } while (continueToken && !stopped);
    await handlers.onListDone?.(initial);
    return resourceVersion;
  }

  function watchOnce(resourceVersion: string): Promise<{ gone: boolean; resourceVersion: string }> {
    return new Promise((resolve) => {
      let rv = resourceVersion;
      let gone = false;
      let chain = Promise.resolve();
      api
        .watch(
          path,
          { resourceVersion: rv, allowWatchBookmarks: true },
          (type, object) => {
            chain = chain.then(async () => {
              if (stopped) return;
              if (type === 'ERROR') {
                const code = (object as { code?: number }).code;
                if (code === 410) gone = true;
                log.warn(`${what} watch error`, { code, message: (object as { message?: string }).message });
                return;
              }
              const newRv = (object as KubeObject).metadata?.resourceVersion;
              if (newRv) rv = newRv;
              if (type === 'BOOKMARK') return;
              try {
                await handlers.onEvent(type as 'ADDED' | 'MODIFIED' | 'DELETED', object);
              } catch (error) {
                log.error(`${what} event handler failed`, { error });
              }
            });
          },
          (error) => {
            chain.then(() => {
              if (error && !stopped && !(error instanceof DOMException && error.name === 'TimeoutError')) {
                const status = (error as { statusCode?: number }).statusCode;
                if (status === 410) gone = true;
                log.debug(`${what} watch ended`, { error });
              }
              resolve({ gone, resourceVersion: rv });
            });
          },
        )
        .then(
          (abort) => {
            abortWatch = abort;
          },
          (error: unknown) => {
            const status =
              error instanceof KubeApiError ? error.status : (error as { statusCode?: number }).statusCode;
            log.warn(`${what} watch could not start`, { error, status });
            resolve({ gone: status === 410, resourceVersion: rv });
          },
        );
    });
  }

  (async () => {
    let initial = true;
    while (!stopped) {
      try {
        let rv = await list(initial);
        if (initial) {
          synced = true;
          resolveFirst();
        }
        initial = false;
        while (!stopped) {
          const result = await watchOnce(rv);
          if (stopped) break;
          if (result.gone) {
            log.info(`${what} watch history expired (410 Gone); relisting`);
            break;
          }
          rv = result.resourceVersion;
          await pause(REWATCH_BACKOFF_MS);
        }
      } catch (error) {
        if (stopped) break;
        log.warn(`${what} list failed; retrying`, { error });
        await pause(REWATCH_BACKOFF_MS * 5);
      }
    }
  })();

  return {
    synced: () => synced,
    firstSync,
    stop: () => {
      stopped = true;
      abortWatch?.();
    },
  };
}
