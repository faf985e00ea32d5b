import { createServer } from 'node:net';
import { StackError } from './stack-error.ts';

export const LOOPBACK = '127.0.0.1';

/** A port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Several distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Resolves when `port` can be bound on 127.0.0.1; otherwise a StackError naming who asked for it. */
export function ensurePortFree(port: number, wantedBy: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new StackError(
              'port-in-use',
              `port ${port} on ${LOOPBACK} wanted by ${wantedBy} is already in use; stop whatever holds it ` +
                `(\`ss -ltnp 'sport = :${port}'\` shows it) or leave the port unset to get a free one`,
            )
          : error,
      );
    });
    server.listen(port, LOOPBACK, () => server.close(() => resolve()));
  });
}
