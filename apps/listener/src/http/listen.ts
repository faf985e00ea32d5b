import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';

export interface Listening {
  /** The bound port (the one the OS chose when asked for 0). */
  port: number;
  /** Stops accepting and ends open connections, keep-alive ones included, so shutdown never hangs. */
  close(): Promise<void>;
}

/** Binds an HTTP(S) server; rejects when the address cannot be bound (e.g. EADDRINUSE). */
export async function listen(
  server: HttpServer | HttpsServer,
  host: string,
  port: number,
): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
